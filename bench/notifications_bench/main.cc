// notifications_bench: the notification service's delivery pipeline,
// measured in three scenarios (see bench/README.md):
// 1. throughput: catalogue events per second through the consumers and the
//    router into inboxes, with 1 and 2 consumers;
// 2. latency: from a registry write to the message in the inbox and at a
//    live watcher (p50/p90/p99/max);
// 3. fan-out: one broadcast to 100,000 volunteers.
//
// The notification domain runs in this process, assembled as the pipeline
// tests assemble it, against a private redis-server with the production
// durability settings (AOF, appendfsync always); events travel over the
// real Redis streams and consumer groups. The latency scenario also starts
// the real registry binary and calls CreateActor over gRPC. The gRPC hop
// of the notification service itself is left out, as in matching_bench:
// registry_bench and catalogue_bench measure what the shared server
// bootstrap costs per call.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/harness/actor_mix.h"
#include "bench/harness/bench_environment.h"
#include "bench/harness/program_start.h"
#include "bench/harness/progress.h"
#include "bench/harness/report.h"
#include "bench/harness/supervisor.h"
#include "bench/notifications_bench/config.h"
#include "bench/notifications_bench/fanout.h"
#include "bench/notifications_bench/latency.h"
#include "bench/notifications_bench/measure.h"
#include "bench/notifications_bench/throughput.h"
#include "common/redis/redis_pool.h"

namespace {

using namespace brobygger;         // NOLINT: a main() wiring the parts.
using namespace brobygger::bench;  // NOLINT

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "notifications_bench: %s\n", status.ToString().c_str());
  return EXIT_FAILURE;
}

int Run(const Config& config, Supervisor& supervisor) {
  const std::string load_before = LoadAverage();
  const absl::Time started = absl::Now();
  absl::StatusOr<std::unique_ptr<BenchEnvironment>> env =
      BenchEnvironment::Create(&supervisor, kMunicipalityId, Progress);
  if (!env.ok()) return Fail(env.status());
  redis::RedisOptions options = (*env)->redis().options();
  redis::RedisPool pool(options);
  options.command_timeout = std::chrono::seconds(60);
  redis::RedisPool admin(options);
  BenchRedis redis{pool, admin, (*env)->redis_pid()};

  std::printf(
      "# notifications_bench\n\n"
      "- started: %s UTC\n- machine: %s; the benchmark shares these cores "
      "with redis-server (and the registry in scenario 2)\n"
      "- build type: %s\n"
      "- redis-server: private, loopback, AOF on with appendfsync always "
      "(the production default); emptied (FLUSHALL) before each scenario\n"
      "- the notification domain runs in this process (router, projection, "
      "subscriptions, inbox, broadcasts, WatchHub); events travel over the "
      "real Redis streams and consumer groups\n"
      "- scenarios: %s\n",
      absl::FormatTime("%Y-%m-%d %H:%M", started, absl::UTCTimeZone()).c_str(),
      DescribeMachine().c_str(), BROBYGGER_BUILD_TYPE,
      absl::StrJoin(config.scenarios, ", ").c_str());
  if (absl::string_view(BROBYGGER_BUILD_TYPE) == "Debug") {
    std::printf(
        "- WARNING: a Debug build; figures are not representative "
        "(configure with -DCMAKE_BUILD_TYPE=RelWithDebInfo)\n");
  }
  std::fflush(stdout);

  if (config.Wants("throughput")) {
    if (absl::Status s = RunThroughput(config, redis); !s.ok()) return Fail(s);
  }
  if (config.Wants("latency")) {
    if (absl::Status s = RunLatency(config, redis, **env, supervisor);
        !s.ok()) {
      return Fail(s);
    }
  }
  if (config.Wants("fanout")) {
    if (absl::Status s = RunFanout(config, redis); !s.ok()) return Fail(s);
  }
  std::printf("\nWhole run: %.0f s. Load average before / after: %s / %s.\n",
              absl::ToDoubleSeconds(absl::Now() - started), load_before.c_str(),
              LoadAverage().c_str());
  std::fflush(stdout);
  Progress("done");
  return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists, so that every thread inherits the mask.
  if (int code = StartBenchProgram(
          argc, argv, "notifications_bench",
          "Measures the notification service's delivery pipeline: events/s "
          "into inboxes, registry write to inbox latency, and one broadcast "
          "to 100,000 volunteers. Starts its own redis-server (and the "
          "registry); see bench/README.md.");
      code != 0) {
    return code;
  }
  absl::StatusOr<Config> config = ReadConfig();
  if (!config.ok()) {
    std::fprintf(stderr, "notifications_bench: %s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  Supervisor supervisor("notifications_bench", config->time_limit);
  return Run(*config, supervisor);
}
