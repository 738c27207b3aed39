#include "bench/notifications_bench/fanout.h"

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "bench/harness/process_memory.h"
#include "bench/harness/progress.h"
#include "bench/harness/redis_stats.h"
#include "bench/notifications_bench/pipeline.h"
#include "bench/notifications_bench/population.h"
#include "common/status/macros.h"

namespace brobygger::bench {
namespace {

namespace nt = ::brobygger::notifications;
namespace rv1 = ::brobygger::registry::v1;

constexpr char kMunicipality[] = "fanout";

std::string Mebibytes(const absl::StatusOr<ProcessMemory>& memory,
                      bool peak = false) {
  if (!memory.ok()) return "?";
  return FormatMebibytes(peak ? memory->peak_resident_bytes
                              : memory->resident_bytes);
}

}  // namespace

absl::Status RunFanout(const Config& config, BenchRedis& redis) {
  RETURN_IF_ERROR(FlushRedis(redis.admin));
  const std::string m = kMunicipality;
  const int recipients = config.fanout_recipients;
  const std::vector<std::string> towns = Towns(config.towns);
  const std::vector<int> home =
      SpreadOverTowns(recipients, towns.size(), config.seed + 2);
  InProcessNotifications pipeline(redis.pool);
  ASSIGN_OR_RETURN(int64_t memory_empty, RedisUsedMemory(redis.admin));

  Progress(absl::StrCat("fan-out: seeding the projection with ", recipients,
                        " volunteers"));
  const absl::Time seed_start = absl::Now();
  RETURN_IF_ERROR(
      ParallelFor(recipients, config.seed_threads, [&](int i) -> absl::Status {
        return pipeline.projection()
            .Apply(ActorCreatedEvent(m, Volunteer(m, i + 1, towns[home[i]])))
            .status();
      }));
  const absl::Duration seeding = absl::Now() - seed_start;

  // The audience alone, as SendDue resolves it first.
  const absl::Time resolve_start = absl::Now();
  ASSIGN_OR_RETURN(
      std::vector<std::string> audience,
      pipeline.projection().ActorIdsOfKind(m, rv1::ACTOR_KIND_VOLUNTEER));
  const absl::Duration resolving = absl::Now() - resolve_start;

  nt::v1::Broadcast asked;
  asked.set_title("The reception office moves to Vesterbro 14");
  asked.set_body(
      "From Monday the municipality's reception office for newcomers is at "
      "Vesterbro 14, 2nd floor. Opening hours are unchanged. Please tell the "
      "families you help.");
  asked.mutable_audience()->set_actor_kind(rv1::ACTOR_KIND_VOLUNTEER);
  ASSIGN_OR_RETURN(
      nt::v1::Broadcast created,
      pipeline.broadcasts().Create(
          Coordinator(m), absl::StrCat("municipalities/", m), asked, ""));

  ASSIGN_OR_RETURN(int64_t memory_before, RedisUsedMemory(redis.admin));
  const absl::StatusOr<ProcessMemory> rss_before = ReadProcessMemory(getpid());
  const absl::StatusOr<ProcessMemory> redis_rss_before =
      ReadProcessMemory(redis.pid);
  ASSIGN_OR_RETURN(auto commands_before, RedisCommandCalls(redis.admin));
  ASSIGN_OR_RETURN(const int64_t forks_before, RedisForks(redis.admin));
  Progress(absl::StrCat("fan-out: sending the broadcast to ", audience.size(),
                        " volunteers"));
  const CpuSample cpu_before = SampleCpu({redis.pid});
  ASSIGN_OR_RETURN(int sent, pipeline.broadcasts().SendDue(m, 1));
  const CpuSample cpu_after = SampleCpu({redis.pid});
  ASSIGN_OR_RETURN(auto commands_after, RedisCommandCalls(redis.admin));
  ASSIGN_OR_RETURN(const int64_t forks_after, RedisForks(redis.admin));
  const absl::StatusOr<ProcessMemory> rss_after = ReadProcessMemory(getpid());
  const absl::StatusOr<ProcessMemory> redis_rss_after =
      ReadProcessMemory(redis.pid);
  ASSIGN_OR_RETURN(int64_t memory_after, RedisUsedMemory(redis.admin));
  const CpuUse cpu = CpuBetween(cpu_before, cpu_after);

  // Read back: one message in every inbox, and the sending recorded.
  std::vector<std::string> inboxes;
  inboxes.reserve(recipients);
  for (int i = 0; i < recipients; ++i) {
    inboxes.push_back(pipeline.context().keys.Inbox(m, absl::StrCat(i + 1)));
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> lengths,
                   StreamLengths(redis.admin, inboxes));
  int64_t messages = 0;
  int differ = 0;
  for (int64_t length : lengths) {
    messages += length;
    if (length != 1) ++differ;
  }
  // Where the memory per inbox goes, for the first recipient.
  const nt::NotificationsKeys& keys = pipeline.context().keys;
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"inbox stream", keys.Inbox(m, "1")},
      {"inbox meta hash", keys.InboxMeta(m, "1")},
      {"delivered marker",
       keys.Delivered(m, absl::StrCat(created.name(), "#1"), "1")}};
  std::vector<std::string> breakdown;
  for (const auto& [what, key] : parts) {
    ASSIGN_OR_RETURN(redis::Reply usage,
                     redis.admin.Run({"MEMORY", "USAGE", key, "SAMPLES", "0"}));
    breakdown.push_back(absl::StrCat(what, " ",
                                     usage.is_integer()
                                         ? absl::StrCat(usage.integer, " B")
                                         : std::string("missing")));
  }
  ASSIGN_OR_RETURN(nt::v1::Broadcast after,
                   pipeline.broadcasts().Get(Coordinator(m), created.name()));

  const double seconds = std::max(1e-9, cpu.wall_seconds);
  const double per_inbox_bytes =
      static_cast<double>(memory_after - memory_before) /
      std::max(1, recipients);
  const bool ok = sent == 1 && messages == recipients && differ == 0 &&
                  after.last_recipient_count() == recipients &&
                  after.state() == nt::v1::Broadcast::STATE_COMPLETED;
  std::printf(
      "\n## 3. Fan-out: one broadcast to every volunteer\n\n"
      "%d volunteers in %d towns fed to the projection as registry "
      "ActorCreated events (RegistryProjection::Apply, %d threads); a "
      "coordinator's broadcast to actor_kind VOLUNTEER "
      "(Broadcasts::Create), sent by one Broadcasts::SendDue call: audience "
      "from the projection, then InboxPersonNotifier -> InboxStore::Deliver "
      "in atomic Lua chunks of %d inboxes, slices of %d between lease "
      "renewals.\n\n",
      recipients, config.towns, config.seed_threads,
      nt::InboxStore::kDeliverChunk, nt::kSendSlice);
  std::printf(
      "| recipients | SendDue | inbox writes/s | per chunk of %d | CPU per "
      "1000 inboxes: bench / redis | CPU used by others | Redis used memory "
      "before → after (per inbox) | RSS bench before → after (peak) | RSS "
      "redis-server before → after | inboxes read back |\n"
      "|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n",
      nt::InboxStore::kDeliverChunk);
  std::printf(
      "| %d | %.2f s | %.0f | %s | %.0f ms / %.0f ms | %.0f%% | %s → %s (%.0f "
      "B) | %s → %s (%s) | %s → %s | %s: %lld messages, %d inboxes without "
      "exactly one; broadcast %s, last_recipient_count %d |\n",
      recipients, seconds, recipients / seconds,
      FormatMillis(
          seconds * 1000 /
          std::max(1, (recipients + nt::InboxStore::kDeliverChunk - 1) /
                          nt::InboxStore::kDeliverChunk))
          .c_str(),
      cpu.self_seconds * 1e6 / std::max(1, recipients),
      (cpu.other_seconds.empty() ? -1 : cpu.other_seconds[0]) * 1e6 /
          std::max(1, recipients),
      cpu.foreign_share * 100, FormatMebibytes(memory_before).c_str(),
      FormatMebibytes(memory_after).c_str(), per_inbox_bytes,
      Mebibytes(rss_before).c_str(), Mebibytes(rss_after).c_str(),
      Mebibytes(rss_after, /*peak=*/true).c_str(),
      Mebibytes(redis_rss_before).c_str(), Mebibytes(redis_rss_after).c_str(),
      ok ? "ok" : "MISMATCH", static_cast<long long>(messages), differ,
      nt::v1::Broadcast::State_Name(after.state()).c_str(),
      after.last_recipient_count());
  std::printf(
      "\n- seeding (not measured): %d ActorCreated applied in %.1f s (%.0f "
      "/s); Redis used memory empty → seeded: %s → %s\n"
      "- resolving the audience alone (ActorIdsOfKind): %s for %zu ids\n"
      "- AOF rewrites by redis-server during SendDue (a forked child, its CPU "
      "counted under others): %lld\n"
      "- Redis commands per 1000 inboxes: %s\n"
      "- memory of one recipient's keys (MEMORY USAGE): %s\n",
      recipients, absl::ToDoubleSeconds(seeding),
      recipients / std::max(1e-9, absl::ToDoubleSeconds(seeding)),
      FormatMebibytes(memory_empty).c_str(),
      FormatMebibytes(memory_before).c_str(),
      FormatMillis(absl::ToDoubleMilliseconds(resolving)).c_str(),
      audience.size(), static_cast<long long>(forks_after - forks_before),
      CommandsPer(CommandsBetween(commands_before, commands_after),
                  recipients / 1000.0)
          .c_str(),
      absl::StrJoin(breakdown, ", ").c_str());
  std::fflush(stdout);
  return absl::OkStatus();
}

}  // namespace brobygger::bench
