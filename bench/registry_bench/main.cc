// registry_bench: measures GetActor and ListActors on the registry and, in
// the same run, Echo on a bare gRPC server with the same bootstrap, and
// prints the registry/echo ratios. See bench/README.md.
//
// One run starts everything it needs on free loopback ports (a private
// redis-server with the production durability settings, the registry, the
// echo server), loads a synthetic municipality, runs closed-loop load, prints
// a Markdown table and stops everything again, also on failure, Ctrl-C or
// when the time limit is reached.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/registry_bench/actor_mix.h"
#include "bench/registry_bench/child_service.h"
#include "bench/registry_bench/config.h"
#include "bench/registry_bench/load.h"
#include "bench/registry_bench/redis_stats.h"
#include "bench/registry_bench/report.h"
#include "bench/registry_bench/scenarios.h"
#include "bench/registry_bench/seed.h"
#include "bench/registry_bench/supervisor.h"
#include "bench/registry_bench/tokens.h"
#include "common/redis/redis_pool.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/support/redis_server.h"

namespace {

using namespace brobygger;         // NOLINT: a main() wiring the parts.
using namespace brobygger::bench;  // NOLINT

// A private directory for the key and the servers' logs, removed at the
// end (and by the supervisor on an abort).
class WorkDir {
 public:
  static absl::StatusOr<std::unique_ptr<WorkDir>> Create(
      Supervisor* supervisor) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                     "/brobygger-bench-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) {
      return absl::InternalError(absl::StrCat("mkdtemp ", pattern, " failed"));
    }
    supervisor->WatchDir(pattern);
    return std::unique_ptr<WorkDir>(new WorkDir(pattern, supervisor));
  }
  ~WorkDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
    supervisor_->ForgetDir(path_);
  }
  const std::string& path() const { return path_; }

 private:
  WorkDir(std::string path, Supervisor* supervisor)
      : path_(std::move(path)), supervisor_(supervisor) {}
  std::string path_;
  Supervisor* supervisor_;
};

// redis-server's pid, for its CPU time (the harness does not expose it).
absl::StatusOr<pid_t> RedisPid(const test::RedisServer& server) {
  redis::RedisPool pool(server.options());
  absl::StatusOr<redis::Reply> info = pool.Run({"INFO", "server"});
  if (!info.ok()) return info.status();
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    if (absl::ConsumePrefix(&line, "process_id:")) {
      int pid = 0;
      if (absl::SimpleAtoi(line, &pid) && pid > 0) return pid;
    }
  }
  return absl::InternalError("INFO server did not name a process_id");
}

// The 1, 5 and 15 minute load averages.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double one = 0, five = 0, fifteen = 0;
  if (!(in >> one >> five >> fifteen)) return "unknown";
  return absl::StrFormat("%.2f %.2f %.2f", one, five, fifteen);
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "registry_bench: %s\n", status.ToString().c_str());
  return EXIT_FAILURE;
}

// Progress goes to stderr with the time since the start, so that stdout
// holds only the report.
void Progress(const std::string& message) {
  static const absl::Time start = absl::Now();
  std::fprintf(stderr, "registry_bench [%5.1fs]: %s\n",
               absl::ToDoubleSeconds(absl::Now() - start), message.c_str());
}

