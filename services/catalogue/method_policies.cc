#include "services/catalogue/method_policies.h"

namespace brobygger::catalogue {

std::vector<auth::MethodPolicy> CatalogueMethodPolicies() {
  using auth::Role;
  // Operators keep municipalities and keys, not catalogues.
  const std::vector<Role> readers = {Role::kCaseworker, Role::kCoordinator,
                                     Role::kNgoApp, Role::kVolunteer};
  const std::vector<Role> editors = {Role::kCaseworker, Role::kCoordinator,
                                     Role::kNgoApp};
  const std::vector<Role> municipal_staff = {Role::kCaseworker,
                                             Role::kCoordinator};
  return {
      {"CreateActivity", editors},
      {"GetActivity", readers},
      {"ListActivities", readers},
      {"UpdateActivity", editors},
      {"DeleteActivity", editors},
      {"SearchActivities", readers},
      {"ListOccurrences", readers},
      {"CancelOccurrence", editors},
      {"ExportCalendar", readers},
      {"CreateCalendarFeed", editors},
      {"GetCalendarFeed", editors},
      {"ListCalendarFeeds", editors},
      {"DeleteCalendarFeed", editors},
      {"GetCoordinationReport", municipal_staff},
      {"GetTimelineTemplate", readers},
      {"UpdateTimelineTemplate", municipal_staff},
      {"AnalyzeTimelineTemplate", municipal_staff},
      // Personal plans are newcomers' personal data.
      {"CreatePersonalPlan", municipal_staff},
      {"GetPersonalPlan", municipal_staff},
      {"ListPersonalPlans", municipal_staff},
      {"DeletePersonalPlan", municipal_staff},
      {"ExportPersonalPlanCalendar", municipal_staff},
      {"ExportHsds", readers},
      {"ImportHsds", {Role::kCoordinator}},
  };
}

}  // namespace brobygger::catalogue
