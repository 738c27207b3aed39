// The benchmark's settings: its command-line flags, checked.
#ifndef BROBYGGER_BENCH_REGISTRY_BENCH_CONFIG_H_
#define BROBYGGER_BENCH_REGISTRY_BENCH_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace brobygger::bench {

// See the flag descriptions (registry_bench --help).
struct Config {
  int actors;
  std::vector<int> concurrency;
  std::vector<std::string> scenarios;
  absl::Duration duration;
  absl::Duration warmup;
  absl::Duration call_deadline;
  int rounds;
  int client_threads;
  int page_size;
  absl::Duration time_limit;
  uint32_t seed;
  std::string registry_binary;  // empty = the one of this build tree
  std::string echo_binary;      // empty = the one of this build tree
  std::string server_log_level;

  bool Wants(absl::string_view scenario) const;
};

// Reads the flags (after absl::ParseCommandLine); INVALID_ARGUMENT names the
// flag and says what it accepts.
absl::StatusOr<Config> ReadConfig();

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_REGISTRY_BENCH_CONFIG_H_
