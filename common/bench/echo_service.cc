#include "common/bench/echo_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"

namespace brobygger::bench {
namespace {

// How often a delayed call checks whether it was cancelled (client gone,
// deadline passed, or the drain timeout ran out).
constexpr absl::Duration kCancelCheck = absl::Milliseconds(5);

}  // namespace

grpc::Status EchoServiceImpl::Echo(grpc::ServerContext* context,
                                   const v1::EchoRequest* request,
                                   v1::EchoResponse* response) {
  const int delay_ms = request->delay_ms();
  if (delay_ms < 0 || delay_ms > kMaxEchoDelayMs) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("delay_ms must be between 0 and ", kMaxEchoDelayMs,
                     "; got ", delay_ms, ". Send a delay in that range."));
  }
  if (delay_ms > 0) {
    const absl::Time until = absl::Now() + absl::Milliseconds(delay_ms);
    for (absl::Time now = absl::Now(); now < until; now = absl::Now()) {
      if (context->IsCancelled()) {
        return grpc::Status(grpc::StatusCode::CANCELLED,
                            "the call was cancelled during its delay");
      }
      absl::SleepFor(std::min(kCancelCheck, until - now));
    }
  }
  response->set_payload(request->payload());
  return grpc::Status::OK;
}

}  // namespace brobygger::bench
