#include "bench/harness/echo_scenario.h"

#include <utility>

#include "bench/harness/report.h"
#include "bench/harness/unary_call.h"
#include "brobygger/bench/v1/echo.grpc.pb.h"

namespace brobygger::bench {
namespace {

constexpr char kEchoPayload[] = "brobygger-bench!";  // 16 bytes

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

class EchoScenarioImpl final : public Scenario {
 public:
  explicit EchoScenarioImpl(std::string token) : token_(std::move(token)) {}
  std::string name() const override { return kBaselineScenario; }
  std::unique_ptr<Call> NewCall(const std::shared_ptr<grpc::Channel>& channel,
                                int slot) override {
    return std::make_unique<EchoCall>(v1::EchoService::NewStub(channel),
                                      token_);
  }

 private:
  std::string token_;
};

}  // namespace

std::unique_ptr<Scenario> EchoScenario(std::string token) {
  return std::make_unique<EchoScenarioImpl>(std::move(token));
}

}  // namespace brobygger::bench
