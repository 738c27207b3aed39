#include "services/matching/registry_follower.h"

#include <optional>
#include <vector>

#include "common/log/log.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"

namespace brobygger::matching {

RegistryFollower::RegistryFollower(MatchingContext& ctx,
                                   RegistryProjection& projection,
                                   MatchLifecycle& lifecycle,
                                   const FollowerOptions& options,
                                   ActorSource* snapshots)
    : projection_(projection),
      lifecycle_(lifecycle),
      snapshots_(snapshots),
      follower_(
          ctx.pool, ctx.keys.space(),
          events::FollowOptions(options, kServiceName, "registry",
                                ctx.keys.Tenants(), ctx.keys.DeadLetters()),
          [this](const events::v1::Event& event) { return Handle(event); }) {}

absl::Status RegistryFollower::Follow(absl::string_view municipality) {
  if (snapshots_ != nullptr) {
    std::lock_guard<std::mutex> lock(snapshot_mutex_);
    if (!checked_.contains(std::string(municipality))) {
      ASSIGN_OR_RETURN(std::optional<absl::Time> as_of,
                       projection_.AsOf(municipality));
      absl::Status snapshot =
          as_of.has_value() ? absl::OkStatus() : Snapshot(municipality);
      if (snapshot.ok()) {
        checked_.insert(std::string(municipality));
      } else {
        // The stream still brings what it retains; the next call retries.
        log::Warning(
            "cannot list the registry's actors; following its "
            "events only for now",
            {{"municipality", municipality}, {"error", snapshot.ToString()}});
      }
    }
  }
  return follower_.Follow(municipality);
}

absl::Status RegistryFollower::Snapshot(absl::string_view municipality) {
  const absl::Time read_time = absl::Now();
  int written = 0;
  for (const registry::v1::ActorKind kind :
       {registry::v1::ACTOR_KIND_VOLUNTEER,
        registry::v1::ACTOR_KIND_NEWCOMER}) {
    ASSIGN_OR_RETURN(std::vector<registry::v1::Actor> actors,
                     snapshots_->List(municipality, kind));
    ASSIGN_OR_RETURN(int applied, projection_.ApplySnapshot(municipality,
                                                            actors, read_time));
    written += applied;
  }
  log::Info("started the registry projection from the registry's actors",
            {{"municipality", municipality},
             {"records", static_cast<int64_t>(written)}});
  return absl::OkStatus();
}

absl::Status RegistryFollower::Handle(const events::v1::Event& event) {
  ASSIGN_OR_RETURN(ProjectionChange change, projection_.Apply(event));
  const std::string id = store::IdOf(change.actor);
  switch (change.kind) {
    case ProjectionChange::Kind::kVolunteerRemoved:
      return lifecycle_.VolunteerRemoved(change.municipality, id);
    case ProjectionChange::Kind::kNewcomerUpserted:
      if (change.consents) return absl::OkStatus();
      return lifecycle_.ConsentWithdrawn(change.municipality, id);
    case ProjectionChange::Kind::kNewcomerErased:
      return lifecycle_.NewcomerErased(change.municipality, id);
    case ProjectionChange::Kind::kVolunteerUpserted:
    case ProjectionChange::Kind::kNone:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace brobygger::matching
