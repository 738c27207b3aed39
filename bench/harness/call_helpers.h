// Small helpers for the synchronous calls benchmarks make while setting
// up (seeding, verifying): deadline and token, status conversion, which
// failures a retry may cure.
#ifndef BROBYGGER_BENCH_HARNESS_CALL_HELPERS_H_
#define BROBYGGER_BENCH_HARNESS_CALL_HELPERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace brobygger::bench {

// Sets the deadline (from now) and "authorization: Bearer <token>".
void PrepareContext(grpc::ClientContext* context, const std::string& token,
                    absl::Duration deadline);

// The gRPC status as an absl::Status, its message prefixed with `what`.
absl::Status FromGrpc(const grpc::Status& status, absl::string_view what);

// Failures that say nothing about the request: the server was busy,
// briefly unreachable, or the call lost a race; a retry may succeed.
bool Retryable(grpc::StatusCode code);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_CALL_HELPERS_H_
