// The registry service binary.
#include <cstdlib>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/auth/authorizer.h"
#include "common/auth/jwt.h"
#include "common/config/flags.h"
#include "common/log/log.h"
#include "common/redis/redis_pool.h"
#include "common/server/service_host.h"
#include "google/protobuf/descriptor.h"
#include "services/registry/method_policies.h"
#include "services/registry/registry.h"
#include "services/registry/registry_service.h"

ABSL_FLAG(absl::Duration, audit_retention, absl::Hours(24 * 365 * 5),
          "How long reads of newcomers' personal data stay in the audit log "
          "(env BROBYGGER_AUDIT_RETENTION).");

namespace {

using namespace brobygger;  // NOLINT: a main() wiring everything together.

int Fail(absl::string_view what, const absl::Status& status) {
  log::Error(what, {{"error", status.ToString()}});
  return EXIT_FAILURE;
}

}  // namespace

int main(int argc, char** argv) {
  config::ParseFlags(argc, argv);
  log::SetServiceName("registry");
  log::Level level;
  if (log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    log::SetMinLevel(level);
  }

  redis::RedisOptions redis_options;
  redis_options.host = absl::GetFlag(FLAGS_redis_host);
  redis_options.port = absl::GetFlag(FLAGS_redis_port);
  redis_options.password = absl::GetFlag(FLAGS_redis_password);
  redis_options.max_connections = absl::GetFlag(FLAGS_redis_pool_size);
  redis_options.command_timeout =
      absl::ToChronoMilliseconds(absl::GetFlag(FLAGS_redis_timeout));
  redis_options.connect_timeout = redis_options.command_timeout;
  redis::RedisPool pool(redis_options);

  auth::VerifierOptions verifier_options;
  verifier_options.public_keys_dir = absl::GetFlag(FLAGS_jwt_public_keys_dir);
  verifier_options.issuer = absl::GetFlag(FLAGS_jwt_issuer);
  auto verifier = auth::JwtVerifier::Create(verifier_options);
  if (!verifier.ok()) return Fail("cannot load JWT keys", verifier.status());
  auto authorizer = auth::Authorizer::Create(
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          registry::v1::RegistryService::service_full_name()),
      registry::RegistryMethodPolicies(),
      std::shared_ptr<auth::JwtVerifier>(std::move(*verifier)));
  if (!authorizer.ok()) return Fail("bad method policies", authorizer.status());

  registry::RegistryOptions options;
  options.retention.max_len = absl::GetFlag(FLAGS_event_stream_maxlen);
  options.audit_retention = absl::GetFlag(FLAGS_audit_retention);
  registry::Registry registry(pool, options);
  registry::RegistryService service(
      registry,
      std::shared_ptr<const auth::Authorizer>(std::move(*authorizer)));

  server::HostOptions host_options = server::HostOptionsFromFlags(
      "registry", "127.0.0.1:50051", "127.0.0.1:9101");
  host_options.readiness_probe = [&pool] { return pool.Ping(); };
  server::InstallSignalHandlers();
  server::ServiceHost host(host_options);
  host.AddService(&service);
  if (absl::Status status = host.Start(); !status.ok()) {
    return Fail("cannot start", status);
  }
  host.Wait();
  return EXIT_SUCCESS;
}
