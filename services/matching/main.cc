// The matching service binary: the gRPC API, the follower of the
// registry's events, and the expiry of unanswered proposals.
#include <cstdlib>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/config/flags.h"
#include "common/log/log.h"
#include "common/redis/redis_pool.h"
#include "common/server/bootstrap.h"
#include "common/server/service_host.h"
#include "services/matching/catalogue_client.h"
#include "services/matching/matching.h"
#include "services/matching/matching_service.h"
#include "services/matching/method_policies.h"
#include "services/matching/registry_snapshot.h"

ABSL_FLAG(std::string, catalogue_address, "127.0.0.1:50052",
          "host:port of the catalogue's gRPC API, read for activity "
          "suggestions (env BROBYGGER_CATALOGUE_ADDRESS).");
ABSL_FLAG(absl::Duration, catalogue_deadline, absl::Seconds(3),
          "Deadline of each call to the catalogue "
          "(env BROBYGGER_CATALOGUE_DEADLINE).");
ABSL_FLAG(std::string, registry_address, "127.0.0.1:50051",
          "host:port of the registry's gRPC API, listed when matching first "
          "serves a municipality (env BROBYGGER_REGISTRY_ADDRESS).");
ABSL_FLAG(std::string, registry_token_file, "",
          "File with the service token for those listings: a coordinator "
          "token for the municipalities matching serves. Empty: matching "
          "learns actors from the registry's retained events only "
          "(env BROBYGGER_REGISTRY_TOKEN_FILE).");
ABSL_FLAG(absl::Duration, proposal_expiry_interval, absl::Seconds(30),
          "How often unanswered proposals are checked for expiry "
          "(env BROBYGGER_PROPOSAL_EXPIRY_INTERVAL).");

namespace {

using namespace brobygger;  // NOLINT: a main() wiring everything together.

}  // namespace

int main(int argc, char** argv) {
  server::InitService(argc, argv, "matching");
  redis::RedisPool pool(server::RedisOptionsFromFlags());
  auto authorizer = server::AuthorizerFromFlags(
      matching::v1::MatchingService::service_full_name(),
      matching::MatchingMethodPolicies());
  if (!authorizer.ok()) {
    return server::FailStart("cannot set up auth", authorizer.status());
  }

  matching::CatalogueClientOptions catalogue_options;
  catalogue_options.address = absl::GetFlag(FLAGS_catalogue_address);
  catalogue_options.deadline = absl::GetFlag(FLAGS_catalogue_deadline);
  matching::CatalogueClient catalogue(catalogue_options);

  matching::MatchingOptions options;
  options.retention.max_len = absl::GetFlag(FLAGS_event_stream_maxlen);
  options.expiry_interval = absl::GetFlag(FLAGS_proposal_expiry_interval);
  options.follower.consumer = server::ReplicaName();
  std::unique_ptr<matching::RegistryClient> registry;
  if (!absl::GetFlag(FLAGS_registry_token_file).empty()) {
    matching::RegistryClientOptions registry_options;
    registry_options.address = absl::GetFlag(FLAGS_registry_address);
    registry_options.token_file = absl::GetFlag(FLAGS_registry_token_file);
    registry = std::make_unique<matching::RegistryClient>(registry_options);
  }
  matching::Matching matching(pool, catalogue, options, registry.get());
  matching::MatchingService service(matching, *authorizer);

  server::HostOptions host_options = server::HostOptionsFromFlags(
      "matching", "127.0.0.1:50053", "127.0.0.1:9103");
  host_options.readiness_probe = [&pool] { return pool.Ping(); };
  server::InstallSignalHandlers();
  server::ServiceHost host(host_options);
  host.AddService(&service);

  matching.follower().Start();
  matching.expiry().Start();
  if (absl::Status status = host.Start(); !status.ok()) {
    return server::FailStart("cannot start", status);
  }
  host.Wait();
  matching.expiry().Stop();
  matching.follower().Stop();
  return EXIT_SUCCESS;
}
