// brobygger.bench.v1.EchoService: answers with the request's payload. It
// runs inside the same ServiceHost as the real services, so the benchmark
// and the bootstrap's tests exercise interceptors, metrics, health and
// drain without any domain or Redis cost.
#ifndef BROBYGGER_COMMON_BENCH_ECHO_SERVICE_H_
#define BROBYGGER_COMMON_BENCH_ECHO_SERVICE_H_

#include "brobygger/bench/v1/echo.grpc.pb.h"

namespace brobygger::bench {

// Largest accepted EchoRequest.delay_ms.
inline constexpr int kMaxEchoDelayMs = 10000;

class EchoServiceImpl final : public v1::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext* context,
                    const v1::EchoRequest* request,
                    v1::EchoResponse* response) override;
};

}  // namespace brobygger::bench

#endif  // BROBYGGER_COMMON_BENCH_ECHO_SERVICE_H_
