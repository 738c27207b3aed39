// Exchange of the catalogue with other directories as Open Referral HSDS
// 3.0 JSON (hsds.h converts; this maps organisations to the registry's
// actors and writes through Activities, so imports obey every rule a
// create or update does).
#ifndef BROBYGGER_SERVICES_CATALOGUE_HSDS_EXCHANGE_H_
#define BROBYGGER_SERVICES_CATALOGUE_HSDS_EXCHANGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/catalogue/v1/catalogue_service.pb.h"
#include "common/auth/principal.h"
#include "services/catalogue/activities.h"
#include "services/catalogue/registry_projection.h"
#include "services/catalogue/search_index.h"

namespace brobygger::catalogue {

class HsdsExchange {
 public:
  HsdsExchange(Activities& activities, SearchIndex& index,
               RegistryProjection& projection)
      : activities_(activities), index_(index), projection_(projection) {}

  // The published and paused activities.
  absl::StatusOr<v1::HsdsDocument> Export(const auth::Principal& principal,
                                          absl::string_view municipality);

  // All or nothing as far as validation goes: every service is checked
  // (organisation known to the registry, activity rules) before the first
  // write. Writes are idempotent per service (keyed by its HSDS id), so
  // re-running an import that was interrupted completes it.
  absl::StatusOr<v1::ImportHsdsResponse> Import(
      const auth::Principal& principal, absl::string_view municipality,
      absl::string_view json, bool validate_only, bool publish);

 private:
  Activities& activities_;
  SearchIndex& index_;
  RegistryProjection& projection_;
};

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_HSDS_EXCHANGE_H_
