#include "bench/registry_bench/scenarios.h"

#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bench/registry_bench/actor_mix.h"
#include "brobygger/bench/v1/echo.grpc.pb.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace brobygger::bench {
namespace {

namespace registry_v1 = registry::v1;

constexpr char kEchoPayload[] = "brobygger-bench!";  // 16 bytes

// One unary call at a time: a fresh ClientContext per call (gRPC requires
// it), the request made by NextRequest, the answer judged by Check.
template <typename Stub, typename Request, typename Response>
class UnaryCall : public Call {
 public:
  UnaryCall(std::unique_ptr<Stub> stub, std::string token)
      : stub_(std::move(stub)), bearer_(absl::StrCat("Bearer ", token)) {}

  void Start(grpc::CompletionQueue* cq,
             std::chrono::system_clock::time_point deadline,
             void* tag) override {
    NextRequest(&request_);
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(deadline);
    context_->AddMetadata("authorization", bearer_);
    response_.Clear();
    reader_ = Prepare(*stub_, context_.get(), request_, cq);
    reader_->StartCall();
    reader_->Finish(&response_, &status_, tag);
  }

  absl::Status Finish() override {
    if (!status_.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status_.error_code()),
                          status_.error_message());
    }
    return Check(request_, response_);
  }

 protected:
  virtual std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> Prepare(
      Stub& stub, grpc::ClientContext* context, const Request& request,
      grpc::CompletionQueue* cq) = 0;
  virtual void NextRequest(Request* request) = 0;
  virtual absl::Status Check(const Request& request,
                             const Response& response) = 0;

 private:
  std::unique_ptr<Stub> stub_;
  std::string bearer_;
  std::unique_ptr<grpc::ClientContext> context_;
  Request request_;
  Response response_;
  grpc::Status status_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader_;
};

class EchoCall final : public UnaryCall<v1::EchoService::Stub, v1::EchoRequest,
                                        v1::EchoResponse> {
 public:
  using UnaryCall::UnaryCall;

 protected:
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::EchoResponse>> Prepare(
      v1::EchoService::Stub& stub, grpc::ClientContext* context,
      const v1::EchoRequest& request, grpc::CompletionQueue* cq) override {
    return stub.PrepareAsyncEcho(context, request, cq);
  }
  void NextRequest(v1::EchoRequest* request) override {
    request->set_payload(kEchoPayload);
  }
  absl::Status Check(const v1::EchoRequest& request,
                     const v1::EchoResponse& response) override {
    if (response.payload() != kEchoPayload) {
      return absl::DataLossError("Echo returned a different payload");
    }
    return absl::OkStatus();
  }
};

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

class EchoScenarioImpl final : public Scenario {
 public:
  explicit EchoScenarioImpl(std::string token) : token_(std::move(token)) {}
  std::string name() const override { return "Echo"; }
  std::unique_ptr<Call> NewCall(const std::shared_ptr<grpc::Channel>& channel,
                                int slot) override {
    return std::make_unique<EchoCall>(v1::EchoService::NewStub(channel),
                                      token_);
  }

 private:
  std::string token_;
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

std::unique_ptr<Scenario> EchoScenario(std::string token) {
  return std::make_unique<EchoScenarioImpl>(std::move(token));
}

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
