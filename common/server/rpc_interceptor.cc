#include "common/server/rpc_interceptor.h"

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/log/log.h"
#include "grpcpp/server_context.h"

namespace brobygger::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class RpcInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(grpc::experimental::ServerRpcInfo* info, RpcMetrics* metrics)
      : info_(info),
        path_(info->method() == nullptr ? "" : info->method()),
        metrics_(metrics->ForPath(path_)) {}

  ~RpcInterceptor() override {
    // A call that ends without a status (the client went away before the
    // handler answered) still counts, as CANCELLED.
    if (started_ && !finished_) {
      Finish(grpc::StatusCode::CANCELLED, "call ended without a status",
             /*peer=*/"");
    }
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      started_ = true;
      start_ = absl::Now();
      metrics_->Started();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        started_ && !finished_) {
      const grpc::Status status = methods->GetSendStatus();
      Finish(status.error_code(), status.error_message(),
             info_->server_context()->peer());
    }
    methods->Proceed();
  }

 private:
  void Finish(grpc::StatusCode code, const std::string& message,
              const std::string& peer) {
    finished_ = true;
    const absl::Duration elapsed = absl::Now() - start_;
    metrics_->Handled(code, absl::ToDoubleSeconds(elapsed));
    const double ms = absl::ToDoubleMilliseconds(elapsed);
    const absl::string_view code_name = GrpcCodeName(code);
    if (code == grpc::StatusCode::OK) {
      log::Debug(
          "rpc",
          {{"method", path_}, {"code", code_name}, {"ms", ms}, {"peer", peer}});
    } else {
      log::Info("rpc", {{"method", path_},
                        {"code", code_name},
                        {"ms", ms},
                        {"peer", peer},
                        {"error", message}});
    }
  }

  grpc::experimental::ServerRpcInfo* info_;
  std::string path_;
  RpcMetrics::Method* metrics_;
  absl::Time start_;
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace

grpc::experimental::Interceptor* RpcInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcInterceptor(info, metrics_);
}

}  // namespace brobygger::server
