#include "bench/harness/load_config.h"

#include <unistd.h>

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace brobygger::bench {
namespace {

constexpr int kMaxConcurrency = 1024;

}  // namespace

absl::StatusOr<LoadConfig> ReadLoadConfig(const LoadFlags& flags) {
  LoadConfig config;
  for (absl::string_view part :
       absl::StrSplit(flags.concurrency, ',', absl::SkipWhitespace())) {
    int value = 0;
    if (!absl::SimpleAtoi(part, &value) || value < 1 ||
        value > kMaxConcurrency) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--concurrency takes numbers from 1 to ", kMaxConcurrency,
          " separated by commas, e.g. 1,16; got \"", part, "\""));
    }
    config.concurrency.push_back(value);
  }
  if (config.concurrency.empty()) {
    return absl::InvalidArgumentError("--concurrency is empty; e.g. 1,16");
  }
  config.duration = flags.duration;
  config.warmup = flags.warmup;
  config.call_deadline = flags.call_deadline;
  if (config.duration <= absl::ZeroDuration() ||
      config.duration > absl::Minutes(10)) {
    return absl::InvalidArgumentError(
        "--duration must be positive and at most 10m, e.g. 5s");
  }
  if (config.warmup < absl::ZeroDuration() ||
      config.warmup > absl::Minutes(1)) {
    return absl::InvalidArgumentError("--warmup must be 0 to 1m, e.g. 1s");
  }
  if (config.call_deadline <= absl::ZeroDuration() ||
      config.call_deadline > absl::Minutes(1)) {
    return absl::InvalidArgumentError(
        "--call_deadline must be positive and at most 1m, e.g. 2s");
  }
  config.rounds = flags.rounds;
  if (config.rounds < 1 || config.rounds > 100) {
    return absl::InvalidArgumentError("--rounds must be 1 to 100");
  }
  if (config.duration / config.rounds < absl::Milliseconds(100)) {
    return absl::InvalidArgumentError(
        "--duration / --rounds must be at least 100ms: each slice needs "
        "enough calls to measure");
  }
  config.client_threads = flags.client_threads;
  if (config.client_threads < 0 || config.client_threads > 64) {
    return absl::InvalidArgumentError(
        "--client_threads must be 0 (one per core) to 64");
  }
  if (config.client_threads == 0) {
    // One thread per core: a single thread caps the echo baseline (about
    // 20% fewer Echo QPS at 16 in flight on 2 cores), which would flatter
    // the service's ratio.
    config.client_threads =
        std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  }
  config.time_limit = flags.time_limit;
  if (config.time_limit < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--time_limit must not be negative");
  }
  return config;
}

absl::Duration LoadConfig::Planned(int scenarios) const {
  return (warmup + duration + absl::Milliseconds(300) * rounds) *
         static_cast<double>(concurrency.size() * scenarios);
}

InterleaveOptions LoadConfig::Interleave(
    const redis::RedisOptions& redis) const {
  InterleaveOptions options;
  options.concurrency = concurrency;
  options.rounds = rounds;
  options.client_threads = client_threads;
  options.warmup = warmup;
  options.duration = duration;
  options.call_deadline = call_deadline;
  options.redis = redis;
  return options;
}

}  // namespace brobygger::bench
