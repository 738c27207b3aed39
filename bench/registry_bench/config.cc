#include "bench/registry_bench/config.h"

#include <unistd.h>

#include <algorithm>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

ABSL_FLAG(int, actors, 2000,
          "Actors loaded into the registry before the load starts (50 to "
          "100000), about 85% volunteers.");
ABSL_FLAG(std::string, concurrency, "1,16",
          "Comma-separated numbers of calls kept in flight (1 to 1024); "
          "every scenario runs at each.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5),
          "Measured time per scenario and concurrency.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1),
          "Unmeasured load before each measurement.");
ABSL_FLAG(int, rounds, 5,
          "Each scenario's warm-up and measured time are cut into this many "
          "slices, interleaved with the other scenarios' slices.");
ABSL_FLAG(absl::Duration, call_deadline, absl::Seconds(2),
          "Deadline of every call; a call that misses it counts as an "
          "error.");
ABSL_FLAG(int, client_threads, 0,
          "Client threads, each with its own channel (connection) and "
          "completion queue; capped at the concurrency. 0 = one per core.");
ABSL_FLAG(std::string, scenarios, "echo,get,list,list_filter",
          "Which scenarios to run, comma-separated: echo, get, list, "
          "list_filter. Ratios need echo.");
ABSL_FLAG(int, page_size, 50, "page_size of the ListActors scenarios.");
ABSL_FLAG(uint32_t, seed, 1, "Seed of the synthetic actors.");
ABSL_FLAG(std::string, registry_binary, "",
          "The registry executable; default: the one of this build tree.");
ABSL_FLAG(std::string, echo_binary, "",
          "The echo_server executable; default: the one of this build tree.");
ABSL_FLAG(std::string, server_log_level, "info",
          "--log_level of the servers (info is the production default; "
          "successful calls are logged at debug).");
ABSL_FLAG(absl::Duration, time_limit, absl::ZeroDuration(),
          "Abort (and clean up) after this long; 0 = 45s plus the planned "
          "load time.");

namespace brobygger::bench {
namespace {

constexpr int kMinActors = 50;
constexpr int kMaxActors = 100000;
constexpr int kMaxConcurrency = 1024;

}  // namespace

absl::StatusOr<Config> ReadConfig() {
  Config config;
  config.actors = absl::GetFlag(FLAGS_actors);
  if (config.actors < kMinActors || config.actors > kMaxActors) {
    return absl::InvalidArgumentError(
        absl::StrCat("--actors must be between ", kMinActors, " and ",
                     kMaxActors, "; got ", config.actors));
  }
  for (absl::string_view part : absl::StrSplit(absl::GetFlag(FLAGS_concurrency),
                                               ',', absl::SkipWhitespace())) {
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
  for (absl::string_view part : absl::StrSplit(absl::GetFlag(FLAGS_scenarios),
                                               ',', absl::SkipWhitespace())) {
    if (part != "echo" && part != "get" && part != "list" &&
        part != "list_filter") {
      return absl::InvalidArgumentError(
          absl::StrCat("--scenarios: unknown scenario \"", part,
                       "\"; choose from echo, get, list, list_filter"));
    }
    config.scenarios.emplace_back(part);
  }
  if (config.scenarios.empty()) {
    return absl::InvalidArgumentError(
        "--scenarios is empty; e.g. echo,get,list,list_filter");
  }
  config.duration = absl::GetFlag(FLAGS_duration);
  config.warmup = absl::GetFlag(FLAGS_warmup);
  config.call_deadline = absl::GetFlag(FLAGS_call_deadline);
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
  config.rounds = absl::GetFlag(FLAGS_rounds);
  if (config.rounds < 1 || config.rounds > 100) {
    return absl::InvalidArgumentError("--rounds must be 1 to 100");
  }
  if (config.duration / config.rounds < absl::Milliseconds(100)) {
    return absl::InvalidArgumentError(
        "--duration / --rounds must be at least 100ms: each slice needs "
        "enough calls to measure");
  }
  config.client_threads = absl::GetFlag(FLAGS_client_threads);
  if (config.client_threads < 0 || config.client_threads > 64) {
    return absl::InvalidArgumentError(
        "--client_threads must be 0 (one per core) to 64");
  }
  if (config.client_threads == 0) {
    // One thread per core: a single thread caps the echo baseline (about
    // 20% fewer Echo QPS at 16 in flight on 2 cores), which would flatter
    // the registry's ratio.
    config.client_threads =
        std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  }
  config.page_size = absl::GetFlag(FLAGS_page_size);
  if (config.page_size < 1 || config.page_size > 1000) {
    return absl::InvalidArgumentError("--page_size must be 1 to 1000");
  }
  // Per slice: its share of warm-up and measurement, plus connecting,
  // starting the client threads and finishing the calls in flight.
  const absl::Duration planned =
      (config.warmup + config.duration +
       absl::Milliseconds(300) * config.rounds) *
      static_cast<double>(config.concurrency.size() * config.scenarios.size());
  config.time_limit = absl::GetFlag(FLAGS_time_limit);
  if (config.time_limit == absl::ZeroDuration()) {
    config.time_limit = absl::Seconds(45) + planned;
  }
  if (config.time_limit < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--time_limit must not be negative");
  }
  config.seed = absl::GetFlag(FLAGS_seed);
  config.registry_binary = absl::GetFlag(FLAGS_registry_binary);
  config.echo_binary = absl::GetFlag(FLAGS_echo_binary);
  config.server_log_level = absl::GetFlag(FLAGS_server_log_level);
  return config;
}

bool Config::Wants(absl::string_view scenario) const {
  for (const std::string& name : scenarios) {
    if (name == scenario) return true;
  }
  return false;
}

}  // namespace brobygger::bench
