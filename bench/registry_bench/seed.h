// Checks that the registry lists what the benchmark loaded into it
// (harness/registry_seed.h).
#ifndef BROBYGGER_BENCH_REGISTRY_BENCH_SEED_H_
#define BROBYGGER_BENCH_REGISTRY_BENCH_SEED_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "bench/harness/actor_mix.h"
#include "bench/harness/registry_seed.h"
#include "grpcpp/channel.h"

namespace brobygger::bench {

// Lists every actor, and every Arabic-speaking volunteer with the filter
// the benchmark uses, and compares the counts with `mix`.
absl::Status VerifySeed(const std::shared_ptr<grpc::Channel>& channel,
                        const ActorMix& mix, const Seeded& seeded,
                        const std::string& token);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_REGISTRY_BENCH_SEED_H_
