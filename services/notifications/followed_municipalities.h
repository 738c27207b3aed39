// The municipalities the service follows, for the background workers that
// go through each of them (deliveries, digests, broadcasts).
//
// The set is written by events::TenantFollower::Follow (SADD) on the first
// call about a municipality or from --follow_municipalities, so it is a
// plain Redis set: reading it as a sorted set fails with WRONGTYPE and
// leaves every worker with nothing to do.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_FOLLOWED_MUNICIPALITIES_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_FOLLOWED_MUNICIPALITIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/notifications/notifications_context.h"

namespace brobygger::notifications {

// The followed municipality ids, sorted (so every replica goes through
// them in the same order). UNAVAILABLE when Redis cannot be read.
absl::StatusOr<std::vector<std::string>> FollowedMunicipalities(
    NotificationsContext& ctx);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_FOLLOWED_MUNICIPALITIES_H_
