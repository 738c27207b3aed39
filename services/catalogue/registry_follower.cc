#include "services/catalogue/registry_follower.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"

namespace brobygger::catalogue {
namespace {

std::string RegistryStream(absl::string_view municipality) {
  return redis::KeySpace("registry").EventStream(municipality);
}

}  // namespace

RegistryFollower::RegistryFollower(CatalogueContext& ctx,
                                   RegistryProjection& projection,
                                   Activities& activities,
                                   PersonalPlans& plans,
                                   FollowerOptions options)
    : ctx_(ctx),
      projection_(projection),
      activities_(activities),
      plans_(plans),
      options_(std::move(options)) {}

RegistryFollower::~RegistryFollower() { Stop(); }

absl::Status RegistryFollower::Follow(absl::string_view municipality) {
  {
    std::lock_guard<std::mutex> lock(followed_mutex_);
    if (followed_.contains(std::string(municipality))) return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"SADD", ctx_.keys.Tenants(),
                                  std::string(municipality)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  {
    std::lock_guard<std::mutex> lock(followed_mutex_);
    followed_.insert(std::string(municipality));
  }
  tenants_changed_ = true;
  return absl::OkStatus();
}

absl::Status RegistryFollower::Handle(const events::v1::Event& event) {
  ASSIGN_OR_RETURN(ProjectionChange change, projection_.Apply(event));
  switch (change.kind) {
    case ProjectionChange::Kind::kOrganiserUpserted:
      return activities_.OrganiserRenamed(change.municipality, change.actor,
                                          change.display_name);
    case ProjectionChange::Kind::kOrganiserRemoved:
      return activities_.OrganiserRemoved(change.municipality, change.actor);
    case ProjectionChange::Kind::kNewcomerErased:
      return plans_.EraseNewcomer(change.municipality,
                                  store::IdOf(change.actor));
    case ProjectionChange::Kind::kNone:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::set<std::string>> RegistryFollower::Tenants() {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"SMEMBERS", ctx_.keys.Tenants()}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  std::set<std::string> out;
  for (const redis::Reply& member : reply.elements) out.insert(member.str);
  return out;
}

void RegistryFollower::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void RegistryFollower::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void RegistryFollower::Run() {
  std::unique_ptr<events::EventConsumer> consumer;
  std::set<std::string> tenants;
  absl::Time next_tenant_check = absl::InfinitePast();
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stop_) {
    // Tenants first used on another replica are picked up periodically.
    if (tenants_changed_.exchange(false) || absl::Now() >= next_tenant_check) {
      next_tenant_check = absl::Now() + options_.tenant_refresh;
      auto current = Tenants();
      if (current.ok() && !current->empty() &&
          (*current != tenants || consumer == nullptr)) {
        tenants = std::move(*current);
        events::ConsumerOptions consumer_options;
        consumer_options.group = kServiceName;
        consumer_options.consumer = options_.consumer;
        consumer_options.block = options_.block;
        consumer_options.dead_letter_stream = ctx_.keys.DeadLetters();
        for (const std::string& m : tenants) {
          consumer_options.streams.push_back(RegistryStream(m));
        }
        consumer = std::make_unique<events::EventConsumer>(
            ctx_.pool, ctx_.keys.space(), consumer_options);
        if (absl::Status status = consumer->EnsureGroups(); !status.ok()) {
          log::Warning("cannot create consumer groups",
                       {{"error", status.ToString()}});
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
      log::Warning("reading registry events failed",
                   {{"error", batch.status().ToString()}});
      absl::SleepFor(backoff);
      backoff = std::min(backoff * 2, absl::Seconds(5));
      continue;
    }
    backoff = absl::Milliseconds(100);
    for (const events::ReceivedEvent& received : *batch) {
      auto processed = consumer->AlreadyProcessed(received);
      absl::Status status =
          processed.ok() ? (*processed ? absl::OkStatus()
                                       : Handle(received.event))
                         : processed.status();
      if (status.ok()) {
        status = consumer->Ack(received);
      } else {
        log::Warning("applying a registry event failed",
                     {{"event", received.event.id()},
                      {"type", received.event.type()},
                      {"error", status.ToString()}});
        status = consumer->Fail(received, status);
      }
      if (!status.ok()) {
        log::Warning("acknowledging a registry event failed",
                     {{"error", status.ToString()}});
      }
    }
  }
}

}  // namespace brobygger::catalogue
