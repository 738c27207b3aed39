// The registry service binary.
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/string_view.h"
#include "common/config/flags.h"
#include "common/log/log.h"
#include "common/redis/redis_pool.h"
#include "common/server/bootstrap.h"
#include "common/server/service_host.h"
#include "services/registry/matching_follower.h"
#include "services/registry/method_policies.h"
#include "services/registry/registry.h"
#include "services/registry/registry_service.h"

ABSL_FLAG(absl::Duration, audit_retention, absl::Hours(24 * 365 * 5),
          "How long reads of newcomers' personal data stay in the audit log "
          "(env BROBYGGER_AUDIT_RETENTION).");

namespace {

using namespace brobygger;  // NOLINT: a main() wiring everything together.

}  // namespace

int main(int argc, char** argv) {
  server::InitService(argc, argv, "registry");
  redis::RedisPool pool(server::RedisOptionsFromFlags());
  auto authorizer = server::AuthorizerFromFlags(
      registry::v1::RegistryService::service_full_name(),
      registry::RegistryMethodPolicies());
  if (!authorizer.ok()) {
    return server::FailStart("cannot set up auth", authorizer.status());
  }

  registry::RegistryOptions options;
  options.retention.max_len = absl::GetFlag(FLAGS_event_stream_maxlen);
  options.audit_retention = absl::GetFlag(FLAGS_audit_retention);
  registry::Registry registry(pool, options);
  registry::RegistryService service(registry, *authorizer);

  server::HostOptions host_options = server::HostOptionsFromFlags(
      "registry", "127.0.0.1:50051", "127.0.0.1:9101");
  host_options.readiness_probe = [&pool] { return pool.Ping(); };
  server::InstallSignalHandlers();
  server::ServiceHost host(host_options);
  host.AddService(&service);
  // Grants of the redacted newcomer view follow matching's events.
  registry::MatchingFollowerOptions follower_options;
  follower_options.consumer = server::ReplicaName();
  registry::MatchingFollower follower(pool, registry.grants(),
                                      follower_options);
  follower.Start();
  if (absl::Status status = host.Start(); !status.ok()) {
    return server::FailStart("cannot start", status);
  }
  host.Wait();
  follower.Stop();
  return EXIT_SUCCESS;
}
