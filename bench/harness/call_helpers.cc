#include "bench/harness/call_helpers.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace brobygger::bench {

void PrepareContext(grpc::ClientContext* context, const std::string& token,
                    absl::Duration deadline) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::ABORTED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

}  // namespace brobygger::bench
