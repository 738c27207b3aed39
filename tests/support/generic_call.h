// Calls gRPC methods by name with raw serialized messages, for clients whose
// generated code is not available here (grpc.health.v1, reflection).
#ifndef BROBYGGER_TESTS_SUPPORT_GENERIC_CALL_H_
#define BROBYGGER_TESTS_SUPPORT_GENERIC_CALL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace brobygger::test {

// One unary call to `method` ("/package.Service/Method"); returns the
// serialized response, or the call's status.
absl::StatusOr<std::string> GenericUnaryCall(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
    const std::string& request, absl::Duration timeout = absl::Seconds(5));

// A streaming call: sends every request, half-closes, and returns every
// response once the server has finished with OK.
absl::StatusOr<std::vector<std::string>> GenericStreamingCall(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
    const std::vector<std::string>& requests,
    absl::Duration timeout = absl::Seconds(5));

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_GENERIC_CALL_H_
