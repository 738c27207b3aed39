// notifications_bench's settings: its command-line flags, checked.
#ifndef BROBYGGER_BENCH_NOTIFICATIONS_BENCH_CONFIG_H_
#define BROBYGGER_BENCH_NOTIFICATIONS_BENCH_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace brobygger::bench {

// See the flag descriptions (notifications_bench --help).
struct Config {
  std::vector<std::string> scenarios;  // throughput, latency, fanout
  uint32_t seed = 1;
  int towns = 12;

  // 1. Throughput.
  int volunteers = 2000;
  int events = 5000;
  std::vector<int> replicas;  // consumer counts, e.g. {1, 2}
  absl::Duration consumer_block;
  absl::Duration throughput_time;  // cap per consumer count

  // 2. Latency.
  int latency_rate = 200;  // writes per second
  absl::Duration latency_duration;
  std::vector<absl::Duration> latency_blocks;
  absl::Duration watch_poll_interval;
  bool latency_registry = true;
  std::string registry_binary;  // empty = the one of this build tree
  std::string server_log_level;

  // 3. Fan-out.
  int fanout_recipients = 100000;
  int seed_threads = 16;

  absl::Duration time_limit;

  bool Wants(absl::string_view scenario) const;
};

// Reads the flags (after absl::ParseCommandLine); INVALID_ARGUMENT names
// the flag and says what it accepts.
absl::StatusOr<Config> ReadConfig();

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_NOTIFICATIONS_BENCH_CONFIG_H_
