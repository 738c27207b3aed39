#include "services/matching/method_policies.h"

namespace brobygger::matching {

std::vector<auth::MethodPolicy> MatchingMethodPolicies() {
  using auth::Role;
  // Operators run the platform; matching decisions and newcomers' data are
  // not theirs.
  const std::vector<Role> staff = {Role::kCaseworker, Role::kCoordinator};
  const std::vector<Role> parties = {Role::kCaseworker, Role::kCoordinator,
                                     Role::kNgoApp, Role::kVolunteer};
  const std::vector<Role> answerers = {Role::kNgoApp, Role::kVolunteer};
  return {
      {"CreateVolunteerRequest", staff},
      {"GetVolunteerRequest", staff},
      {"ListVolunteerRequests", staff},
      {"UpdateVolunteerRequest", staff},
      {"CancelVolunteerRequest", staff},
      {"SuggestMatches", staff},
      {"AssignMatches", staff},
      {"ProposeMatch", staff},
      {"GetMatch", parties},
      {"ListMatches", parties},
      {"AcceptMatch", answerers},
      {"DeclineMatch", answerers},
      {"ActivateMatch", staff},
      {"EndMatch", parties},
      {"GetMatchingSettings", staff},
      {"UpdateMatchingSettings", {Role::kCoordinator}},
      {"GetVolunteerRecord", parties},
      {"ExportVolunteerCertificate", parties},
      {"SuggestActivities", parties},
  };
}

}  // namespace brobygger::matching
