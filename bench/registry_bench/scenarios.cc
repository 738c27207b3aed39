#include "bench/registry_bench/scenarios.h"

#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bench/harness/actor_mix.h"
#include "bench/harness/unary_call.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace brobygger::bench {
namespace {

namespace registry_v1 = registry::v1;

class GetActorCall final
    : public UnaryCall<registry_v1::RegistryService::Stub,
                       registry_v1::GetActorRequest, registry_v1::Actor> {
 public:
  GetActorCall(std::unique_ptr<registry_v1::RegistryService::Stub> stub,
               std::string token,
               std::shared_ptr<const std::vector<std::string>> names,
               uint32_t seed)
      : UnaryCall(std::move(stub), std::move(token)),
        names_(std::move(names)),
        rng_(seed),
        pick_(0, names_->size() - 1) {}

 protected:
  std::unique_ptr<grpc::ClientAsyncResponseReader<registry_v1::Actor>> Prepare(
      registry_v1::RegistryService::Stub& stub, grpc::ClientContext* context,
      const registry_v1::GetActorRequest& request,
      grpc::CompletionQueue* cq) override {
    return stub.PrepareAsyncGetActor(context, request, cq);
  }
  void NextRequest(registry_v1::GetActorRequest* request) override {
    request->set_name((*names_)[pick_(rng_)]);
  }
  absl::Status Check(const registry_v1::GetActorRequest& request,
                     const registry_v1::Actor& actor) override {
    if (actor.name() != request.name()) {
      return absl::DataLossError(absl::StrCat("GetActor ", request.name(),
                                              " returned ", actor.name()));
    }
    return absl::OkStatus();
  }

 private:
  std::shared_ptr<const std::vector<std::string>> names_;
  std::minstd_rand rng_;
  std::uniform_int_distribution<size_t> pick_;
};

class ListActorsCall final
    : public UnaryCall<registry_v1::RegistryService::Stub,
                       registry_v1::ListActorsRequest,
                       registry_v1::ListActorsResponse> {
 public:
  ListActorsCall(std::unique_ptr<registry_v1::RegistryService::Stub> stub,
                 std::string token, std::string parent, int page_size,
                 std::string filter, bool check_arabic_volunteers)
      : UnaryCall(std::move(stub), std::move(token)),
        parent_(std::move(parent)),
        page_size_(page_size),
        filter_(std::move(filter)),
        check_arabic_volunteers_(check_arabic_volunteers) {}

 protected:
  std::unique_ptr<
      grpc::ClientAsyncResponseReader<registry_v1::ListActorsResponse>>
  Prepare(registry_v1::RegistryService::Stub& stub,
          grpc::ClientContext* context,
          const registry_v1::ListActorsRequest& request,
          grpc::CompletionQueue* cq) override {
    return stub.PrepareAsyncListActors(context, request, cq);
  }
  void NextRequest(registry_v1::ListActorsRequest* request) override {
    request->set_parent(parent_);
    request->set_page_size(page_size_);
    request->set_filter(filter_);
    request->set_page_token(next_page_token_);
  }
  absl::Status Check(const registry_v1::ListActorsRequest& request,
                     const registry_v1::ListActorsResponse& response) override {
    next_page_token_ = response.next_page_token();
    if (response.actors_size() > page_size_) {
      return absl::DataLossError(
          absl::StrCat("ListActors returned ", response.actors_size(),
                       " actors for page_size ", page_size_));
    }
    if (response.actors_size() == 0 && !response.next_page_token().empty()) {
      // Allowed by the API (a page may be short while more follow), but
      // not expected here: say so rather than hide it.
      return absl::DataLossError(
          "ListActors returned an empty page with a "
          "next_page_token");
    }
    if (check_arabic_volunteers_) {
      for (const registry_v1::Actor& actor : response.actors()) {
        if (!IsArabicSpeakingVolunteer(actor)) {
          return absl::DataLossError(
              absl::StrCat("ListActors with filter \"", filter_, "\" returned ",
                           actor.name(), ", which does not match it"));
        }
      }
    }
    return absl::OkStatus();
  }

 private:
  std::string parent_;
  int page_size_;
  std::string filter_;
  bool check_arabic_volunteers_;
  std::string next_page_token_;
};

class GetActorScenarioImpl final : public Scenario {
 public:
  GetActorScenarioImpl(std::string token,
                       std::shared_ptr<const std::vector<std::string>> names)
      : token_(std::move(token)), names_(std::move(names)) {}
  std::string name() const override { return "GetActor"; }
  std::unique_ptr<Call> NewCall(const std::shared_ptr<grpc::Channel>& channel,
                                int slot) override {
    return std::make_unique<GetActorCall>(
        registry_v1::RegistryService::NewStub(channel), token_, names_,
        static_cast<uint32_t>(slot) * 7919u + 1u);
  }

 private:
  std::string token_;
  std::shared_ptr<const std::vector<std::string>> names_;
};

class ListActorsScenarioImpl final : public Scenario {
 public:
  ListActorsScenarioImpl(std::string name, std::string token,
                         std::string parent, int page_size, std::string filter,
                         bool check_arabic_volunteers)
      : name_(std::move(name)),
        token_(std::move(token)),
        parent_(std::move(parent)),
        page_size_(page_size),
        filter_(std::move(filter)),
        check_arabic_volunteers_(check_arabic_volunteers) {}
  std::string name() const override { return name_; }
  std::unique_ptr<Call> NewCall(const std::shared_ptr<grpc::Channel>& channel,
                                int slot) override {
    return std::make_unique<ListActorsCall>(
        registry_v1::RegistryService::NewStub(channel), token_, parent_,
        page_size_, filter_, check_arabic_volunteers_);
  }

 private:
  std::string name_;
  std::string token_;
  std::string parent_;
  int page_size_;
  std::string filter_;
  bool check_arabic_volunteers_;
};

}  // namespace

std::unique_ptr<Scenario> GetActorScenario(
    std::string token, std::shared_ptr<const std::vector<std::string>> names) {
  return std::make_unique<GetActorScenarioImpl>(std::move(token),
                                                std::move(names));
}

std::unique_ptr<Scenario> ListActorsScenario(std::string name,
                                             std::string token,
                                             std::string parent, int page_size,
                                             std::string filter,
                                             bool check_arabic_volunteers) {
  return std::make_unique<ListActorsScenarioImpl>(
      std::move(name), std::move(token), std::move(parent), page_size,
      std::move(filter), check_arabic_volunteers);
}

}  // namespace brobygger::bench
