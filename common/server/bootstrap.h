// The start-up steps every service binary shares: flags and logging,
// the Redis pool and the authorizer from the common flags.
#ifndef BROBYGGER_COMMON_SERVER_BOOTSTRAP_H_
#define BROBYGGER_COMMON_SERVER_BOOTSTRAP_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/authorizer.h"
#include "common/redis/redis_pool.h"

namespace brobygger::server {

// Parses flags (and their BROBYGGER_* environment variables) and sets up
// JSON logging for `service`.
void InitService(int argc, char** argv, absl::string_view service);

// Redis connection options from --redis_* flags.
redis::RedisOptions RedisOptionsFromFlags();

// The authorizer of gRPC service `service_full_name` with `policies`,
// verifying tokens with the keys of --jwt_public_keys_dir.
absl::StatusOr<std::shared_ptr<const auth::Authorizer>> AuthorizerFromFlags(
    absl::string_view service_full_name,
    std::vector<auth::MethodPolicy> policies);

// Logs why the service cannot start and returns EXIT_FAILURE, for main().
int FailStart(absl::string_view what, const absl::Status& status);

// A name unique to this process among the replicas ("<hostname>-<pid>"),
// e.g. for its consumer in event consumer groups.
std::string ReplicaName();

}  // namespace brobygger::server

#endif  // BROBYGGER_COMMON_SERVER_BOOTSTRAP_H_
