#include "bench/notifications_bench/config.h"

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

ABSL_FLAG(std::string, scenarios, "throughput,latency,fanout",
          "Comma-separated scenarios: throughput (events through the "
          "pipeline), latency (registry write to inbox), fanout (one "
          "broadcast to --fanout_recipients volunteers).");
ABSL_FLAG(uint32_t, seed, 1, "Seed of the synthetic towns and events.");
ABSL_FLAG(int, towns, 12, "Towns the people live in (1 to 14).");
ABSL_FLAG(int, volunteers, 2000,
          "Throughput: volunteers, each subscribed to activities in their "
          "town.");
ABSL_FLAG(int, events, 5000,
          "Throughput: catalogue ActivityPublished events, each in one town.");
ABSL_FLAG(std::string, replicas, "1,2",
          "Throughput: comma-separated numbers of consumers (replicas, one "
          "thread each) sharing the consumer group.");
ABSL_FLAG(absl::Duration, consumer_block, absl::Milliseconds(100),
          "Throughput: XREADGROUP BLOCK of the consumers (the service's "
          "default).");
ABSL_FLAG(absl::Duration, throughput_time, absl::Seconds(20),
          "Throughput: after this long the consumers are stopped (each "
          "finishes its batch in hand, up to 64 events); events/s are over "
          "the events handled, the rest stay unread.");
ABSL_FLAG(int, latency_rate, 200,
          "Latency: registry writes per second (steady, open loop).");
ABSL_FLAG(absl::Duration, latency_duration, absl::Seconds(10),
          "Latency: how long the writes go on per variant.");
ABSL_FLAG(std::string, latency_blocks, "100ms,10ms",
          "Latency: comma-separated XREADGROUP BLOCK values of the follower, "
          "one in-process variant each.");
ABSL_FLAG(absl::Duration, watch_poll_interval, absl::Milliseconds(100),
          "Latency: how often the WatchHub polls watched inboxes (the "
          "service's --watch_poll_interval default).");
ABSL_FLAG(bool, latency_registry, true,
          "Latency: also start the registry binary and time CreateActor over "
          "gRPC until the message is in the inbox.");
ABSL_FLAG(std::string, registry_binary, "",
          "The registry executable (default: the one of this build tree).");
ABSL_FLAG(std::string, server_log_level, "info",
          "--log_level of the registry (info is the production default).");
ABSL_FLAG(int, fanout_recipients, 100000,
          "Fan-out: volunteers the broadcast reaches.");
ABSL_FLAG(int, seed_threads, 16,
          "Threads feeding the projection and creating subscriptions while "
          "setting up (not measured; with appendfsync always many clients "
          "share each fsync).");
ABSL_FLAG(absl::Duration, time_limit, absl::Minutes(10),
          "Abort (and clean up) after this long.");

namespace brobygger::bench {
namespace {

absl::Status InRange(absl::string_view flag, int64_t value, int64_t low,
                     int64_t high) {
  if (value >= low && value <= high) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "--", flag, " must be ", low, " to ", high, "; got ", value));
}

}  // namespace

