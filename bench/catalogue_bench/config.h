// The benchmark's settings: its command-line flags, checked.
#ifndef BROBYGGER_BENCH_CATALOGUE_BENCH_CONFIG_H_
#define BROBYGGER_BENCH_CATALOGUE_BENCH_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/harness/load_config.h"

namespace brobygger::bench {

// The scenarios --scenarios may name, in the order they run.
const std::vector<std::string>& CatalogueScenarioKeys();

// See the flag descriptions (catalogue_bench --help).
struct Config {
  LoadConfig load;  // time_limit resolved
  int activities;
  int organisers;
  int seed_concurrency;
  std::vector<std::string> scenarios;
  int page_size;
  uint32_t seed;
  std::string catalogue_binary;  // empty = the one of this build tree
  std::string registry_binary;   // empty = the one of this build tree
  std::string echo_binary;       // empty = the one of this build tree
  std::string server_log_level;

  bool Wants(absl::string_view scenario) const;
};

// Reads the flags (after absl::ParseCommandLine); INVALID_ARGUMENT names the
// flag and says what it accepts.
absl::StatusOr<Config> ReadConfig();

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_CATALOGUE_BENCH_CONFIG_H_