int Run(const Config& config, Supervisor& supervisor) {
  Progress("starting");
  const std::string load_before = LoadAverage();
  std::printf("# registry_bench\n\n");
  std::printf(
      "- machine: %s; the load client shares these cores with the "
      "registry, redis-server and echo_server\n",
      DescribeMachine().c_str());
  std::printf("- build type: %s\n", BROBYGGER_BUILD_TYPE);
  std::printf(
      "- redis-server: private, loopback, AOF on with appendfsync "
      "always (the production default)\n");
  std::printf(
      "- client: async gRPC, %d client thread(s) (at most one per "
      "call in flight), each with its own channel; every call has a "
      "%s deadline and the same bearer token\n",
      config.client_threads,
      absl::FormatDuration(config.call_deadline).c_str());
  std::printf(
      "- per scenario and concurrency: %s warm-up, %s measured, "
      "closed loop, in %d slices interleaved with the other "
      "scenarios\n",
      absl::FormatDuration(config.warmup).c_str(),
      absl::FormatDuration(config.duration).c_str(), config.rounds);
  if (absl::string_view(BROBYGGER_BUILD_TYPE) == "Debug") {
    std::printf(
        "- WARNING: a Debug build; figures are not representative "
        "(configure with -DCMAKE_BUILD_TYPE=RelWithDebInfo)\n");
  }
  std::fflush(stdout);

  absl::StatusOr<std::unique_ptr<WorkDir>> work = WorkDir::Create(&supervisor);
  if (!work.ok()) return Fail(work.status());
  const std::string keys_dir = (*work)->path() + "/keys";
  absl::StatusOr<Tokens> tokens = MakeTokens(keys_dir);
  if (!tokens.ok()) return Fail(tokens.status());

  Progress("starting redis-server");
  absl::StatusOr<std::unique_ptr<test::RedisServer>> redis =
      test::RedisServer::Start();
  if (!redis.ok()) return Fail(redis.status());
  supervisor.WatchDir((*redis)->dir());
  absl::StatusOr<pid_t> redis_pid = RedisPid(**redis);
  if (!redis_pid.ok()) return Fail(redis_pid.status());
  supervisor.WatchPid(*redis_pid);

  const std::string log_level =
      absl::StrCat("--log_level=", config.server_log_level);
  ChildService::Options registry_options;
  registry_options.name = "registry";
  registry_options.binary = config.registry_binary;
  if (registry_options.binary.empty()) {
    registry_options.binary = FindBinary("../services/registry/registry",
                                         "services/registry/registry");
  }
  registry_options.args = {
      "--redis_host=127.0.0.1", absl::StrCat("--redis_port=", (*redis)->port()),
      absl::StrCat("--jwt_public_keys_dir=", keys_dir), log_level};
  registry_options.log_path = (*work)->path() + "/registry.log";
  ChildService::Options echo_options;
  echo_options.name = "echo_server";
  echo_options.binary = config.echo_binary;
  if (echo_options.binary.empty()) {
    echo_options.binary = FindBinary("echo_server", "bench/echo_server");
  }
  echo_options.args = {log_level};
  echo_options.log_path = (*work)->path() + "/echo_server.log";

  Progress("starting the registry");
  absl::StatusOr<std::unique_ptr<ChildService>> registry =
      ChildService::Start(registry_options, &supervisor);
  if (!registry.ok()) return Fail(registry.status());
  Progress("starting echo_server");
  absl::StatusOr<std::unique_ptr<ChildService>> echo =
      ChildService::Start(echo_options, &supervisor);
  if (!echo.ok()) return Fail(echo.status());

  const ActorMix mix = MakeActorMix(config.actors, config.seed);
  Progress(absl::StrCat("loading ", mix.actors.size(), " actors"));
  const std::shared_ptr<grpc::Channel> seed_channel = grpc::CreateChannel(
      (*registry)->address(), grpc::InsecureChannelCredentials());
  SeedOptions seed_options;
  seed_options.operator_token = tokens->operator_token;
  seed_options.coordinator_token = tokens->coordinator_token;
  absl::StatusOr<Seeded> seeded = SeedRegistry(seed_channel, mix, seed_options);
  if (!seeded.ok()) {
    return Fail(absl::Status(
        seeded.status().code(),
        absl::StrCat(seeded.status().message(), "\nregistry log tail:\n",
                     (*registry)->LogTail())));
  }
  absl::Status verified =
      VerifySeed(seed_channel, mix, *seeded, tokens->coordinator_token);
  if (!verified.ok()) return Fail(verified);
  std::printf(
      "- data: municipality %s with %zu actors (%d volunteers, %d of them "
      "with Arabic as mother tongue), loaded in %s by %d concurrent "
      "CreateActor calls (%.0f creates/s)\n\n",
      seeded->parent.c_str(), mix.actors.size(), mix.volunteers,
      mix.arabic_mother_tongue_volunteers,
      absl::FormatDuration(absl::Trunc(seeded->took, absl::Milliseconds(1)))
          .c_str(),
      seed_options.concurrency,
      static_cast<double>(mix.actors.size()) /
          absl::ToDoubleSeconds(seeded->took));
  std::fflush(stdout);

  auto names = std::make_shared<std::vector<std::string>>(seeded->actor_names);
  const std::string& token = tokens->coordinator_token;
  struct Planned {
    std::unique_ptr<Scenario> scenario;
    ChildService* server;  // under test
    ChildService* idle;    // the other one
  };
  std::vector<Planned> planned;
  if (config.Wants("echo")) {
    planned.push_back({EchoScenario(token), echo->get(), registry->get()});
  }
  if (config.Wants("get")) {
    planned.push_back(
        {GetActorScenario(token, names), registry->get(), echo->get()});
  }
  if (config.Wants("list")) {
    planned.push_back(
        {ListActorsScenario(absl::StrCat("ListActors page ", config.page_size),
                            token, seeded->parent, config.page_size, "", false),
         registry->get(), echo->get()});
  }
  if (config.Wants("list_filter")) {
    planned.push_back(
        {ListActorsScenario(
             absl::StrCat("ListActors page ", config.page_size, " filter"),
             token, seeded->parent, config.page_size, kArabicVolunteerFilter,
             true),
         registry->get(), echo->get()});
  }

  // A connection of our own for INFO commandstats at the window's edges.
  redis::RedisPool stats_pool((*redis)->options());
  std::vector<LoadResult> results;
  // Each scenario's measured time is cut into `rounds` slices, run in
  // turn with the other scenarios: a change in the machine's background
  // load then affects Echo and the registry alike instead of skewing
  // their ratio.
  for (const int concurrency : config.concurrency) {
    const size_t first = results.size();
    results.resize(first + planned.size());
    for (int round = 1; round <= config.rounds; ++round) {
      Progress(absl::StrCat(concurrency, " in flight, round ", round, "/",
                            config.rounds));
      for (size_t k = 0; k < planned.size(); ++k) {
        Planned& run = planned[k];
        LoadOptions options;
        options.target = run.server->address();
        options.concurrency = concurrency;
        options.client_threads = config.client_threads;
        options.warmup = config.warmup / config.rounds;
        options.duration = config.duration / config.rounds;
        options.call_deadline = config.call_deadline;
        options.cpu_pids = {0, run.server->pid(), *redis_pid, run.idle->pid()};
        std::map<std::string, int64_t> commands_before;
        std::map<std::string, int64_t> commands_after;
        options.at_window_start = [&] {
          commands_before = RedisCommandCalls(stats_pool)
                                .value_or(std::map<std::string, int64_t>());
        };
        options.at_window_end = [&] {
          commands_after = RedisCommandCalls(stats_pool)
                               .value_or(std::map<std::string, int64_t>());
        };
        LoadResult slice = RunLoad(*run.scenario, options);
        slice.redis_commands = CommandsBetween(commands_before, commands_after);
        Accumulate(slice, &results[first + k]);
      }
    }
  }

  PrintResultTable(results, stdout);
  std::printf(
      "\nFilter: `%s` (%d matches). \"vs Echo\": the registry's figure "
      "divided by Echo's at the same concurrency. CPU µs/call: CPU time of "
      "each process in the window divided by the successful calls (server = "
      "the registry, or echo_server for Echo). CPU used by others: the "
      "machine's busy time not spent by the benchmark's four processes, as a "
      "share of all cores (other work on the machine depresses the figures). "
      "Load average before / after: %s / %s.\n\nRedis commands per call:\n",
      kArabicVolunteerFilter, mix.arabic_mother_tongue_volunteers,
      load_before.c_str(), LoadAverage().c_str());
  PrintRedisCommands(results, stdout);
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
  (*registry)->Stop();
  stop_echo.join();
  return errors > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists, so that every thread inherits the mask.
  Supervisor::BlockSignals();
  // A closed stdout or stderr (e.g. `registry_bench | head`) must not kill
  // the run before it has stopped its servers: writes fail instead.
  signal(SIGPIPE, SIG_IGN);
  absl::SetProgramUsageMessage(
      "Measures GetActor and ListActors on the registry against a bare "
      "gRPC echo server with the same bootstrap. Starts its own "
      "redis-server, registry and echo_server; see bench/README.md.");
  // --help lists this benchmark's flags (they live in config.cc).
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    return absl::StrContains(path, "bench/registry_bench/");
  };
  absl::SetFlagsUsageConfig(usage_config);
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    std::fprintf(stderr,
                 "registry_bench takes no positional arguments (got \"%s\"); "
                 "see --help\n",
                 positional[1]);
    return 2;
  }
  absl::StatusOr<Config> config = ReadConfig();
  if (!config.ok()) {
    std::fprintf(stderr, "registry_bench: %s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  Supervisor supervisor(config->time_limit);
  return Run(*config, supervisor);
}
