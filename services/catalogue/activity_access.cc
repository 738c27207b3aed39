#include "services/catalogue/activity_access.h"

#include <algorithm>

#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/catalogue/activity_rules.h"

namespace brobygger::catalogue {

bool IsOwnOrganisation(const auth::Principal& principal,
                       const v1::Activity& activity) {
  if (principal.organisation.empty()) return false;
  return principal.organisation == activity.organiser() ||
         std::find(activity.co_organisers().begin(),
                   activity.co_organisers().end(),
                   principal.organisation) != activity.co_organisers().end();
}

bool MayRead(const auth::Principal& principal, const v1::Activity& activity) {
  if (activity.state() != v1::ACTIVITY_STATE_DRAFT) return true;
  switch (principal.role) {
    case auth::Role::kCoordinator:
    case auth::Role::kCaseworker:
      return true;
    case auth::Role::kNgoApp:
      return IsOwnOrganisation(principal, activity);
    default:
      return false;
  }
}

absl::Status RequireEditor(const auth::Principal& principal,
                           const v1::Activity& activity) {
  const bool municipal = activity.kind() == v1::ACTIVITY_KIND_MUNICIPAL_TASK;
  switch (principal.role) {
    case auth::Role::kCoordinator:
      return absl::OkStatus();
    case auth::Role::kCaseworker:
      if (municipal) return absl::OkStatus();
      break;
    case auth::Role::kNgoApp:
      if (!municipal && IsOwnOrganisation(principal, activity)) {
        return absl::OkStatus();
      }
      break;
    default:
      break;
  }
  return PermissionDeniedError(
      "ACTIVITY_EDITOR",
      municipal ? "municipal tasks are edited by the municipality's "
                  "caseworkers and coordinators"
                : "a civil offer is edited by its own organisation (an "
                  "ngo_app token whose org is the organiser or a "
                  "co-organiser) or by a coordinator");
}

absl::Status RequireCreator(const auth::Principal& principal,
                            const v1::Activity& activity) {
  RETURN_IF_ERROR(RequireEditor(principal, activity));
  if (principal.role == auth::Role::kNgoApp &&
      principal.organisation != activity.organiser()) {
    return PermissionDeniedError(
        "ACTIVITY_EDITOR",
        "an organisation creates activities as their organiser; the "
        "organiser adds co-organisers");
  }
  return absl::OkStatus();
}

}  // namespace brobygger::catalogue
