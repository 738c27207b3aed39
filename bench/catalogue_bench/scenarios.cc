#include "bench/catalogue_bench/scenarios.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bench/catalogue_bench/queries.h"
#include "bench/harness/call_helpers.h"
#include "bench/harness/unary_call.h"
#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "common/store/resource_io.h"

namespace brobygger::bench {
namespace {

namespace v1 = catalogue::v1;
using Stub = v1::CatalogueService::Stub;

// Time of a protobuf Timestamp, comparable.
absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return store::FromTimestamp(timestamp);
}

class SearchCall final : public UnaryCall<Stub, v1::SearchActivitiesRequest,
                                          v1::SearchActivitiesResponse> {
 public:
  SearchCall(std::unique_ptr<Stub> stub, std::string token,
             const v1::SearchActivitiesRequest& request, int offset,
             std::shared_ptr<ResultNote> note)
      : UnaryCall(std::move(stub), std::move(token)),
        template_(request),
        offset_(offset),
        note_(std::move(note)) {}

 protected:
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::SearchActivitiesResponse>>
  Prepare(Stub& stub, grpc::ClientContext* context,
          const v1::SearchActivitiesRequest& request,
          grpc::CompletionQueue* cq) override {
    return stub.PrepareAsyncSearchActivities(context, request, cq);
  }
  void NextRequest(v1::SearchActivitiesRequest* request) override {
    *request = template_;
  }
  absl::Status Check(const v1::SearchActivitiesRequest& request,
                     const v1::SearchActivitiesResponse& response) override {
    const int expected =
        std::clamp(response.total_size() - offset_, 0, request.page_size());
    if (response.results_size() != expected) {
      return absl::DataLossError(
          absl::StrCat("SearchActivities returned ", response.results_size(),
                       " results; with total_size ", response.total_size(),
                       ", offset ", offset_, " and page_size ",
                       request.page_size(), " expected ", expected));
    }
    const v1::ActivityQuery& query = request.query();
    absl::Time previous = absl::InfinitePast();
    for (const v1::SearchResult& result : response.results()) {
      const v1::Activity& activity = result.activity();
      if (activity.state() != v1::ACTIVITY_STATE_PUBLISHED &&
          activity.state() != v1::ACTIVITY_STATE_PAUSED) {
        return absl::DataLossError(
            absl::StrCat(activity.name(), " is found but not public"));
      }
      if (!MatchesQuery(query, activity)) {
        return absl::DataLossError(absl::StrCat(
            activity.name(), " (\"", activity.display_name(),
            "\") does not match the query ", query.ShortDebugString()));
      }
      if (!result.has_next_occurrence()) {
        return absl::DataLossError(
            absl::StrCat(activity.name(), " is found without an occurrence"));
      }
      const absl::Time start = TimeOf(result.next_occurrence().start_time());
      const absl::Time end = TimeOf(result.next_occurrence().end_time());
      if (query.has_window_start_time() &&
          (start >= TimeOf(query.window_end_time()) ||
           end <= TimeOf(query.window_start_time()))) {
        return absl::DataLossError(
            absl::StrCat(activity.name(), "'s next occurrence ",
                         result.next_occurrence().local_start_time(),
                         " is outside the window"));
      }
      if (start < previous) {
        return absl::DataLossError("results are not in next-occurrence order");
      }
      previous = start;
    }
    note_->SetOnce(
        absl::StrCat(response.results_size(), " / ", response.total_size()));
    return absl::OkStatus();
  }

 private:
  const v1::SearchActivitiesRequest& template_;
  int offset_;
  std::shared_ptr<ResultNote> note_;
};

class OccurrencesCall final : public UnaryCall<Stub, v1::ListOccurrencesRequest,
                                               v1::ListOccurrencesResponse> {
 public:
  OccurrencesCall(std::unique_ptr<Stub> stub, std::string token,
                  const v1::ListOccurrencesRequest& request,
                  std::shared_ptr<ResultNote> note)
      : UnaryCall(std::move(stub), std::move(token)),
        template_(request),
        note_(std::move(note)) {}

 protected:
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::ListOccurrencesResponse>>
  Prepare(Stub& stub, grpc::ClientContext* context,
          const v1::ListOccurrencesRequest& request,
          grpc::CompletionQueue* cq) override {
    return stub.PrepareAsyncListOccurrences(context, request, cq);
  }
  void NextRequest(v1::ListOccurrencesRequest* request) override {
    *request = template_;
  }
  absl::Status Check(const v1::ListOccurrencesRequest& request,
                     const v1::ListOccurrencesResponse& response) override {
    const int size = response.occurrences_size();
    if (size > request.page_size()) {
      return absl::DataLossError(absl::StrCat("ListOccurrences returned ", size,
                                              " occurrences for page_size ",
                                              request.page_size()));
    }
    if (size < request.page_size() && !response.next_page_token().empty()) {
      return absl::DataLossError(
          "ListOccurrences returned a short page with a next_page_token");
    }
    const absl::Time window_start = TimeOf(request.start_time());
    const absl::Time window_end = TimeOf(request.end_time());
    absl::Time previous = absl::InfinitePast();
    for (const v1::Occurrence& occurrence : response.occurrences()) {
      if (!request.activity().empty() &&
          occurrence.activity() != request.activity()) {
        return absl::DataLossError(
            absl::StrCat("ListOccurrences of ", request.activity(),
                         " returned one of ", occurrence.activity()));
      }
      const absl::Time start = TimeOf(occurrence.start_time());
      if (start >= window_end ||
          TimeOf(occurrence.end_time()) <= window_start) {
        return absl::DataLossError(
            absl::StrCat("occurrence ", occurrence.local_start_time(), " of ",
                         occurrence.activity(), " is outside the window"));
      }
      if (start < previous) {
        return absl::DataLossError("occurrences are not in start order");
      }
      previous = start;
    }
    note_->SetOnce(response.next_page_token().empty()
                       ? absl::StrCat(size)
                       : absl::StrCat(size, " (more pages)"));
    return absl::OkStatus();
  }

 private:
  const v1::ListOccurrencesRequest& template_;
  std::shared_ptr<ResultNote> note_;
};

class SearchScenarioImpl final : public Scenario {
 public:
  SearchScenarioImpl(std::string name, std::string token,
                     v1::SearchActivitiesRequest request, int offset,
                     std::shared_ptr<ResultNote> note)
      : name_(std::move(name)),
        token_(std::move(token)),
        request_(std::move(request)),
        offset_(offset),
        note_(std::move(note)) {}
  std::string name() const override { return name_; }
  std::unique_ptr<Call> NewCall(const std::shared_ptr<grpc::Channel>& channel,
                                int slot) override {
    return std::make_unique<SearchCall>(v1::CatalogueService::NewStub(channel),
                                        token_, request_, offset_, note_);
  }

