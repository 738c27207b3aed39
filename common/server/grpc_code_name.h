// Canonical names of gRPC status codes ("OK", "NOT_FOUND", ...), as used in
// the access log and in the `code` metric label.
#ifndef BROBYGGER_COMMON_SERVER_GRPC_CODE_NAME_H_
#define BROBYGGER_COMMON_SERVER_GRPC_CODE_NAME_H_

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace brobygger::server {

// Number of canonical codes (OK = 0 ... UNAUTHENTICATED = 16).
inline constexpr int kGrpcCodeCount = 17;

// "UNKNOWN" for a value outside the canonical range.
absl::string_view GrpcCodeName(grpc::StatusCode code);

}  // namespace brobygger::server

#endif  // BROBYGGER_COMMON_SERVER_GRPC_CODE_NAME_H_
