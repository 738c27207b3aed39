#include "bench/notifications_bench/latency.h"

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/harness/actor_mix.h"
#include "bench/harness/call_helpers.h"
#include "bench/harness/child_service.h"
#include "bench/harness/progress.h"
#include "bench/harness/registry_seed.h"
#include "bench/notifications_bench/latency_recorder.h"
#include "bench/notifications_bench/pipeline.h"
#include "bench/notifications_bench/population.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "common/events/event_bus.h"
#include "common/redis/keys.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "services/notifications/watch_hub.h"

namespace brobygger::bench {
namespace {

namespace nt = ::brobygger::notifications;
namespace rv1 = ::brobygger::registry::v1;

// Writes of the first second are not measured (connections, caches).
constexpr absl::Duration kWarmup = absl::Seconds(1);
// How long after the last write the run waits for the last messages.
constexpr absl::Duration kSettle = absl::Seconds(5);
// How long the projection may take to learn the contacts.
constexpr absl::Duration kContactsDeadline = absl::Seconds(20);
// Newcomers' actor ids in the in-process variants start here.
constexpr int64_t kFirstNewcomerId = 100000;

struct Variant {
  std::string write_name;  // "events::Publish" or "registry CreateActor"
  std::string municipality;
  absl::Duration block;
  int senders = 2;
  // Creates one local contact per town where the registry's stream
  // carries it; returns their actor ids in town order.
  std::function<absl::StatusOr<std::vector<std::string>>()> create_contacts;
  // Places newcomer `sequence` in `town`.
  std::function<absl::Status(int sequence, const std::string& town)> write;
  std::vector<pid_t> pids;  // for CPU: redis-server, the registry
};

struct VariantResult {
  std::string write_name;
  absl::Duration block;
  LatencySummary summary;
  CpuUse cpu;
};

absl::Status AwaitContacts(InProcessNotifications& pipeline,
                           const std::string& m,
                           const std::vector<std::string>& ids) {
  const absl::Time deadline = absl::Now() + kContactsDeadline;
  for (const std::string& id : ids) {
    while (true) {
      ASSIGN_OR_RETURN(auto actor, pipeline.projection().FindActor(m, id));
      if (actor.has_value()) break;
      if (absl::Now() > deadline) {
        return absl::DeadlineExceededError(absl::StrCat(
            "the notification projection did not learn actor ", id, " of ", m,
            " within ", absl::FormatDuration(kContactsDeadline)));
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<VariantResult> Measure(const Config& config, BenchRedis& redis,
                                      const Variant& variant) {
  const std::string& m = variant.municipality;
  const std::vector<std::string> towns = Towns(config.towns);
  const int warmup_writes =
      static_cast<int>(config.latency_rate * absl::ToDoubleSeconds(kWarmup));
  const int writes =
      warmup_writes +
      static_cast<int>(config.latency_rate *
                       absl::ToDoubleSeconds(config.latency_duration));
  InProcessNotifications pipeline(redis.pool);
  LatencyRecorder recorder(writes);

  // The service's follower of the registry stream.
  std::unique_ptr<events::TenantFollower> follower = pipeline.Follower(
      "registry",
      BenchKey(absl::StrCat("latency-", m, "-",
                            absl::FormatDuration(variant.block))),
      "replica-1", variant.block,
      [&](const events::v1::Event& event) -> absl::Status {
        const std::optional<int> sequence = LatencySequence(event.request_id());
        if (sequence.has_value()) recorder.Expect(event.id(), *sequence);
        absl::Status status = pipeline.router().Handle(event);
        if (status.ok() && sequence.has_value()) {
          recorder.Routed(*sequence, absl::Now());
        }
        return status;
      });
  RETURN_IF_ERROR(follower->Follow(m));
  follower->Start();

  // One local contact per town, subscribed by a coordinator.
  ASSIGN_OR_RETURN(std::vector<std::string> contacts,
                   variant.create_contacts());
  RETURN_IF_ERROR(AwaitContacts(pipeline, m, contacts));
  for (size_t i = 0; i < contacts.size(); ++i) {
    nt::v1::Subscription subscription;
    subscription.set_subscriber(ActorName(m, std::stoll(contacts[i])));
    subscription.add_topics(nt::v1::TOPIC_NEWCOMER_PLACED);
    subscription.add_areas(towns[i % towns.size()]);
    RETURN_IF_ERROR(pipeline.subscriptions()
                        .Create(Coordinator(m), m, subscription, "")
                        .status());
  }

  // Their inboxes watched live, as by the apps' WatchNotifications.
  // (Watchers before the hub: the hub, destroyed first, stops calling
  // them.)
  std::vector<std::unique_ptr<RecordingWatcher>> watchers;
  nt::WatchHubOptions hub_options;
  hub_options.poll_interval = config.watch_poll_interval;
  nt::WatchHub hub(pipeline.inbox(), hub_options);
  hub.Start();
  for (const std::string& contact : contacts) {
    ASSIGN_OR_RETURN(std::string cursor,
                     pipeline.inbox().ResolveCursor(m, contact, ""));
    watchers.push_back(std::make_unique<RecordingWatcher>(recorder));
    ASSIGN_OR_RETURN(auto watch,
                     hub.Add(m, contact, cursor, watchers.back().get()));
    watchers.back()->Attach(std::move(watch));
  }

  // Open loop: write n is due at start + n / rate, whatever the others do.
  Progress(absl::StrCat("latency: ", variant.write_name, ", follower BLOCK ",
                        absl::FormatDuration(variant.block), ": ", writes,
                        " newcomers at ", config.latency_rate, "/s"));
  const absl::Duration interval = absl::Seconds(1) / config.latency_rate;
  const absl::Time begin = absl::Now() + absl::Milliseconds(50);
  const CpuSample cpu_before = SampleCpu(variant.pids);
  std::vector<std::thread> senders;
  for (int s = 0; s < variant.senders; ++s) {
    senders.emplace_back([&, s] {
      for (int n = s; n < writes; n += variant.senders) {
        const absl::Time due = begin + n * interval;
        const absl::Duration wait = due - absl::Now();
        if (wait > absl::ZeroDuration()) absl::SleepFor(wait);
        recorder.Started(n, absl::Now());
        const absl::Status status = variant.write(n, towns[n % towns.size()]);
        recorder.Written(n, absl::Now(), status);
      }
    });
  }
  for (std::thread& sender : senders) sender.join();
  const CpuSample cpu_after = SampleCpu(variant.pids);
  const absl::Time settle_until = absl::Now() + kSettle;
  while (!recorder.Complete() && absl::Now() < settle_until) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  follower->Stop();
  hub.Stop();

  VariantResult result;
  result.write_name = variant.write_name;
  result.block = variant.block;
  result.summary = recorder.Summarise(warmup_writes);
  result.cpu = CpuBetween(cpu_before, cpu_after);
  return result;
}

// ---- The variants' contacts and writes ---------------------------------

// Contacts published on the registry stream as the registry would.
absl::StatusOr<std::vector<std::string>> PublishContacts(BenchRedis& redis,
                                                         const std::string& m,
                                                         int towns) {
  const std::string stream = redis::KeySpace("registry").EventStream(m);
  const std::vector<std::string> names = Towns(towns);
  std::vector<std::string> ids;
  for (size_t i = 0; i < names.size(); ++i) {
    RETURN_IF_ERROR(events::Publish(
        redis.pool, stream, ActorCreatedEvent(m, Volunteer(m, i + 1, names[i])),
        {}));
    ids.push_back(absl::StrCat(i + 1));
  }
  return ids;
}

Variant PublishVariant(BenchRedis& redis, int towns, absl::Duration block) {
  Variant variant;
  variant.write_name = "events::Publish";
  variant.municipality =
      absl::StrCat("latency-", absl::ToInt64Milliseconds(block), "ms");
  variant.block = block;
  variant.senders = 2;
  const std::string m = variant.municipality;
  const std::string stream = redis::KeySpace("registry").EventStream(m);
  variant.create_contacts = [&redis, m, towns] {
    return PublishContacts(redis, m, towns);
  };
  variant.write = [&redis, m, stream](int n, const std::string& town) {
    const rv1::Actor newcomer =
        PlacedNewcomer(ActorName(m, kFirstNewcomerId + n), town, n);
    return events::Publish(redis.pool, stream,
                           ActorCreatedEvent(m, newcomer, LatencyRequestId(n)),
                           {});
  };
  variant.pids = {redis.pid};
  return variant;
}

// The registry's volunteers of the synthetic municipality, one per town.
ActorMix ContactMix(int towns, uint32_t seed) {
  const ActorMix source = MakeActorMix(50, seed);
  ActorMix mix;
  mix.municipality = source.municipality;
  mix.waves = 1;
  const std::vector<std::string> names = Towns(towns);
  for (const PlannedActor& planned : source.actors) {
    if (mix.actors.size() == names.size()) break;
    if (planned.actor.kind() != rv1::ACTOR_KIND_VOLUNTEER) continue;
    PlannedActor contact;
    contact.actor = planned.actor;
    contact.actor.clear_parent();
    contact.actor.clear_areas();
    contact.actor.add_areas(names[mix.actors.size()]);
    mix.actors.push_back(std::move(contact));
  }
  mix.volunteers = static_cast<int>(mix.actors.size());
  return mix;
}

}  // namespace

absl::Status RunLatency(const Config& config, BenchRedis& redis,
                        BenchEnvironment& env, Supervisor& supervisor) {
  RETURN_IF_ERROR(FlushRedis(redis.admin));
  std::vector<VariantResult> results;
  for (absl::Duration block : config.latency_blocks) {
    ASSIGN_OR_RETURN(
        VariantResult result,
        Measure(config, redis, PublishVariant(redis, config.towns, block)));
    results.push_back(std::move(result));
  }

  if (config.latency_registry) {
    Progress("latency: starting the registry");
    ASSIGN_OR_RETURN(
        std::unique_ptr<ChildService> registry,
        ChildService::Start(
            env.ServiceOptions("registry", config.registry_binary,
                               "../services/registry/registry",
                               "services/registry/registry",
                               /*uses_redis=*/true, config.server_log_level),
            &supervisor));
    const std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
        registry->address(), grpc::InsecureChannelCredentials());
    auto stub = rv1::RegistryService::NewStub(channel);
    const std::string token = env.tokens().coordinator_token;
    const std::string parent = absl::StrCat("municipalities/", kMunicipalityId);

    Variant variant;
    variant.write_name = "registry CreateActor (gRPC)";
    variant.municipality = kMunicipalityId;
    variant.block = config.latency_blocks.empty() ? absl::Milliseconds(100)
                                                  : config.latency_blocks[0];
    // A CreateActor takes a few milliseconds: enough senders that the
    // rate holds even when some calls are slow.
    variant.senders = 4;
    variant.create_contacts =
        [&]() -> absl::StatusOr<std::vector<std::string>> {
      SeedOptions options;
      options.operator_token = env.tokens().operator_token;
      options.coordinator_token = token;
      ASSIGN_OR_RETURN(
          Seeded seeded,
          SeedRegistry(channel, ContactMix(config.towns, config.seed),
                       options));
      std::vector<std::string> ids;
      for (const std::string& name : seeded.actor_names) {
        ids.push_back(store::IdOf(name));
      }
      return ids;
    };
    variant.write = [&](int n, const std::string& town) -> absl::Status {
      rv1::CreateActorRequest request;
      request.set_parent(parent);
      *request.mutable_actor() = PlacedNewcomer("", town, n);
      request.mutable_actor()->clear_update_time();
      request.set_request_id(LatencyRequestId(n));
      grpc::ClientContext context;
      PrepareContext(&context, token, absl::Seconds(5));
      rv1::Actor created;
      return FromGrpc(stub->CreateActor(&context, request, &created),
                      "CreateActor");
    };
    variant.pids = {redis.pid, registry->pid()};
    absl::StatusOr<VariantResult> result = Measure(config, redis, variant);
    if (!result.ok()) {
      return absl::Status(
          result.status().code(),
          absl::StrCat(result.status().message(), "\nregistry log tail:\n",
                       registry->LogTail()));
    }
    results.push_back(*std::move(result));
    registry->Stop();
  }

  std::printf(
      "\n## 2. Latency: registry write to inbox\n\n"
      "One local contact in each of %d towns subscribed to "
      "TOPIC_NEWCOMER_PLACED in their town; %d newcomers a second (with "
      "consent) placed in the towns in turn for %s (open loop; the first "
      "%s not measured). Time from just before the write to: **inbox** = "
      "Router::Handle returned for the event (the message is in the inbox), "
      "**watcher** = a WatchHub watch of the contact's inbox handed it over "
      "(hub poll %s), as a live app's WatchNotifications stream gets it. "
      "`events::Publish` writes the registry's ActorCreated event as the "
      "registry does, so **the registry's own write is not included** in "
      "those rows; `registry CreateActor (gRPC)` rows time the real "
      "registry's call, so they are truly from a registry write.\n\n",
      config.towns, config.latency_rate,
      absl::FormatDuration(config.latency_duration).c_str(),
      absl::FormatDuration(kWarmup).c_str(),
      absl::FormatDuration(config.watch_poll_interval).c_str());
  std::printf(
      "| write | follower BLOCK | to | p50 | p90 | p99 | max | received / "
      "written | write call p50 / p99 | CPU used by others |\n"
      "|---|--:|---|--:|--:|--:|--:|--:|--:|--:|\n");
  for (const VariantResult& r : results) {
    const LatencySummary& s = r.summary;
    const int64_t written = s.measured - s.write_errors;
    const auto row = [&](const char* to, const std::vector<double>& ms,
                         int64_t received) {
      std::printf(
          "| %s | %s | %s | %s | %s | %s | %s | %lld / %lld | %s / %s "
          "| %.0f%% |\n",
          r.write_name.c_str(), absl::FormatDuration(r.block).c_str(), to,
          FormatMillis(Percentile(ms, 50)).c_str(),
          FormatMillis(Percentile(ms, 90)).c_str(),
          FormatMillis(Percentile(ms, 99)).c_str(),
          FormatMillis(ms.empty() ? 0 : ms.back()).c_str(),
          static_cast<long long>(received), static_cast<long long>(written),
          FormatMillis(Percentile(s.write_ms, 50)).c_str(),
          FormatMillis(Percentile(s.write_ms, 99)).c_str(),
          r.cpu.foreign_share * 100);
    };
    row("inbox", s.inbox_ms, s.routed);
    row("watcher", s.watch_ms, s.seen);
    if (s.routed_per_second < 0.95 * config.latency_rate) {
      std::printf(
          "| %s | %s | the follower FELL BEHIND: it routed %.0f events/s of "
          "%d/s written, so these latencies include a growing backlog | | | "
          "| | | | |\n",
          r.write_name.c_str(), absl::FormatDuration(r.block).c_str(),
          s.routed_per_second, config.latency_rate);
    }
    if (s.write_errors > 0) {
      std::printf("| %s | | %lld writes FAILED, e.g. %s | | | | | | | |\n",
                  r.write_name.c_str(), static_cast<long long>(s.write_errors),
                  s.first_write_error.c_str());
    }
  }
  std::fflush(stdout);
  return absl::OkStatus();
}

}  // namespace brobygger::bench
