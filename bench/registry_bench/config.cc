#include "bench/registry_bench/config.h"

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

}  // namespace

absl::StatusOr<Config> ReadConfig() {
  Config config;
  config.actors = absl::GetFlag(FLAGS_actors);
  if (config.actors < kMinActors || config.actors > kMaxActors) {
    return absl::InvalidArgumentError(
        absl::StrCat("--actors must be between ", kMinActors, " and ",
                     kMaxActors, "; got ", config.actors));
  }
  LoadFlags flags;
  flags.concurrency = absl::GetFlag(FLAGS_concurrency);
  flags.duration = absl::GetFlag(FLAGS_duration);
  flags.warmup = absl::GetFlag(FLAGS_warmup);
  flags.rounds = absl::GetFlag(FLAGS_rounds);
  flags.call_deadline = absl::GetFlag(FLAGS_call_deadline);
  flags.client_threads = absl::GetFlag(FLAGS_client_threads);
  flags.time_limit = absl::GetFlag(FLAGS_time_limit);
  absl::StatusOr<LoadConfig> load = ReadLoadConfig(flags);
  if (!load.ok()) return load.status();
  config.load = *std::move(load);
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
  config.page_size = absl::GetFlag(FLAGS_page_size);
  if (config.page_size < 1 || config.page_size > 1000) {
    return absl::InvalidArgumentError("--page_size must be 1 to 1000");
  }
  if (config.load.time_limit == absl::ZeroDuration()) {
    config.load.time_limit =
        absl::Seconds(45) +
        config.load.Planned(static_cast<int>(config.scenarios.size()));
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
