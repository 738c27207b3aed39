#include "services/matching/match_access.h"

#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace brobygger::matching {

bool IsStaff(const auth::Principal& principal) {
  return principal.role == auth::Role::kCaseworker ||
         principal.role == auth::Role::kCoordinator;
}

absl::Status RequireStaff(const auth::Principal& principal,
                          absl::string_view municipality) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  if (!IsStaff(principal)) {
    return PermissionDeniedError(
        "ROLE",
        "volunteer requests concern newcomers' personal data and are made by "
        "the municipality's caseworkers and coordinators");
  }
  return absl::OkStatus();
}

bool AnswersFor(const auth::Principal& principal, const v1::Match& match) {
  switch (principal.role) {
    case auth::Role::kVolunteer:
      return !principal.subject.empty() &&
             principal.subject == match.volunteer();
    case auth::Role::kNgoApp:
      return !principal.organisation.empty() &&
             principal.organisation == match.organisation();
    default:
      return false;
  }
}

bool MaySee(const auth::Principal& principal, const v1::Match& match) {
  return IsStaff(principal) || AnswersFor(principal, match);
}

}  // namespace brobygger::matching
