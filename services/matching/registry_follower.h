// Follows the registry's event streams of every municipality matching
// serves, into the registry projection (and so the candidate index), and
// acts on what changed: a volunteer who left ends their matches, a
// newcomer who withdrew consent has their requests cancelled, an erased
// newcomer's requests and matches are deleted.
#ifndef BROBYGGER_SERVICES_MATCHING_REGISTRY_FOLLOWER_H_
#define BROBYGGER_SERVICES_MATCHING_REGISTRY_FOLLOWER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/events/tenant_follower.h"
#include "services/matching/match_lifecycle.h"
#include "services/matching/matching_context.h"
#include "services/matching/registry_projection.h"

namespace brobygger::matching {

using FollowerOptions = events::FollowerSettings;

class RegistryFollower {
 public:
  RegistryFollower(MatchingContext& ctx, RegistryProjection& projection,
                   MatchLifecycle& lifecycle, const FollowerOptions& options);

  // Makes sure the municipality's registry stream is followed.
  absl::Status Follow(absl::string_view municipality) {
    return follower_.Follow(municipality);
  }

  // Applies one event and its consequences (exposed for tests).
  absl::Status Handle(const events::v1::Event& event);

  void Start() { follower_.Start(); }
  void Stop() { follower_.Stop(); }

 private:
  RegistryProjection& projection_;
  MatchLifecycle& lifecycle_;
  events::TenantFollower follower_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_REGISTRY_FOLLOWER_H_
