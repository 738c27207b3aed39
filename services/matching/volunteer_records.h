// A volunteer's periods of service (from their matches that became
// active) and the proof of volunteer work produced from them. Periods
// name no newcomer once the newcomer was erased, so a volunteer's record
// outlives the people they helped.
#ifndef BROBYGGER_SERVICES_MATCHING_VOLUNTEER_RECORDS_H_
#define BROBYGGER_SERVICES_MATCHING_VOLUNTEER_RECORDS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/matching/v1/volunteer_record.pb.h"
#include "common/auth/principal.h"
#include "services/matching/match_store.h"
#include "services/matching/matching_context.h"
#include "services/matching/registry_projection.h"

namespace brobygger::matching {

inline constexpr int kMaxIssuerLength = 200;

class VolunteerRecords {
 public:
  VolunteerRecords(MatchingContext& ctx, MatchStore& store,
                   RegistryProjection& projection)
      : ctx_(ctx), store_(store), projection_(projection) {}

  // Staff of the municipality, the volunteer, or their organisation's app.
  absl::StatusOr<v1::VolunteerRecord> Get(const auth::Principal& principal,
                                          absl::string_view name,
                                          absl::Time now = absl::Now());
  // `format`: "" or "text/plain", or "text/html". FAILED_PRECONDITION
  // when the volunteer has no period of service yet.
  absl::StatusOr<v1::VolunteerCertificate> ExportCertificate(
      const auth::Principal& principal, absl::string_view name,
      absl::string_view format, absl::string_view issuer,
      absl::Time now = absl::Now());

 private:
  MatchingContext& ctx_;
  MatchStore& store_;
  RegistryProjection& projection_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_VOLUNTEER_RECORDS_H_
