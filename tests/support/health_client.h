// A grpc.health.v1 client for tests (the generated health client is not
// packaged): Health/Check with hand-encoded messages.
#ifndef BROBYGGER_TESTS_SUPPORT_HEALTH_CLIENT_H_
#define BROBYGGER_TESTS_SUPPORT_HEALTH_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace brobygger::test {

// True if `service_name` ("" for the whole server, "liveness", or a full
// service name) is SERVING, false for any other reported status. An error
// when the call fails, e.g. NOT_FOUND for a name the server does not know
// or UNAVAILABLE when nothing listens.
absl::StatusOr<bool> IsServing(const std::shared_ptr<grpc::Channel>& channel,
                               const std::string& service_name);

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_HEALTH_CLIENT_H_
