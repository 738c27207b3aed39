// Follows the registry's event streams of every municipality the
// catalogue serves, into the registry projection, and acts on what
// changed: an organiser that left ends its activities, a renamed one is
// renamed in its activities, an erased newcomer's personal plans go.
//
// A consumer group per stream ("catalogue") through events::TenantFollower;
// the streams followed grow as municipalities are first used (Follow),
// recorded in Redis so every replica follows them all.
#ifndef BROBYGGER_SERVICES_CATALOGUE_REGISTRY_FOLLOWER_H_
#define BROBYGGER_SERVICES_CATALOGUE_REGISTRY_FOLLOWER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/events/tenant_follower.h"
#include "services/catalogue/activities.h"
#include "services/catalogue/catalogue_context.h"
#include "services/catalogue/personal_plans.h"
#include "services/catalogue/registry_projection.h"

namespace brobygger::catalogue {

using FollowerOptions = events::FollowerSettings;

class RegistryFollower {
 public:
  RegistryFollower(CatalogueContext& ctx, RegistryProjection& projection,
                   Activities& activities, PersonalPlans& plans,
                   const FollowerOptions& options);

  // Makes sure the municipality's registry stream is followed. Cheap after
  // the first call per municipality.
  absl::Status Follow(absl::string_view municipality) {
    return follower_.Follow(municipality);
  }

  // Applies one event and its consequences (exposed for tests).
  absl::Status Handle(const events::v1::Event& event);

  void Start() { follower_.Start(); }
  void Stop() { follower_.Stop(); }

 private:
  RegistryProjection& projection_;
  Activities& activities_;
  PersonalPlans& plans_;
  events::TenantFollower follower_;
};

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_REGISTRY_FOLLOWER_H_
