// Who may come near concerns (architecture: roles). Concerns describe a
// newcomer, so only those who may see the newcomer raise, join and read
// them: the municipality's caseworkers and coordinators, and the
// volunteers matching lets see the newcomer (checked against the
// projection by Concerns). An ngo_app is a system, not a person who saw
// something, and operators see no newcomer details: both are refused.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_ACCESS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace brobygger::notifications {

// Caseworkers and coordinators: every concern of their municipality.
bool IsConcernStaff(const auth::Principal& principal);

// PERMISSION_DENIED for operators and ngo_apps, and for a principal who
// may not act in the municipality.
absl::Status RequireConcernCaller(const auth::Principal& principal,
                                  absl::string_view municipality);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_ACCESS_H_
