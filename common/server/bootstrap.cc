#include "common/server/bootstrap.h"

#include <unistd.h>

#include <cstdlib>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/auth/jwt.h"
#include "common/config/flags.h"
#include "common/log/log.h"
#include "google/protobuf/descriptor.h"

namespace brobygger::server {

void InitService(int argc, char** argv, absl::string_view service) {
  config::ParseFlags(argc, argv);
  log::SetServiceName(std::string(service));
  log::Level level;
  if (log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    log::SetMinLevel(level);
  }
}

redis::RedisOptions RedisOptionsFromFlags() {
  redis::RedisOptions options;
  options.host = absl::GetFlag(FLAGS_redis_host);
  options.port = absl::GetFlag(FLAGS_redis_port);
  options.password = absl::GetFlag(FLAGS_redis_password);
  options.max_connections = absl::GetFlag(FLAGS_redis_pool_size);
  options.command_timeout =
      absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_redis_timeout));
  options.connect_timeout = options.command_timeout;
  return options;
}

absl::StatusOr<std::shared_ptr<const auth::Authorizer>> AuthorizerFromFlags(
    absl::string_view service_full_name,
    std::vector<auth::MethodPolicy> policies) {
  auth::VerifierOptions verifier_options;
  verifier_options.public_keys_dir = absl::GetFlag(FLAGS_jwt_public_keys_dir);
  verifier_options.issuer = absl::GetFlag(FLAGS_jwt_issuer);
  auto verifier = auth::JwtVerifier::Create(verifier_options);
  if (!verifier.ok()) return verifier.status();
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(service_full_name));
  if (service == nullptr) {
    return absl::InternalError(
        absl::StrCat("unknown gRPC service ", service_full_name));
  }
  auto authorizer = auth::Authorizer::Create(
      service, std::move(policies),
      std::shared_ptr<auth::JwtVerifier>(std::move(*verifier)));
  if (!authorizer.ok()) return authorizer.status();
  return std::shared_ptr<const auth::Authorizer>(std::move(*authorizer));
}

int FailStart(absl::string_view what, const absl::Status& status) {
  log::Error(what, {{"error", status.ToString()}});
  return EXIT_FAILURE;
}

std::string ReplicaName() {
  char hostname[256] = {};
  gethostname(hostname, sizeof(hostname) - 1);
  return absl::StrCat(hostname, "-", getpid());
}

}  // namespace brobygger::server
