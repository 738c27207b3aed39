// A volunteer's periods of service (from their matches that became
// active) and the proof of volunteer work for a CV produced from them
// (the reception corps of Kolding gives its volunteers one).
//
// Periods name no newcomer once the newcomer was erased, and the record
// never looks matches up, so a volunteer's record outlives the people they
// helped and the certificate cannot reveal who they were.
//
// Who may read a record: the municipality's staff, the volunteer, and the
// app of the organisation the volunteer belongs to.
#ifndef BROBYGGER_SERVICES_MATCHING_VOLUNTEER_RECORDS_H_
#define BROBYGGER_SERVICES_MATCHING_VOLUNTEER_RECORDS_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/matching/v1/volunteer_record.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "common/auth/principal.h"
#include "services/matching/match_store.h"
#include "services/matching/matching_context.h"
#include "services/matching/matching_names.h"
#include "services/matching/registry_projection.h"

namespace brobygger::matching {

inline constexpr char kVolunteerRecordType[] =
    "brobygger.matching.v1.VolunteerRecord";
inline constexpr int kMaxIssuerLength = 200;

class VolunteerRecords {
 public:
  VolunteerRecords(MatchingContext& ctx, MatchStore& store,
                   RegistryProjection& projection)
      : ctx_(ctx), store_(store), projection_(projection) {}

  // `name`: "municipalities/{m}/volunteerRecords/{actor id}". An open
  // period counts its days up to `now` (the Danish date). A volunteer
  // without periods has an empty record; an id matching has never heard
  // of is NOT_FOUND.
  absl::StatusOr<v1::VolunteerRecord> Get(const auth::Principal& principal,
                                          absl::string_view name,
                                          absl::Time now = absl::Now());

  // `format`: "" or "text/plain", or "text/html". `issuer`: who signs it,
  // at most 200 characters on one line; empty for the municipality.
  // FAILED_PRECONDITION (NO_SERVICE) while the volunteer has no period.
  absl::StatusOr<v1::VolunteerCertificate> ExportCertificate(
      const auth::Principal& principal, absl::string_view name,
      absl::string_view format, absl::string_view issuer,
      absl::Time now = absl::Now());

 private:
  absl::StatusOr<v1::VolunteerRecord> Load(const auth::Principal& principal,
                                           const ParsedName& parsed,
                                           absl::Time now);
  // PERMISSION_DENIED unless the principal may read the volunteer's record.
  static absl::Status CheckAccess(
      const auth::Principal& principal, const ParsedName& parsed,
      const std::optional<registry::v1::Actor>& volunteer);

  MatchingContext& ctx_;
  MatchStore& store_;
  RegistryProjection& projection_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_VOLUNTEER_RECORDS_H_
