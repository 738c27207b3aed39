// The coordination report of a municipality, from its activities (the
// search index) and the newcomers' needs per area (the registry
// projection), analysed by coordination_analysis.h.
#ifndef BROBYGGER_SERVICES_CATALOGUE_COORDINATION_REPORTS_H_
#define BROBYGGER_SERVICES_CATALOGUE_COORDINATION_REPORTS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/report.pb.h"
#include "common/auth/principal.h"
#include "services/catalogue/registry_projection.h"
#include "services/catalogue/search_index.h"

namespace brobygger::catalogue {

// Which category meets a need tag newcomers have in the registry (tags
// are free text; these are the ones caseworkers use).
const std::map<std::string, std::string>& NeedCategories();

class CoordinationReports {
 public:
  CoordinationReports(SearchIndex& index, RegistryProjection& projection)
      : index_(index), projection_(projection) {}

  // Default window: the next 90 days; default stale_after: 180 days.
  absl::StatusOr<v1::CoordinationReport> Build(
      const auth::Principal& principal, absl::string_view municipality,
      std::optional<absl::Time> window_start,
      std::optional<absl::Time> window_end,
      std::optional<absl::Duration> stale_after);

 private:
  SearchIndex& index_;
  RegistryProjection& projection_;
};

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_COORDINATION_REPORTS_H_
