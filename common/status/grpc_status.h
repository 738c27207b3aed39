// The only place where absl::Status becomes grpc::Status (and back, for
// clients). Details attached by errors.h travel as a google.rpc.Status in
// the `grpc-status-details-bin` trailer.
#ifndef BROBYGGER_COMMON_STATUS_GRPC_STATUS_H_
#define BROBYGGER_COMMON_STATUS_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace brobygger {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace brobygger

#endif  // BROBYGGER_COMMON_STATUS_GRPC_STATUS_H_
