// Who may see and act on requests and matches (architecture: roles).
//
// - caseworkers and coordinators: every request and match of their
//   municipality;
// - an ngo_app: the matches of its own organisation's volunteers (the
//   volunteer's parent actor, recorded on the match as `organisation`);
// - a volunteer: their own matches (`volunteer` == the token's subject).
#ifndef BROBYGGER_SERVICES_MATCHING_MATCH_ACCESS_H_
#define BROBYGGER_SERVICES_MATCHING_MATCH_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "brobygger/matching/v1/match.pb.h"
#include "common/auth/principal.h"

namespace brobygger::matching {

bool IsStaff(const auth::Principal& principal);

// PERMISSION_DENIED unless the principal acts in the municipality as
// caseworker or coordinator.
absl::Status RequireStaff(const auth::Principal& principal,
                          absl::string_view municipality);

// Whether the principal may read the match.
bool MaySee(const auth::Principal& principal, const v1::Match& match);

// Whether the principal answers for the match's volunteer (the volunteer
// or their organisation's app).
bool AnswersFor(const auth::Principal& principal, const v1::Match& match);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCH_ACCESS_H_
