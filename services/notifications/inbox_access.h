// Whose inbox (and preferences) a caller may read and change:
// - caseworkers and coordinators: every inbox of their municipality (they
//   see newcomers in full anyway, and help people with their messages);
// - a volunteer: their own (the token's subject is their actor name);
// - an ngo_app: its organisation's and its members' (actors whose parent
//   is the organisation), since the app shows them to its users;
// - operators: none.
// A read by anyone but the inbox's owner is written to the audit log:
// messages may carry a newcomer's redacted view.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_ACCESS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "services/notifications/registry_projection.h"

namespace brobygger::notifications {

// OK, or PERMISSION_DENIED (also for an inbox whose actor the projection
// does not know, to a caller who could only read known ones), or NOT_FOUND
// for staff asking for an actor the registry never announced.
absl::Status CheckInboxAccess(const auth::Principal& principal,
                              RegistryProjection& projection,
                              absl::string_view municipality,
                              absl::string_view inbox);

// Logs an audit line when `principal` is not the inbox's owner.
void AuditInboxRead(const auth::Principal& principal,
                    absl::string_view municipality, absl::string_view inbox,
                    absl::string_view method);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_ACCESS_H_
