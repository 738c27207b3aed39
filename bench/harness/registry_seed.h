// Loads a synthetic municipality (actor_mix.h) into a running registry
// over gRPC, as an operator (the municipality) and a coordinator (the
// actors).
#ifndef BROBYGGER_BENCH_HARNESS_REGISTRY_SEED_H_
#define BROBYGGER_BENCH_HARNESS_REGISTRY_SEED_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/harness/actor_mix.h"
#include "grpcpp/channel.h"

namespace brobygger::bench {

struct SeedOptions {
  std::string operator_token;
  std::string coordinator_token;
  // Concurrent CreateActor calls.
  int concurrency = 8;
  absl::Duration call_deadline = absl::Seconds(10);
};

struct Seeded {
  std::string parent;  // "municipalities/aalborg"
  // The registry's names of the mix's actors, in the mix's order.
  std::vector<std::string> actor_names;
  absl::Duration took;
};

// Creates the municipality and every actor of `mix` (parents first). Each
// create carries a request_id, so a retry after a timeout is safe.
absl::StatusOr<Seeded> SeedRegistry(
    const std::shared_ptr<grpc::Channel>& channel, const ActorMix& mix,
    const SeedOptions& options);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_REGISTRY_SEED_H_
