#include "services/notifications/concern_access.h"

#include "common/auth/authorizer.h"
#include "common/status/errors.h"

namespace brobygger::notifications {

bool IsConcernStaff(const auth::Principal& principal) {
  return principal.role == auth::Role::kCaseworker ||
         principal.role == auth::Role::kCoordinator;
}

absl::Status RequireConcernCaller(const auth::Principal& principal,
                                  absl::string_view municipality) {
  switch (principal.role) {
    case auth::Role::kOperator:
      return PermissionDeniedError(
          "ROLE",
          "concerns describe newcomers, and operators see no newcomer "
          "details; ask the municipality's caseworkers");
    case auth::Role::kNgoApp:
      return PermissionDeniedError(
          "ROLE",
          "concerns are raised and read by the people who may see the "
          "newcomer (staff and matched volunteers), not by an organisation's "
          "system; the volunteer raises it with their own token");
    case auth::Role::kCaseworker:
    case auth::Role::kCoordinator:
    case auth::Role::kVolunteer:
      break;
  }
  return auth::RequireMunicipality(principal, municipality);
}

}  // namespace brobygger::notifications
