// catalogue_bench: measures SearchActivities and ListOccurrences on the
// catalogue with a large municipality (100,000 published activities by
// default) and, in the same run, Echo on a bare gRPC server with the same
// bootstrap, and prints the catalogue/echo ratios, the loading rate and
// the catalogue's memory. See bench/README.md.
//
// One run starts everything it needs on free loopback ports (a private
// redis-server with the production durability settings, the registry, the
// catalogue, the echo server), creates the organisations in the registry
// and the activities in the catalogue over gRPC, runs closed-loop load,
// prints a Markdown table and stops everything again, also on failure,
// Ctrl-C or when the time limit is reached.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/catalogue_bench/activity_mix.h"
#include "bench/catalogue_bench/config.h"
#include "bench/catalogue_bench/queries.h"
#include "bench/catalogue_bench/scenarios.h"
#include "bench/catalogue_bench/seed.h"
#include "bench/harness/actor_mix.h"
#include "bench/harness/bench_environment.h"
#include "bench/harness/call_helpers.h"
#include "bench/harness/child_service.h"
#include "bench/harness/echo_scenario.h"
#include "bench/harness/interleaved_load.h"
#include "bench/harness/load.h"
#include "bench/harness/process_memory.h"
#include "bench/harness/program_start.h"
#include "bench/harness/progress.h"
#include "bench/harness/redis_stats.h"
#include "bench/harness/registry_seed.h"
#include "bench/harness/report.h"
#include "bench/harness/supervisor.h"
#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "common/store/resource_io.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace {

using namespace brobygger;         // NOLINT: a main() wiring the parts.
using namespace brobygger::bench;  // NOLINT
namespace cv1 = catalogue::v1;

// ListOccurrences' largest page.
constexpr int kOccurrencePageSize = 1000;
// Below this many measured calls a scenario's figures are flagged.
constexpr int64_t kFewCalls = 30;
// Attempts of the first create per organiser: each refusal of an organiser
// the catalogue has not learnt yet takes up to 2 s.
constexpr int kOrganiserAttempts = 10;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "catalogue_bench: %s\n", status.ToString().c_str());
  return EXIT_FAILURE;
}

std::string Seconds(absl::Duration duration) {
  return absl::StrFormat("%.1f s", absl::ToDoubleSeconds(duration));
}

absl::TimeZone Copenhagen() {
  absl::TimeZone copenhagen = absl::UTCTimeZone();
  (void)absl::LoadTimeZone("Europe/Copenhagen", &copenhagen);
  return copenhagen;
}

struct Window {
  absl::Time start;
  absl::Time end;
};

// From the coming Monday 00:00 to the Monday after, in Copenhagen, where
// the municipality's users live (a week as the app shows it).
Window NextWeek(absl::Time now) {
  absl::CivilDay monday = absl::ToCivilDay(now, Copenhagen()) + 1;
  while (absl::GetWeekday(monday) != absl::Weekday::monday) ++monday;
  return {absl::FromCivil(monday, Copenhagen()),
          absl::FromCivil(monday + 7, Copenhagen())};
}

// The registry's organisations as the activity mix needs them.
std::vector<OrganiserInfo> Organisers(const ActorMix& mix,
                                      const Seeded& seeded) {
  std::vector<OrganiserInfo> out;
  for (size_t i = 0; i < mix.actors.size(); ++i) {
    OrganiserInfo info;
    info.name = seeded.actor_names[i];
    info.kind = mix.actors[i].actor.kind();
    info.areas.assign(mix.actors[i].actor.areas().begin(),
                      mix.actors[i].actor.areas().end());
    out.push_back(std::move(info));
  }
  return out;
}

// Any catalogue call naming the municipality makes the catalogue follow
// its registry events (and so learn the organisers); ListActivities does
// not touch the search index, which is thus first built after loading.
absl::Status StartFollowing(const std::shared_ptr<grpc::Channel>& channel,
                            const std::string& parent,
                            const std::string& token) {
  std::unique_ptr<cv1::CatalogueService::Stub> stub =
      cv1::CatalogueService::NewStub(channel);
  cv1::ListActivitiesRequest request;
  request.set_parent(parent);
  request.set_page_size(1);
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Seconds(10));
  cv1::ListActivitiesResponse response;
  const grpc::Status status =
      stub->ListActivities(&context, request, &response);
  return status.ok() ? absl::OkStatus()
                     : FromGrpc(status,
                                "ListActivities (to follow the "
                                "municipality)");
}

