// Who may call each RPC of brobygger.notifications.v1.NotificationService.
// The domain narrows further (own inbox, own organisation, municipality,
// newcomers the caller may see).
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_METHOD_POLICIES_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_METHOD_POLICIES_H_

#include <vector>

#include "common/auth/authorizer.h"

namespace brobygger::notifications {

std::vector<auth::MethodPolicy> NotificationsMethodPolicies();

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_METHOD_POLICIES_H_