 private:
  std::string name_;
  std::string token_;
  v1::SearchActivitiesRequest request_;
  int offset_;
  std::shared_ptr<ResultNote> note_;
};

class OccurrencesScenarioImpl final : public Scenario {
 public:
  OccurrencesScenarioImpl(std::string name, std::string token,
                          v1::ListOccurrencesRequest request,
                          std::shared_ptr<ResultNote> note)
      : name_(std::move(name)),
        token_(std::move(token)),
        request_(std::move(request)),
        note_(std::move(note)) {}
  std::string name() const override { return name_; }
  std::unique_ptr<Call> NewCall(const std::shared_ptr<grpc::Channel>& channel,
                                int slot) override {
    return std::make_unique<OccurrencesCall>(
        v1::CatalogueService::NewStub(channel), token_, request_, note_);
  }

 private:
  std::string name_;
  std::string token_;
  v1::ListOccurrencesRequest request_;
  std::shared_ptr<ResultNote> note_;
};

}  // namespace

void ResultNote::SetOnce(std::string text) {
  absl::MutexLock lock(&mu_);
  if (set_) return;
  set_ = true;
  text_ = std::move(text);
}

std::string ResultNote::text() const {
  absl::MutexLock lock(&mu_);
  return set_ ? text_ : "-";
}

std::unique_ptr<Scenario> SearchScenario(std::string name, std::string token,
                                         v1::SearchActivitiesRequest request,
                                         int offset,
                                         std::shared_ptr<ResultNote> note) {
  return std::make_unique<SearchScenarioImpl>(std::move(name), std::move(token),
                                              std::move(request), offset,
                                              std::move(note));
}

std::unique_ptr<Scenario> OccurrencesScenario(
    std::string name, std::string token, v1::ListOccurrencesRequest request,
    std::shared_ptr<ResultNote> note) {
  return std::make_unique<OccurrencesScenarioImpl>(
      std::move(name), std::move(token), std::move(request), std::move(note));
}

absl::StatusOr<std::string> NextPageToken(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
    const v1::SearchActivitiesRequest& request) {
  std::unique_ptr<Stub> stub = v1::CatalogueService::NewStub(channel);
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Seconds(60));
  v1::SearchActivitiesResponse response;
  const grpc::Status status =
      stub->SearchActivities(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, "SearchActivities (page 1)");
  return response.next_page_token();
}

}  // namespace brobygger::bench