// How long one search takes (the first after loading builds the index).
absl::StatusOr<absl::Duration> TimeSearch(
    const std::shared_ptr<grpc::Channel>& channel,
    const cv1::SearchActivitiesRequest& request, const std::string& token) {
  std::unique_ptr<cv1::CatalogueService::Stub> stub =
      cv1::CatalogueService::NewStub(channel);
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Minutes(5));
  cv1::SearchActivitiesResponse response;
  const absl::Time started = absl::Now();
  const grpc::Status status =
      stub->SearchActivities(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, "the first SearchActivities");
  return absl::Now() - started;
}

std::string MemoryOf(pid_t pid) {
  absl::StatusOr<ProcessMemory> memory = ReadProcessMemory(pid);
  if (!memory.ok()) return "unknown";
  return absl::StrCat(FormatMebibytes(memory->resident_bytes), " (peak ",
                      FormatMebibytes(memory->peak_resident_bytes), ")");
}

void PrintHeader(const Config& config) {
  std::printf("# catalogue_bench\n\n");
  std::printf(
      "- machine: %s; the load client shares these cores with the "
      "catalogue, registry, redis-server and echo_server\n",
      DescribeMachine().c_str());
  std::printf("- build type: %s\n", BROBYGGER_BUILD_TYPE);
  std::printf(
      "- redis-server: private, loopback, AOF on with appendfsync "
      "always (the production default)\n");
  std::printf(
      "- client: async gRPC, %d client thread(s) (at most one per "
      "call in flight), each with its own channel; every call has a "
      "%s deadline and the same coordinator token\n",
      config.load.client_threads,
      absl::FormatDuration(config.load.call_deadline).c_str());
  std::printf(
      "- per scenario and concurrency: %s warm-up, %s measured, "
      "closed loop, in %d slices interleaved with the other "
      "scenarios\n",
      absl::FormatDuration(config.load.warmup).c_str(),
      absl::FormatDuration(config.load.duration).c_str(), config.load.rounds);
  if (absl::string_view(BROBYGGER_BUILD_TYPE) == "Debug") {
    std::printf(
        "- WARNING: a Debug build; figures are not representative "
        "(configure with -DCMAKE_BUILD_TYPE=RelWithDebInfo)\n");
  }
  std::fflush(stdout);
}

