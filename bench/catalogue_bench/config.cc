#include "bench/catalogue_bench/config.h"

#include <algorithm>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bench/harness/actor_mix.h"

ABSL_FLAG(int, activities, 100000,
          "Published activities loaded into the catalogue before the load "
          "starts (300 to 200000), all in one municipality.");
ABSL_FLAG(int, organisers, 200,
          "Organisations created in the registry to organise them (20 to "
          "2000): municipal departments, NGOs and their branches, "
          "associations, ...");
ABSL_FLAG(int, seed_concurrency, 48,
          "CreateActivity calls in flight while loading (1 to 1024). A "
          "service answers RESOURCE_EXHAUSTED beyond 64 concurrent calls "
          "(its thread limit), so keep it below that.");
ABSL_FLAG(std::string, concurrency, "1,16",
          "Comma-separated numbers of calls kept in flight (1 to 1024); "
          "every scenario runs at each.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10),
          "Measured time per scenario and concurrency. Each slice of it must "
          "be long against the slowest call (listing a week's occurrences of "
          "100,000 activities takes seconds at 16 in flight on 2 cores).");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2),
          "Unmeasured load before each measurement.");
ABSL_FLAG(int, rounds, 2,
          "Each scenario's warm-up and measured time are cut into this many "
          "slices, interleaved with the other scenarios' slices.");
ABSL_FLAG(absl::Duration, call_deadline, absl::Seconds(30),
          "Deadline of every call; a call that misses it counts as an "
          "error. Generous for the same reason.");
ABSL_FLAG(int, client_threads, 0,
          "Client threads, each with its own channel (connection) and "
          "completion queue; capped at the concurrency. 0 = one per core.");
ABSL_FLAG(std::string, scenarios,
          "echo,area,category_area,text_cafe,text_lektie,children,language,"
          "week,free,page2,occurrences_weekly,occurrences_daily,"
          "occurrences_week",
          "Which scenarios to run, comma-separated (see bench/README.md). "
          "Ratios need echo.");
ABSL_FLAG(int, page_size, 20, "page_size of the searches (1 to 1000).");
ABSL_FLAG(uint32_t, seed, 1,
          "Seed of the synthetic organisations and activities.");
ABSL_FLAG(std::string, catalogue_binary, "",
          "The catalogue executable; default: the one of this build tree.");
ABSL_FLAG(std::string, registry_binary, "",
          "The registry executable; default: the one of this build tree.");
ABSL_FLAG(std::string, echo_binary, "",
          "The echo_server executable; default: the one of this build tree.");
ABSL_FLAG(std::string, server_log_level, "info",
          "--log_level of the servers (info is the production default; "
          "successful calls are logged at debug).");
ABSL_FLAG(absl::Duration, time_limit, absl::ZeroDuration(),
          "Abort (and clean up) after this long; 0 = 90s, plus 10ms per "
          "activity for the loading, plus the planned load time.");

namespace brobygger::bench {
namespace {

constexpr int kMinActivities = 300;
constexpr int kMaxActivities = 200000;
constexpr int kMaxOrganisers = 2000;

}  // namespace

const std::vector<std::string>& CatalogueScenarioKeys() {
  static const auto* keys = new std::vector<std::string>{"echo",
                                                         "area",
                                                         "category_area",
                                                         "text_cafe",
                                                         "text_lektie",
                                                         "children",
                                                         "language",
                                                         "week",
                                                         "free",
                                                         "page2",
                                                         "occurrences_weekly",
                                                         "occurrences_daily",
                                                         "occurrences_week"};
  return *keys;
}

absl::StatusOr<Config> ReadConfig() {
  Config config;
  config.activities = absl::GetFlag(FLAGS_activities);
  if (config.activities < kMinActivities ||
      config.activities > kMaxActivities) {
    return absl::InvalidArgumentError(
        absl::StrCat("--activities must be between ", kMinActivities, " and ",
                     kMaxActivities, "; got ", config.activities));
  }
  config.organisers = absl::GetFlag(FLAGS_organisers);
  if (config.organisers < kMinOrganisations ||
      config.organisers > kMaxOrganisers) {
    return absl::InvalidArgumentError(
        absl::StrCat("--organisers must be between ", kMinOrganisations,
                     " and ", kMaxOrganisers, "; got ", config.organisers));
  }
  if (config.activities < config.organisers + 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--activities must be at least --organisers + 2 (every "
        "organiser gets one); got ",
        config.activities, " for ", config.organisers, " organisers"));
  }
  config.seed_concurrency = absl::GetFlag(FLAGS_seed_concurrency);
  if (config.seed_concurrency < 1 || config.seed_concurrency > 1024) {
    return absl::InvalidArgumentError("--seed_concurrency must be 1 to 1024");
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
    const std::vector<std::string>& keys = CatalogueScenarioKeys();
    if (std::find(keys.begin(), keys.end(), part) == keys.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--scenarios: unknown scenario \"", part,
                       "\"; choose from ", absl::StrJoin(keys, ", ")));
    }
    config.scenarios.emplace_back(part);
  }
  if (config.scenarios.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--scenarios is empty; e.g. ",
                     absl::StrJoin(CatalogueScenarioKeys(), ",")));
  }
  config.page_size = absl::GetFlag(FLAGS_page_size);
  if (config.page_size < 1 || config.page_size > 1000) {
    return absl::InvalidArgumentError("--page_size must be 1 to 1000");
  }
  if (config.load.time_limit == absl::ZeroDuration()) {
    config.load.time_limit =
        absl::Seconds(90) + absl::Milliseconds(10) * config.activities +
        config.load.Planned(static_cast<int>(config.scenarios.size()));
  }
  config.seed = absl::GetFlag(FLAGS_seed);
  config.catalogue_binary = absl::GetFlag(FLAGS_catalogue_binary);
  config.registry_binary = absl::GetFlag(FLAGS_registry_binary);
  config.echo_binary = absl::GetFlag(FLAGS_echo_binary);
  config.server_log_level = absl::GetFlag(FLAGS_server_log_level);
  return config;
}

bool Config::Wants(absl::string_view scenario) const {
  return std::find(scenarios.begin(), scenarios.end(), scenario) !=
         scenarios.end();
}

}  // namespace brobygger::bench
