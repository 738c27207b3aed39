// A grpc.reflection.v1alpha client for tests (what `grpc_cli ls` does),
// with hand-encoded messages since the generated client is not packaged.
#ifndef BROBYGGER_TESTS_SUPPORT_REFLECTION_CLIENT_H_
#define BROBYGGER_TESTS_SUPPORT_REFLECTION_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace brobygger::test {

// The full names of the services the server lists through reflection.
absl::StatusOr<std::vector<std::string>> ListServices(
    const std::shared_ptr<grpc::Channel>& channel);

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_REFLECTION_CLIENT_H_
