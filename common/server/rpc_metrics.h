// Prometheus metrics of the gRPC server, named as in go-grpc-prometheus so
// existing dashboards apply:
//   grpc_server_started_total{service,method}
//   grpc_server_handled_total{service,method,code}
//   grpc_server_handling_seconds{service,method}   (histogram)
//   process_start_time_seconds
//
// Label values come only from methods declared up front: a client can send
// any method path, and an unbounded label set would exhaust the metrics
// store, so undeclared paths are all counted as service="unknown".
#ifndef BROBYGGER_COMMON_SERVER_RPC_METRICS_H_
#define BROBYGGER_COMMON_SERVER_RPC_METRICS_H_

#include <array>
#include <atomic>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/server/grpc_code_name.h"
#include "grpcpp/support/status.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace brobygger::server {

class RpcMetrics {
 public:
  // The metrics of one method; stable for the life of RpcMetrics.
  class Method {
   public:
    void Started() { started_->Increment(); }
    void Handled(grpc::StatusCode code, double seconds);

   private:
    friend class RpcMetrics;
    Method(RpcMetrics* owner, std::string service, std::string method);

    RpcMetrics* owner_;
    std::string service_;
    std::string method_;
    prometheus::Counter* started_;
    prometheus::Histogram* seconds_;
    // One counter per code, created on first use so that /metrics is not
    // padded with 17 zero series per method.
    std::array<std::atomic<prometheus::Counter*>, kGrpcCodeCount> handled_{};
  };

  explicit RpcMetrics(std::shared_ptr<prometheus::Registry> registry);
  RpcMetrics(const RpcMetrics&) = delete;
  RpcMetrics& operator=(const RpcMetrics&) = delete;

  // Declares every method of a service found in the generated descriptor
  // pool (plus the built-in health service). Must happen before the server
  // handles calls: lookups afterwards are lock-free reads.
  void DeclareService(absl::string_view full_service_name);

  // The metrics for a method path "/package.Service/Method"; never null.
  Method* ForPath(absl::string_view path);

 private:
  void DeclareMethod(absl::string_view service, absl::string_view method);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& started_family_;
  prometheus::Family<prometheus::Counter>& handled_family_;
  prometheus::Family<prometheus::Histogram>& seconds_family_;
  absl::Mutex handled_mu_;  // serialises lazy creation of handled counters
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_;
  std::unique_ptr<Method> unknown_;
};

}  // namespace brobygger::server

#endif  // BROBYGGER_COMMON_SERVER_RPC_METRICS_H_
