// The benchmark's settings: its command-line flags, checked.
#ifndef BROBYGGER_BENCH_REGISTRY_BENCH_CONFIG_H_
#define BROBYGGER_BENCH_REGISTRY_BENCH_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bench/harness/load_config.h"

namespace brobygger::bench {

// See the flag descriptions (registry_bench --help).
struct Config {
  LoadConfig load;  // time_limit resolved
  int actors;
  std::vector<std::string> scenarios;
  int page_size;
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
