// Runs a benchmark's scenarios at each concurrency, each scenario's
// warm-up and measured time cut into slices that run in turn with the
// other scenarios' slices: a change in the machine's background load then
// affects the baseline and the service alike instead of skewing their
// ratio.
#ifndef BROBYGGER_BENCH_HARNESS_INTERLEAVED_LOAD_H_
#define BROBYGGER_BENCH_HARNESS_INTERLEAVED_LOAD_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/harness/load.h"
#include "common/redis/redis_pool.h"

namespace brobygger::bench {

struct PlannedScenario {
  std::unique_ptr<Scenario> scenario;
  std::string target;  // "127.0.0.1:port" of the server under test
  // Whose CPU time is measured besides the client's: the server under
  // test, redis-server, then the other servers of the run.
  std::vector<pid_t> pids;
};

struct InterleaveOptions {
  std::vector<int> concurrency;
  int rounds = 5;
  int client_threads = 1;
  // Per scenario and concurrency, over all slices.
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
  absl::Duration call_deadline = absl::Seconds(2);
  // The private redis-server, for INFO commandstats at the windows' edges.
  redis::RedisOptions redis;
};

// One result per concurrency and scenario, in that order; the Redis
// commands each ran are filled in.
std::vector<LoadResult> RunInterleaved(std::vector<PlannedScenario>& planned,
                                       const InterleaveOptions& options);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_INTERLEAVED_LOAD_H_
