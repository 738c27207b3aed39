#include "bench/notifications_bench/throughput.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/harness/progress.h"
#include "bench/harness/redis_stats.h"
#include "bench/notifications_bench/pipeline.h"
#include "bench/notifications_bench/population.h"
#include "common/events/event_bus.h"
#include "common/redis/keys.h"
#include "common/status/macros.h"

namespace brobygger::bench {
namespace {

namespace nt = ::brobygger::notifications;

struct Run {
  int replicas = 0;
  int events = 0;
  int64_t handled = 0;
  int64_t failures = 0;
  absl::Duration drain;
  std::vector<double> handle_ms;  // sorted
  CpuUse cpu;
  std::map<std::string, int64_t> commands;
  int64_t expected_messages = 0;
  int64_t messages = 0;
  int mismatched_inboxes = 0;
  int64_t pending = 0;
  int64_t dead_letters = 0;
  int64_t emails = 0;
  int64_t webhooks = 0;
  int64_t aof_rewrites = 0;
  absl::Duration setup;
};

// The number of "municipalities/<m>/activities/<n>".
std::optional<int> ActivityNumber(absl::string_view resource) {
  const size_t slash = resource.rfind('/');
  int number = 0;
  if (slash == absl::string_view::npos ||
      !absl::SimpleAtoi(resource.substr(slash + 1), &number)) {
    return std::nullopt;
  }
  return number;
}

absl::StatusOr<int64_t> PendingEntries(redis::RedisPool& pool,
                                       const std::string& stream) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   pool.Run({"XPENDING", stream, nt::kServiceName}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  if (reply.elements.empty()) return 0;
  return reply.elements[0].integer;
}

absl::StatusOr<Run> RunOnce(const Config& config, BenchRedis& redis,
                            int replicas) {
  RETURN_IF_ERROR(FlushRedis(redis.admin));
  const std::string m = absl::StrCat("throughput-", replicas);
  const std::vector<std::string> towns = Towns(config.towns);
  const std::vector<int> home =
      SpreadOverTowns(config.volunteers, towns.size(), config.seed);
  const std::vector<int> event_town =
      SpreadOverTowns(config.events, towns.size(), config.seed + 1);
  InProcessNotifications pipeline(redis.pool);
  Run run;
  run.replicas = replicas;
  run.events = config.events;

  Progress(absl::StrCat("throughput, ", replicas, " consumer(s): feeding ",
                        config.volunteers, " volunteers and subscribing them"));
  const absl::Time setup_start = absl::Now();
  RETURN_IF_ERROR(ParallelFor(
      config.volunteers, config.seed_threads, [&](int i) -> absl::Status {
        return pipeline.router().Handle(
            ActorCreatedEvent(m, Volunteer(m, i + 1, towns[home[i]])));
      }));
  RETURN_IF_ERROR(ParallelFor(
      config.volunteers, config.seed_threads, [&](int i) -> absl::Status {
        nt::v1::Subscription subscription;
        subscription.set_subscriber(ActorName(m, i + 1));
        subscription.add_topics(nt::v1::TOPIC_ACTIVITIES);
        subscription.add_areas(towns[home[i]]);
        return pipeline.subscriptions()
            .Create(Coordinator(m), m, subscription, "")
            .status();
      }));
  Progress(absl::StrCat("throughput: publishing ", config.events,
                        " ActivityPublished events"));
  const std::string stream = redis::KeySpace("catalogue").EventStream(m);
  RETURN_IF_ERROR(ParallelFor(
      config.events, config.seed_threads, [&](int j) -> absl::Status {
        return events::Publish(
            redis.pool, stream,
            ActivityPublishedEvent(m, j + 1, towns[event_town[j]]), {});
      }));
  run.setup = absl::Now() - setup_start;

  // The consumers, each a replica's follower, drain the backlog. Each
  // event handled is counted once per town by its id (a redelivery must
  // not count twice: the inboxes would rightly show it once).
  absl::Mutex mu;
  std::vector<double> handle_ms;
  handle_ms.reserve(config.events);
  absl::flat_hash_set<std::string> handled_ids;
  std::vector<int64_t> handled_per_town(towns.size(), 0);
  std::atomic<int64_t> handled{0};
  std::atomic<int64_t> failures{0};
  absl::Time last_handled = absl::InfinitePast();
  const auto handler = [&](const events::v1::Event& event) -> absl::Status {
    const absl::Time start = absl::Now();
    absl::Status status = pipeline.router().Handle(event);
    const absl::Time end = absl::Now();
    if (!status.ok()) {
      ++failures;
      return status;
    }
    const std::optional<int> activity = ActivityNumber(event.resource());
    absl::MutexLock lock(&mu);
    handle_ms.push_back(absl::ToDoubleMilliseconds(end - start));
    if (activity.has_value() && *activity >= 1 && *activity <= config.events &&
        handled_ids.insert(event.id()).second) {
      ++handled_per_town[event_town[*activity - 1]];
      ++handled;
    }
    last_handled = std::max(last_handled, end);
    return status;
  };
  const std::string tenants = BenchKey(absl::StrCat("throughput-", replicas));
  std::vector<std::unique_ptr<events::TenantFollower>> followers;
  for (int r = 0; r < replicas; ++r) {
    followers.push_back(pipeline.Follower("catalogue", tenants,
                                          absl::StrCat("replica-", r + 1),
                                          config.consumer_block, handler));
  }
  RETURN_IF_ERROR(followers.front()->Follow(m));

  Progress(absl::StrCat("throughput: ", replicas,
                        " consumer(s) draining the backlog (at most ",
                        absl::FormatDuration(config.throughput_time), ")"));
  ASSIGN_OR_RETURN(auto commands_before, RedisCommandCalls(redis.admin));
  ASSIGN_OR_RETURN(const int64_t forks_before, RedisForks(redis.admin));
  const CpuSample cpu_before = SampleCpu({redis.pid});
  const absl::Time start = absl::Now();
  for (auto& follower : followers) follower->Start();
  while (handled.load() < config.events &&
         absl::Now() - start < config.throughput_time) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  // Stopping lets each consumer finish the batch in hand.
  for (auto& follower : followers) follower->Stop();
  const CpuSample cpu_after = SampleCpu({redis.pid});
  ASSIGN_OR_RETURN(auto commands_after, RedisCommandCalls(redis.admin));
  ASSIGN_OR_RETURN(const int64_t forks_after, RedisForks(redis.admin));
  run.aof_rewrites = forks_after - forks_before;
  {
    absl::MutexLock lock(&mu);
    run.drain =
        last_handled > start ? last_handled - start : absl::ZeroDuration();
    run.handle_ms = handle_ms;
  }
  std::sort(run.handle_ms.begin(), run.handle_ms.end());
  run.handled = handled.load();
  run.failures = failures.load();
  run.cpu = CpuBetween(cpu_before, cpu_after);
  run.commands = CommandsBetween(commands_before, commands_after);

  // Read back: every inbox holds exactly the handled events of its town.
  std::vector<std::string> inboxes;
  for (int i = 0; i < config.volunteers; ++i) {
    inboxes.push_back(pipeline.context().keys.Inbox(m, absl::StrCat(i + 1)));
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> lengths,
                   StreamLengths(redis.admin, inboxes));
  for (int i = 0; i < config.volunteers; ++i) {
    // An inbox keeps its newest kMaxEntries messages.
    const int64_t expected = std::min<int64_t>(handled_per_town[home[i]],
                                               nt::InboxStore::kMaxEntries);
    run.expected_messages += expected;
    run.messages += lengths[i];
    if (lengths[i] != expected) ++run.mismatched_inboxes;
  }
  // Pending: handed to a consumer and not acknowledged. Events the
  // consumers never took (time cap) are not pending, just unread.
  ASSIGN_OR_RETURN(run.pending, PendingEntries(redis.admin, stream));
  ASSIGN_OR_RETURN(
      std::vector<int64_t> dead,
      StreamLengths(redis.admin, {pipeline.context().keys.DeadLetters()}));
  run.dead_letters = dead[0];
  run.emails = pipeline.emails();
  run.webhooks = pipeline.webhook_deliveries();
  return run;
}

void PrintRow(const Run& run) {
  const double seconds = std::max(1e-9, absl::ToDoubleSeconds(run.drain));
  const double redis_cpu =
      run.cpu.other_seconds.empty() ? -1 : run.cpu.other_seconds[0];
  const double per = std::max<int64_t>(1, run.handled);
  std::string check = run.messages == run.expected_messages &&
                              run.mismatched_inboxes == 0 && run.pending == 0 &&
                              run.dead_letters == 0
                          ? "ok: "
                          : "MISMATCH: ";
  absl::StrAppend(&check, run.messages, " of ", run.expected_messages,
                  " expected, ", run.mismatched_inboxes, " inboxes differ, ",
                  run.pending, " pending, ", run.dead_letters, " dead letters");
  if (run.failures > 0) absl::StrAppend(&check, ", ", run.failures, " retries");
  std::printf(
      "| %d | %lld / %d | %.1f s | %.0f | %.0f | %s / %s | %.2f ms / %.2f ms "
      "| %.0f%% | %s |\n",
      run.replicas, static_cast<long long>(run.handled), run.events, seconds,
      run.handled / seconds, run.messages / seconds,
      FormatMillis(Percentile(run.handle_ms, 50)).c_str(),
      FormatMillis(Percentile(run.handle_ms, 99)).c_str(),
      run.cpu.self_seconds * 1000 / per, redis_cpu * 1000 / per,
      run.cpu.foreign_share * 100, check.c_str());
}

}  // namespace

absl::Status RunThroughput(const Config& config, BenchRedis& redis) {
  std::vector<Run> runs;
  for (int replicas : config.replicas) {
    ASSIGN_OR_RETURN(Run run, RunOnce(config, redis, replicas));
    runs.push_back(std::move(run));
  }
  std::printf(
      "\n## 1. Throughput: catalogue events to inboxes\n\n"
      "%d volunteers in %d towns, each subscribed to TOPIC_ACTIVITIES in "
      "their town; %d ActivityPublished events (each in one town, so each "
      "reaches about 1/%d of the volunteers) published to "
      "`catalogue:{m}:events` beforehand, then drained by N consumers of "
      "the group `notifications` (TenantFollower, one thread each, XREADGROUP "
      "BLOCK %s) calling Router::Handle. Time: from starting the consumers to "
      "the last event handled; after %s the consumers are stopped and finish "
      "the batch in hand (up to 64 events each), the events never taken stay "
      "unread and are not counted. Inboxes read back: each must hold exactly "
      "the handled events of its town.\n\n",
      config.volunteers, config.towns, config.events, config.towns,
      absl::FormatDuration(config.consumer_block).c_str(),
      absl::FormatDuration(config.throughput_time).c_str());
  std::printf(
      "| consumers | events handled / published | time | events/s | inbox "
      "messages/s | "
      "Router::Handle p50 / p99 | CPU per event: bench / redis | CPU used by "
      "others | inboxes read back |\n"
      "|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
  for (const Run& run : runs) PrintRow(run);
  std::printf("\n");
  for (const Run& run : runs) {
    std::printf(
        "- %d consumer(s): set-up (not measured) %.1f s; AOF rewrites "
        "during the window %lld; Redis commands per event: %s; e-mails "
        "%lld, webhook deliveries %lld (nobody chose them)\n",
        run.replicas, absl::ToDoubleSeconds(run.setup),
        static_cast<long long>(run.aof_rewrites),
        CommandsPer(run.commands, std::max<int64_t>(1, run.handled)).c_str(),
        static_cast<long long>(run.emails),
        static_cast<long long>(run.webhooks));
  }
  std::fflush(stdout);
  return absl::OkStatus();
}

}  // namespace brobygger::bench