int Run(const Config& config, Supervisor& supervisor) {
  Progress("starting");
  const std::string load_before = LoadAverage();
  PrintHeader(config);

  absl::StatusOr<std::unique_ptr<BenchEnvironment>> env =
      BenchEnvironment::Create(&supervisor, kMunicipalityId, Progress);
  if (!env.ok()) return Fail(env.status());
  const Tokens& tokens = (*env)->tokens();
  const ChildService::Options registry_options = (*env)->ServiceOptions(
      "registry", config.registry_binary, "../services/registry/registry",
      "services/registry/registry", /*uses_redis=*/true,
      config.server_log_level);
  ChildService::Options catalogue_options = (*env)->ServiceOptions(
      "catalogue", config.catalogue_binary, "../services/catalogue/catalogue",
      "services/catalogue/catalogue", /*uses_redis=*/true,
      config.server_log_level);
  // No calendar feeds: they are plain HTTP and not measured here.
  catalogue_options.args.push_back("--feed_listen=");
  const ChildService::Options echo_options = (*env)->ServiceOptions(
      "echo_server", config.echo_binary, "echo_server", "bench/echo_server",
      /*uses_redis=*/false, config.server_log_level);

  Progress("starting the registry");
  absl::StatusOr<std::unique_ptr<ChildService>> registry =
      ChildService::Start(registry_options, &supervisor);
  if (!registry.ok()) return Fail(registry.status());
  Progress("starting the catalogue");
  absl::StatusOr<std::unique_ptr<ChildService>> catalogue =
      ChildService::Start(catalogue_options, &supervisor);
  if (!catalogue.ok()) return Fail(catalogue.status());
  Progress("starting echo_server");
  absl::StatusOr<std::unique_ptr<ChildService>> echo =
      ChildService::Start(echo_options, &supervisor);
  if (!echo.ok()) return Fail(echo.status());
  const auto with_log = [](const absl::Status& status,
                           const ChildService& server) {
    return absl::Status(status.code(),
                        absl::StrCat(status.message(), "\n", server.name(),
                                     " log tail:\n", server.LogTail()));
  };

  // The organisations, in the registry.
  const ActorMix organisations =
      MakeOrganisationMix(config.organisers, config.seed);
  Progress(absl::StrCat("creating ", organisations.actors.size(),
                        " organisations in the registry"));
  const std::shared_ptr<grpc::Channel> registry_channel = grpc::CreateChannel(
      (*registry)->address(), grpc::InsecureChannelCredentials());
  SeedOptions registry_seed;
  registry_seed.operator_token = tokens.operator_token;
  registry_seed.coordinator_token = tokens.coordinator_token;
  absl::StatusOr<Seeded> seeded =
      SeedRegistry(registry_channel, organisations, registry_seed);
  if (!seeded.ok()) return Fail(with_log(seeded.status(), **registry));

  // The activities, in the catalogue.
  const std::shared_ptr<grpc::Channel> catalogue_channel = grpc::CreateChannel(
      (*catalogue)->address(), grpc::InsecureChannelCredentials());
  absl::Status following = StartFollowing(catalogue_channel, seeded->parent,
                                          tokens.coordinator_token);
  if (!following.ok()) return Fail(with_log(following, **catalogue));
  const absl::Time now = absl::Now();
  const ActivityMix mix = MakeActivityMix(
      config.activities, Organisers(organisations, *seeded), now, config.seed);
  const int total = static_cast<int>(mix.activities.size());
  const int first_block = static_cast<int>(organisations.actors.size());
  std::vector<std::string> names(total);
  ActivitySeedOptions seed_options;
  seed_options.parent = seeded->parent;
  seed_options.token = tokens.coordinator_token;
  seed_options.concurrency = config.seed_concurrency;
  seed_options.organiser_attempts = kOrganiserAttempts;
  Progress(absl::StrCat("creating the first activity of each of the ",
                        first_block,
                        " organisers (the catalogue learns them from the "
                        "registry's events)"));
  absl::StatusOr<ActivitySeedRun> first = CreateActivities(
      catalogue_channel, mix.activities, 0, first_block, seed_options, &names);
  if (!first.ok()) return Fail(with_log(first.status(), **catalogue));
  Progress(absl::StrCat("creating ", total - first_block, " more activities, ",
                        config.seed_concurrency, " in flight"));
  seed_options.organiser_attempts = 1;
  const absl::Time rest_started = absl::Now();
  seed_options.progress = [&](int done) {
    const double seconds = absl::ToDoubleSeconds(absl::Now() - rest_started);
    Progress(absl::StrFormat("  %d of %d created (%.0f creates/s)", done,
                             total - first_block,
                             seconds > 0 ? done / seconds : 0.0));
  };
  absl::StatusOr<ActivitySeedRun> rest =
      CreateActivities(catalogue_channel, mix.activities, first_block, total,
                       seed_options, &names);
  if (!rest.ok()) return Fail(with_log(rest.status(), **catalogue));
  const absl::Duration seeding = first->took + rest->took;
  std::printf(
      "- data: municipality %s with %d organisations in the registry "
      "(municipal departments, NGOs and their branches, associations, faith "
      "communities, local councils, businesses; created in %s) and %d "
      "published activities (%d weekly, %d monthly, %d daily, %d one-offs; "
      "%d with exception dates; starting from a year ago to five months "
      "ahead)\n",
      seeded->parent.c_str(), first_block, Seconds(seeded->took).c_str(), total,
      mix.weekly, mix.monthly, mix.daily, mix.one_off,
      mix.with_exception_dates);
  std::printf(
      "- loading: %d CreateActivity calls in flight, %s for %d activities "
      "(%.0f creates/s; the last %d at %.0f creates/s, the first %d, one per "
      "organiser, took %s while the catalogue learnt the organisers from the "
      "registry's events), %d retries\n",
      config.seed_concurrency, Seconds(seeding).c_str(), total,
      total / absl::ToDoubleSeconds(seeding), total - first_block,
      (total - first_block) / absl::ToDoubleSeconds(rest->took), first_block,
      Seconds(first->took).c_str(), first->retries + rest->retries);
  std::fflush(stdout);

  // Memory, and the index's first build.
  redis::RedisPool stats_pool((*env)->redis().options());
  const std::string memory_loaded = MemoryOf((*catalogue)->pid());
  const Window week = NextWeek(now);
  const std::vector<SearchKind> kinds = SearchKinds(week.start, week.end);
  cv1::SearchActivitiesRequest first_search;
  first_search.set_parent(seeded->parent);
  *first_search.mutable_query() = kinds.front().query;
  first_search.set_page_size(config.page_size);
  Progress("the first search (builds the catalogue's search index)");
  absl::StatusOr<absl::Duration> index_build =
      TimeSearch(catalogue_channel, first_search, tokens.coordinator_token);
  if (!index_build.ok())
    return Fail(with_log(index_build.status(), **catalogue));
  absl::StatusOr<int64_t> redis_memory = RedisUsedMemory(stats_pool);
  std::printf(
      "- catalogue memory (VmRSS): %s after loading; %s once the first "
      "search built the in-memory index of all %d activities (it took %s); "
      "Redis holds %s (used_memory, both services' data)\n",
      memory_loaded.c_str(), MemoryOf((*catalogue)->pid()).c_str(), total,
      absl::FormatDuration(absl::Trunc(*index_build, absl::Milliseconds(1)))
          .c_str(),
      redis_memory.ok() ? FormatMebibytes(*redis_memory).c_str() : "unknown");
  std::printf("\n");
  std::fflush(stdout);

  // The scenarios.
  const std::string& token = tokens.coordinator_token;
  const pid_t redis_pid = (*env)->redis_pid();
  // CPU is measured for the server under test, redis-server, then the
  // other servers.
  const std::vector<pid_t> on_echo = {(*echo)->pid(), redis_pid,
                                      (*catalogue)->pid(), (*registry)->pid()};
  const std::vector<pid_t> on_catalogue = {(*catalogue)->pid(), redis_pid,
                                           (*registry)->pid(), (*echo)->pid()};
  std::map<std::string, std::shared_ptr<ResultNote>> notes;
  std::vector<PlannedScenario> planned;
  if (config.Wants("echo")) {
    planned.push_back({EchoScenario(token), (*echo)->address(), on_echo});
  }
  for (const SearchKind& kind : kinds) {
    if (!config.Wants(kind.key)) continue;
    cv1::SearchActivitiesRequest request;
    request.set_parent(seeded->parent);
    *request.mutable_query() = kind.query;
    request.set_page_size(config.page_size);
    if (kind.second_page) {
      absl::StatusOr<std::string> page_token =
          NextPageToken(catalogue_channel, token, request);
      if (!page_token.ok()) return Fail(page_token.status());
      if (page_token->empty()) {
        return Fail(absl::FailedPreconditionError(
            absl::StrCat(kind.label,
                         ": the query has no page 2; load more "
                         "activities (--activities)")));
      }
      request.set_page_token(*page_token);
    }
    auto note = std::make_shared<ResultNote>();
    notes[kind.label] = note;
    planned.push_back(
        {SearchScenario(kind.label, token, request,
                        kind.second_page ? config.page_size : 0, note),
         (*catalogue)->address(), on_catalogue});
  }
  const auto occurrences = [&](const std::string& key, const std::string& label,
                               const std::string& activity, absl::Time start,
                               absl::Time end) {
    if (!config.Wants(key)) return;
    cv1::ListOccurrencesRequest request;
    request.set_parent(seeded->parent);
    request.set_activity(activity);
    *request.mutable_start_time() = store::ToTimestamp(start);
    *request.mutable_end_time() = store::ToTimestamp(end);
    request.set_page_size(kOccurrencePageSize);
    auto note = std::make_shared<ResultNote>();
    notes[label] = note;
    planned.push_back({OccurrencesScenario(label, token, request, note),
                       (*catalogue)->address(), on_catalogue});
  };
  const absl::Time year_end = now + absl::Hours(24 * 365);
  occurrences("occurrences_weekly",
              "Occurrences of a weekly activity, 365 days",
              names[mix.weekly_index], now, year_end);
  occurrences("occurrences_daily", "Occurrences of a daily activity, 365 days",
              names[mix.daily_index], now, year_end);
  occurrences("occurrences_week", "Occurrences of all, next week, page 1000",
              "", week.start, week.end);

  const std::vector<LoadResult> results = RunInterleaved(
      planned, config.load.Interleave((*env)->redis().options()));

  PrintResultTable(results, stdout,
                   {{"results: page / total", [&](const LoadResult& result) {
                       const auto it = notes.find(result.scenario);
                       return it == notes.end() ? std::string("-")
                                                : it->second->text();
                     }}});
  std::printf(
      "\nSearches: page_size %d, ordered by next occurrence; \"results\" is "
      "the first answer's page and total_size (for ListOccurrences: the "
      "occurrences on the page). Next week: %s to %s, Copenhagen time. "
      "\"vs Echo\": the catalogue's figure divided by Echo's at the same "
      "concurrency. CPU µs/call: CPU time of each process in the window "
      "divided by the successful calls (server = the catalogue, or "
      "echo_server for Echo). CPU used by others: the machine's busy time not "
      "spent by the benchmark's five processes, as a share of all cores "
      "(other work on the machine depresses the figures). Redis commands per "
      "call count all Redis did in the window, including the catalogue's "
      "background polling of the registry's events (xreadgroup, xautoclaim), "
      "which shows for slow calls. Catalogue memory at the end: %s. Load "
      "average before / after: %s / %s.\n\nRedis commands per call:\n",
      config.page_size,
      absl::FormatTime("%Y-%m-%d %H:%M", week.start, Copenhagen()).c_str(),
      absl::FormatTime("%Y-%m-%d %H:%M", week.end, Copenhagen()).c_str(),
      MemoryOf((*catalogue)->pid()).c_str(), load_before.c_str(),
      LoadAverage().c_str());
  PrintRedisCommands(results, stdout);
  // A scenario whose calls are long against a slice completes few calls
  // in its windows: say so rather than let its figures look as firm as
  // the others'.
  for (const LoadResult& result : results) {
    if (result.ok < kFewCalls) {
      std::printf(
          "\nFew calls: %s at %d in flight completed only %lld calls in its "
          "measured windows; its figures are rough (a longer --duration with "
          "fewer --rounds gives it longer slices).\n",
          result.scenario.c_str(), result.concurrency,
          static_cast<long long>(result.ok));
    }
  }
  const int64_t errors = PrintErrors(results, stdout);
  if (errors > 0) {
    std::printf(
        "\nTHIS RUN HAD %lld FAILED CALLS (see above): the figures "
        "are not clean.\n",
        static_cast<long long>(errors));
  } else {
    std::printf("\nNo call failed.\n");
  }
  std::fflush(stdout);

  Progress("stopping the servers");
  std::thread stop_echo([&] { (*echo)->Stop(); });
  std::thread stop_registry([&] { (*registry)->Stop(); });
  (*catalogue)->Stop();
  stop_echo.join();
  stop_registry.join();
  return errors > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists, so that every thread inherits the mask.
  if (int code = StartBenchProgram(
          argc, argv, "catalogue_bench",
          "Measures SearchActivities and ListOccurrences on the catalogue with "
          "a large municipality against a bare gRPC echo server with the same "
          "bootstrap. Starts its own redis-server, registry, catalogue and "
          "echo_server; see bench/README.md.");
      code != 0) {
    return code;
  }
  absl::StatusOr<Config> config = ReadConfig();
  if (!config.ok()) {
    std::fprintf(stderr, "catalogue_bench: %s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  Supervisor supervisor("catalogue_bench", config->load.time_limit);
  return Run(*config, supervisor);
}