absl::StatusOr<Config> ReadConfig() {
  Config config;
  for (absl::string_view part : absl::StrSplit(absl::GetFlag(FLAGS_scenarios),
                                               ',', absl::SkipWhitespace())) {
    if (part != "throughput" && part != "latency" && part != "fanout") {
      return absl::InvalidArgumentError(
          absl::StrCat("--scenarios: unknown scenario \"", part,
                       "\"; choose from throughput, latency, fanout"));
    }
    config.scenarios.emplace_back(part);
  }
  if (config.scenarios.empty()) {
    return absl::InvalidArgumentError(
        "--scenarios is empty; e.g. throughput,latency,fanout");
  }
  config.seed = absl::GetFlag(FLAGS_seed);
  config.towns = absl::GetFlag(FLAGS_towns);
  if (absl::Status s = InRange("towns", config.towns, 1, 14); !s.ok()) return s;

  config.volunteers = absl::GetFlag(FLAGS_volunteers);
  if (absl::Status s = InRange("volunteers", config.volunteers, 1, 100000);
      !s.ok()) {
    return s;
  }
  config.events = absl::GetFlag(FLAGS_events);
  if (absl::Status s = InRange("events", config.events, 1, 1000000); !s.ok()) {
    return s;
  }
  for (absl::string_view part : absl::StrSplit(absl::GetFlag(FLAGS_replicas),
                                               ',', absl::SkipWhitespace())) {
    int replicas = 0;
    if (!absl::SimpleAtoi(part, &replicas) || replicas < 1 || replicas > 16) {
      return absl::InvalidArgumentError(
          absl::StrCat("--replicas: \"", part, "\" is not 1 to 16"));
    }
    config.replicas.push_back(replicas);
  }
  if (config.replicas.empty()) {
    return absl::InvalidArgumentError("--replicas is empty; e.g. 1,2");
  }
  config.consumer_block = absl::GetFlag(FLAGS_consumer_block);
  if (config.consumer_block < absl::ZeroDuration() ||
      config.consumer_block > absl::Seconds(1)) {
    return absl::InvalidArgumentError("--consumer_block must be 0 to 1s");
  }

  config.throughput_time = absl::GetFlag(FLAGS_throughput_time);
  if (config.throughput_time < absl::Seconds(1) ||
      config.throughput_time > absl::Hours(1)) {
    return absl::InvalidArgumentError("--throughput_time must be 1s to 1h");
  }
  config.latency_rate = absl::GetFlag(FLAGS_latency_rate);
  if (absl::Status s = InRange("latency_rate", config.latency_rate, 1, 5000);
      !s.ok()) {
    return s;
  }
  config.latency_duration = absl::GetFlag(FLAGS_latency_duration);
  if (config.latency_duration < absl::Seconds(1) ||
      config.latency_duration > absl::Minutes(10)) {
    return absl::InvalidArgumentError("--latency_duration must be 1s to 10m");
  }
  for (absl::string_view part : absl::StrSplit(
           absl::GetFlag(FLAGS_latency_blocks), ',', absl::SkipWhitespace())) {
    absl::Duration block;
    if (!absl::ParseDuration(part, &block) || block < absl::ZeroDuration() ||
        block > absl::Seconds(1)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--latency_blocks: \"", part, "\" is not a duration of 0 to 1s"));
    }
    config.latency_blocks.push_back(block);
  }
  config.watch_poll_interval = absl::GetFlag(FLAGS_watch_poll_interval);
  if (config.watch_poll_interval < absl::Milliseconds(1) ||
      config.watch_poll_interval > absl::Seconds(10)) {
    return absl::InvalidArgumentError(
        "--watch_poll_interval must be 1ms to 10s");
  }
  config.latency_registry = absl::GetFlag(FLAGS_latency_registry);
  config.registry_binary = absl::GetFlag(FLAGS_registry_binary);
  config.server_log_level = absl::GetFlag(FLAGS_server_log_level);

  config.fanout_recipients = absl::GetFlag(FLAGS_fanout_recipients);
  if (absl::Status s =
          InRange("fanout_recipients", config.fanout_recipients, 1, 1000000);
      !s.ok()) {
    return s;
  }
  config.seed_threads = absl::GetFlag(FLAGS_seed_threads);
  if (absl::Status s = InRange("seed_threads", config.seed_threads, 1, 24);
      !s.ok()) {
    return s;
  }
  config.time_limit = absl::GetFlag(FLAGS_time_limit);
  if (config.time_limit < absl::Seconds(10)) {
    return absl::InvalidArgumentError("--time_limit must be at least 10s");
  }
  return config;
}

bool Config::Wants(absl::string_view scenario) const {
  for (const std::string& name : scenarios) {
    if (name == scenario) return true;
  }
  return false;
}

}  // namespace brobygger::bench
