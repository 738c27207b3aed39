#include "common/events/tenant_follower.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "common/events/event_consumer.h"
#include "common/log/log.h"
#include "common/status/macros.h"

namespace brobygger::events {

TenantFollowerOptions FollowOptions(const FollowerSettings& settings,
                                    std::string group,
                                    std::string source_service,
                                    std::string tenants_key,
                                    std::string dead_letter_stream) {
  TenantFollowerOptions out;
  out.group = std::move(group);
  out.consumer = settings.consumer;
  out.source_service = std::move(source_service);
  out.tenants_key = std::move(tenants_key);
  out.dead_letter_stream = std::move(dead_letter_stream);
  out.block = settings.block;
  out.tenant_refresh = settings.tenant_refresh;
  return out;
}

TenantFollower::TenantFollower(redis::RedisPool& pool,
                               redis::KeySpace processed_keys,
                               TenantFollowerOptions options, Handler handler)
    : pool_(pool),
      processed_keys_(std::move(processed_keys)),
      options_(std::move(options)),
      handler_(std::move(handler)) {}

TenantFollower::~TenantFollower() { Stop(); }

absl::Status TenantFollower::Follow(absl::string_view municipality) {
  {
    std::lock_guard<std::mutex> lock(followed_mutex_);
    if (followed_.contains(std::string(municipality))) return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(redis::Reply reply, pool_.Run({"SADD", options_.tenants_key,
                                                  std::string(municipality)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  {
    std::lock_guard<std::mutex> lock(followed_mutex_);
    followed_.insert(std::string(municipality));
  }
  tenants_changed_ = true;
  return absl::OkStatus();
}

absl::StatusOr<std::set<std::string>> TenantFollower::Tenants() {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   pool_.Run({"SMEMBERS", options_.tenants_key}));
  if (reply.is_error() && absl::StrContains(reply.str, "WRONGTYPE")) {
    // The registry keeps its municipalities in a sorted set (by id).
    ASSIGN_OR_RETURN(reply,
                     pool_.Run({"ZRANGE", options_.tenants_key, "0", "-1"}));
  }
  if (reply.is_error()) return absl::InternalError(reply.str);
  std::set<std::string> out;
  for (const redis::Reply& member : reply.elements) out.insert(member.str);
  return out;
}

void TenantFollower::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void TenantFollower::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void TenantFollower::Run() {
  const redis::KeySpace source(options_.source_service);
  std::unique_ptr<EventConsumer> consumer;
  std::set<std::string> tenants;
  absl::Time next_tenant_check = absl::InfinitePast();
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stop_) {
    // Municipalities first used on another replica are picked up
    // periodically; a new consumer keeps the group's position per stream.
    if (tenants_changed_.exchange(false) || absl::Now() >= next_tenant_check) {
      next_tenant_check = absl::Now() + options_.tenant_refresh;
      auto current = Tenants();
      if (!current.ok()) {
        log::Warning("cannot read the municipalities to follow",
                     {{"source", options_.source_service},
                      {"error", current.status().ToString()}});
      } else if (!current->empty() &&
                 (*current != tenants || consumer == nullptr)) {
        tenants = std::move(*current);
        ConsumerOptions consumer_options;
        consumer_options.group = options_.group;
        consumer_options.consumer = options_.consumer;
        consumer_options.block = options_.block;
        consumer_options.dead_letter_stream = options_.dead_letter_stream;
        for (const std::string& m : tenants) {
          consumer_options.streams.push_back(source.EventStream(m));
        }
        consumer = std::make_unique<EventConsumer>(pool_, processed_keys_,
                                                   consumer_options);
        if (absl::Status status = consumer->EnsureGroups(); !status.ok()) {
          log::Warning("cannot create consumer groups",
                       {{"source", options_.source_service},
                        {"error", status.ToString()}});
          consumer.reset();
        }
      }
    }
    if (consumer == nullptr || tenants.empty()) {
      absl::SleepFor(options_.block);
      continue;
    }
    auto batch = consumer->ReadBatch();
    if (!batch.ok()) {
      log::Warning("reading events failed",
                   {{"source", options_.source_service},
                    {"error", batch.status().ToString()}});
      absl::SleepFor(backoff);
      backoff = std::min(backoff * 2, absl::Seconds(5));
      continue;
    }
    backoff = absl::Milliseconds(100);
    for (const ReceivedEvent& received : *batch) {
      auto processed = consumer->AlreadyProcessed(received);
      absl::Status status =
          processed.ok()
              ? (*processed ? absl::OkStatus() : handler_(received.event))
              : processed.status();
      if (status.ok()) {
        status = consumer->Ack(received);
      } else {
        log::Warning("applying an event failed",
                     {{"source", options_.source_service},
                      {"event", received.event.id()},
                      {"type", received.event.type()},
                      {"error", status.ToString()}});
        status = consumer->Fail(received, status);
      }
      if (!status.ok()) {
        log::Warning("acknowledging an event failed",
                     {{"error", status.ToString()}});
      }
    }
  }
}

}  // namespace brobygger::events
