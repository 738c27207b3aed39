// Follows the registry's event streams of every municipality matching
// serves, into the registry projection (and so the candidate index), and
// acts on what changed: a volunteer who left ends their matches, a
// newcomer who withdrew consent has their requests cancelled, an erased
// newcomer's requests and matches are deleted.
#ifndef BROBYGGER_SERVICES_MATCHING_REGISTRY_FOLLOWER_H_
#define BROBYGGER_SERVICES_MATCHING_REGISTRY_FOLLOWER_H_

#include <mutex>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/events/tenant_follower.h"
#include "services/matching/match_lifecycle.h"
#include "services/matching/matching_context.h"
#include "services/matching/registry_projection.h"
#include "services/matching/registry_snapshot.h"

namespace brobygger::matching {

using FollowerOptions = events::FollowerSettings;

class RegistryFollower {
 public:
  // `snapshots` (may be null) lists the registry's actors for a
  // municipality matching has never heard of (registry_snapshot.h).
  RegistryFollower(MatchingContext& ctx, RegistryProjection& projection,
                   MatchLifecycle& lifecycle, const FollowerOptions& options,
                   ActorSource* snapshots = nullptr);

  // Makes sure the municipality's registry stream is followed; the first
  // time any replica serves it, the projection starts from the registry's
  // current actors (if a snapshot source is configured).
  absl::Status Follow(absl::string_view municipality);

  // Applies one event and its consequences (exposed for tests).
  absl::Status Handle(const events::v1::Event& event);

  void Start() { follower_.Start(); }
  void Stop() { follower_.Stop(); }

 private:
  // Lists the registry's volunteers and newcomers into the projection.
  absl::Status Snapshot(absl::string_view municipality);

  RegistryProjection& projection_;
  MatchLifecycle& lifecycle_;
  ActorSource* snapshots_;
  std::mutex snapshot_mutex_;
  std::set<std::string> checked_;  // municipalities with a projection
  events::TenantFollower follower_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_REGISTRY_FOLLOWER_H_
