// Follows matching's event streams of every municipality, into the
// newcomer grants: the volunteer of an accepted match sees the redacted
// view of the newcomer until the match ends (architecture: the registry
// learns which volunteer may see which newcomer from match events).
#ifndef BROBYGGER_SERVICES_REGISTRY_MATCHING_FOLLOWER_H_
#define BROBYGGER_SERVICES_REGISTRY_MATCHING_FOLLOWER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "common/events/tenant_follower.h"
#include "common/redis/redis_pool.h"
#include "services/registry/newcomer_grants.h"

namespace brobygger::registry {

using MatchingFollowerOptions = events::FollowerSettings;

class MatchingFollower {
 public:
  MatchingFollower(redis::RedisPool& pool, NewcomerGrants& grants,
                   const MatchingFollowerOptions& options);

  // Applies one matching event (others are ignored; exposed for tests).
  absl::Status Handle(const events::v1::Event& event);

  void Start() { follower_.Start(); }
  void Stop() { follower_.Stop(); }

 private:
  NewcomerGrants& grants_;
  events::TenantFollower follower_;
};

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_MATCHING_FOLLOWER_H_
