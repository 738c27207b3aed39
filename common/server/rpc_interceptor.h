// The server interceptor behind every RPC's metrics and access log line.
//
// It sees each call twice: when its initial metadata arrives (the call
// starts) and when the status is about to be sent (the call ends). Calls that
// gRPC rejects before a handler is matched, notably a request larger than
// max_message_bytes, never reach it and are neither counted nor logged.
#ifndef BROBYGGER_COMMON_SERVER_RPC_INTERCEPTOR_H_
#define BROBYGGER_COMMON_SERVER_RPC_INTERCEPTOR_H_

#include "common/server/rpc_metrics.h"
#include "grpcpp/support/server_interceptor.h"

namespace brobygger::server {

class RpcInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` must outlive the server.
  explicit RpcInterceptorFactory(RpcMetrics* metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  RpcMetrics* metrics_;
};

}  // namespace brobygger::server

#endif  // BROBYGGER_COMMON_SERVER_RPC_INTERCEPTOR_H_
