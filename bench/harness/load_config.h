// The load settings every benchmark has. Each benchmark defines the flags
// itself (with its own defaults and --help text) and has their values
// checked here, so the limits and messages are the same everywhere.
#ifndef BROBYGGER_BENCH_HARNESS_LOAD_CONFIG_H_
#define BROBYGGER_BENCH_HARNESS_LOAD_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/harness/interleaved_load.h"

namespace brobygger::bench {

// The flags' values as given.
struct LoadFlags {
  std::string concurrency;  // "1,16"
  absl::Duration duration;
  absl::Duration warmup;
  int rounds = 0;
  absl::Duration call_deadline;
  int client_threads = 0;     // 0 = one per core
  absl::Duration time_limit;  // 0 = the benchmark's default
};

struct LoadConfig {
  std::vector<int> concurrency;
  absl::Duration duration;
  absl::Duration warmup;
  int rounds = 0;
  absl::Duration call_deadline;
  int client_threads = 0;     // resolved: at least 1
  absl::Duration time_limit;  // as given, 0 = the benchmark's default

  // How long the load of `scenarios` scenarios at every concurrency takes:
  // per slice its share of warm-up and measurement, plus connecting,
  // starting the client threads and finishing the calls in flight.
  absl::Duration Planned(int scenarios) const;

  // The interleaved run of these settings against `redis`.
  InterleaveOptions Interleave(const redis::RedisOptions& redis) const;
};

// INVALID_ARGUMENT names the flag and says what it accepts.
absl::StatusOr<LoadConfig> ReadLoadConfig(const LoadFlags& flags);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_LOAD_CONFIG_H_
