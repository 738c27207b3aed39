#include "services/catalogue/registry_follower.h"

#include "common/status/macros.h"
#include "common/store/resource_io.h"

namespace brobygger::catalogue {

RegistryFollower::RegistryFollower(CatalogueContext& ctx,
                                   RegistryProjection& projection,
                                   Activities& activities, PersonalPlans& plans,
                                   const FollowerOptions& options)
    : projection_(projection),
      activities_(activities),
      plans_(plans),
      follower_(
          ctx.pool, ctx.keys.space(),
          events::FollowOptions(options, kServiceName, "registry",
                                ctx.keys.Tenants(), ctx.keys.DeadLetters()),
          [this](const events::v1::Event& event) { return Handle(event); }) {}

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

}  // namespace brobygger::catalogue
