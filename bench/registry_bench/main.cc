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

#include <cstdio>
#include <cstdlib>
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
#include "absl/time/time.h"
#include "bench/harness/actor_mix.h"
#include "bench/harness/bench_environment.h"
#include "bench/harness/child_service.h"
#include "bench/harness/echo_scenario.h"
#include "bench/harness/interleaved_load.h"
#include "bench/harness/load.h"
#include "bench/harness/program_start.h"
#include "bench/harness/progress.h"
#include "bench/harness/registry_seed.h"
#include "bench/harness/report.h"
#include "bench/harness/supervisor.h"
#include "bench/registry_bench/config.h"
#include "bench/registry_bench/scenarios.h"
#include "bench/registry_bench/seed.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace {

using namespace brobygger;         // NOLINT: a main() wiring the parts.
using namespace brobygger::bench;  // NOLINT

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "registry_bench: %s\n", status.ToString().c_str());
  return EXIT_FAILURE;
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

  absl::StatusOr<std::unique_ptr<BenchEnvironment>> env =
      BenchEnvironment::Create(&supervisor, kMunicipalityId, Progress);
  if (!env.ok()) return Fail(env.status());
  const Tokens& tokens = (*env)->tokens();
  const ChildService::Options registry_options = (*env)->ServiceOptions(
      "registry", config.registry_binary, "../services/registry/registry",
      "services/registry/registry", /*uses_redis=*/true,
      config.server_log_level);
  const ChildService::Options echo_options = (*env)->ServiceOptions(
      "echo_server", config.echo_binary, "echo_server", "bench/echo_server",
      /*uses_redis=*/false, config.server_log_level);

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
  seed_options.operator_token = tokens.operator_token;
  seed_options.coordinator_token = tokens.coordinator_token;
  absl::StatusOr<Seeded> seeded = SeedRegistry(seed_channel, mix, seed_options);
  if (!seeded.ok()) {
    return Fail(absl::Status(
        seeded.status().code(),
        absl::StrCat(seeded.status().message(), "\nregistry log tail:\n",
                     (*registry)->LogTail())));
  }
  absl::Status verified =
      VerifySeed(seed_channel, mix, *seeded, tokens.coordinator_token);
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
  const std::string& token = tokens.coordinator_token;
  const pid_t redis_pid = (*env)->redis_pid();
  // Each scenario's CPU is measured with the server under test, then
  // redis-server, then the other server.
  const auto on = [&](const std::unique_ptr<ChildService>& server,
                      const std::unique_ptr<ChildService>& idle) {
    return std::vector<pid_t>{server->pid(), redis_pid, idle->pid()};
  };
  std::vector<PlannedScenario> planned;
  if (config.Wants("echo")) {
    planned.push_back(
        {EchoScenario(token), (*echo)->address(), on(*echo, *registry)});
  }
  if (config.Wants("get")) {
    planned.push_back({GetActorScenario(token, names), (*registry)->address(),
                       on(*registry, *echo)});
  }
  if (config.Wants("list")) {
    planned.push_back(
        {ListActorsScenario(absl::StrCat("ListActors page ", config.page_size),
                            token, seeded->parent, config.page_size, "", false),
         (*registry)->address(), on(*registry, *echo)});
  }
  if (config.Wants("list_filter")) {
    planned.push_back(
        {ListActorsScenario(
             absl::StrCat("ListActors page ", config.page_size, " filter"),
             token, seeded->parent, config.page_size, kArabicVolunteerFilter,
             true),
         (*registry)->address(), on(*registry, *echo)});
  }
  const std::vector<LoadResult> results = RunInterleaved(
      planned, config.load.Interleave((*env)->redis().options()));

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
  if (int code = StartBenchProgram(
          argc, argv, "registry_bench",
          "Measures GetActor and ListActors on the registry against a bare "
          "gRPC echo server with the same bootstrap. Starts its own "
          "redis-server, registry and echo_server; see bench/README.md.");
      code != 0) {
    return code;
  }
  absl::StatusOr<Config> config = ReadConfig();
  if (!config.ok()) {
    std::fprintf(stderr, "registry_bench: %s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  Supervisor supervisor("registry_bench", config->load.time_limit);
  return Run(*config, supervisor);
}
