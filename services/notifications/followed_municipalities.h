// The municipalities the service follows, as the background workers that
// go through every municipality (webhook and e-mail delivery, digests,
// scheduled broadcasts) read them.
//
// The set is written by the stream followers (events::TenantFollower::
// Follow adds with SADD when a municipality is followed from the start or
// on the first call about it), so it is a Redis set: reading it as a sorted
// set fails with WRONGTYPE and would leave every municipality without
// deliveries, digests and broadcasts.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_FOLLOWED_MUNICIPALITIES_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_FOLLOWED_MUNICIPALITIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/notifications/notifications_context.h"

namespace brobygger::notifications {

// The followed municipality ids, sorted (so every worker visits them in
// the same order). UNAVAILABLE when Redis does not answer or answers with
// an error.
absl::StatusOr<std::vector<std::string>> FollowedMunicipalities(
    NotificationsContext& ctx);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_FOLLOWED_MUNICIPALITIES_H_
