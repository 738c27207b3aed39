// The two messages of grpc.health.v1.Health/Check in protobuf wire format:
//   HealthCheckRequest  { string service = 1; }
//   HealthCheckResponse { ServingStatus status = 1; }
#ifndef BROBYGGER_TOOLS_BROCTL_HEALTH_WIRE_H_
#define BROBYGGER_TOOLS_BROCTL_HEALTH_WIRE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace brobygger::broctl {

// grpc.health.v1.HealthCheckResponse.ServingStatus.
enum class HealthStatus {
  kUnknown = 0,
  kServing = 1,
  kNotServing = 2,
  kServiceUnknown = 3,
};

absl::string_view HealthStatusName(HealthStatus status);

std::string EncodeHealthCheckRequest(absl::string_view service);

// DATA_LOSS for bytes that are not a HealthCheckResponse. Unknown fields
// are skipped, as protobuf parsers do; a missing status is UNKNOWN (0).
absl::StatusOr<HealthStatus> DecodeHealthCheckResponse(absl::string_view bytes);

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_HEALTH_WIRE_H_
