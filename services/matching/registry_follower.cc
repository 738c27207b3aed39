#include "services/matching/registry_follower.h"

#include "common/status/macros.h"
#include "common/store/resource_io.h"

namespace brobygger::matching {

RegistryFollower::RegistryFollower(MatchingContext& ctx,
                                   RegistryProjection& projection,
                                   MatchLifecycle& lifecycle,
                                   const FollowerOptions& options)
    : projection_(projection),
      lifecycle_(lifecycle),
      follower_(ctx.pool, ctx.keys.space(),
                events::FollowOptions(options, kServiceName, "registry",
                                      ctx.keys.Tenants(),
                                      ctx.keys.DeadLetters()),
                [this](const events::v1::Event& event) {
                  return Handle(event);
                }) {}

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
