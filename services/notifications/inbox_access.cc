#include "services/notifications/inbox_access.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/status/macros.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

absl::Status NotYours(absl::string_view municipality, absl::string_view inbox) {
  return absl::PermissionDeniedError(absl::StrCat(
      "you may not read or change ", InboxName(municipality, inbox),
      ": volunteers have their own inbox, an NGO app its organisation's and "
      "its members'"));
}

}  // namespace

absl::Status CheckInboxAccess(const auth::Principal& principal,
                              RegistryProjection& projection,
                              absl::string_view municipality,
                              absl::string_view inbox) {
  if (principal.role == auth::Role::kOperator) {
    return absl::PermissionDeniedError(
        "operators do not read people's messages");
  }
  if (!principal.MayActIn(municipality)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "your token does not cover municipality \"", municipality, "\""));
  }
  const std::string owner = ActorName(municipality, inbox);
  switch (principal.role) {
    case auth::Role::kCaseworker:
    case auth::Role::kCoordinator: {
      ASSIGN_OR_RETURN(std::optional<registry::v1::Actor> actor,
                       projection.FindActor(municipality, inbox));
      if (!actor.has_value()) {
        return absl::NotFoundError(
            absl::StrCat(owner,
                         " is not known here (yet): inboxes exist for the "
                         "registry's actors"));
      }
      return absl::OkStatus();
    }
    case auth::Role::kVolunteer:
      return principal.subject == owner ? absl::OkStatus()
                                        : NotYours(municipality, inbox);
    case auth::Role::kNgoApp: {
      if (principal.organisation.empty()) return NotYours(municipality, inbox);
      if (principal.organisation == owner) return absl::OkStatus();
      ASSIGN_OR_RETURN(std::optional<registry::v1::Actor> actor,
                       projection.FindActor(municipality, inbox));
      if (actor.has_value() && actor->parent() == principal.organisation) {
        return absl::OkStatus();
      }
      return NotYours(municipality, inbox);
    }
    default:
      return NotYours(municipality, inbox);
  }
}

void AuditInboxRead(const auth::Principal& principal,
                    absl::string_view municipality, absl::string_view inbox,
                    absl::string_view method) {
  const std::string owner = ActorName(municipality, inbox);
  if (principal.subject == owner) return;
  log::Info("personal data read",
            {{"audit", true},
             {"method", method},
             {"subject", principal.subject},
             {"role", auth::RoleName(principal.role)},
             {"resource", InboxName(municipality, inbox)}});
}

}  // namespace brobygger::notifications
