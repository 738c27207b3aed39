// The weights of the scoring criteria, per kind of match. Each is 0-100;
// the defaults sum to 100, so a perfect fit scores 100.
//
// Defaults (documented in docs/matching.md):
//   kind                  lang area avail comp inter family load refugee
//   RECEPTION_BUDDY        35   20    5    15    0     0     10    15
//   MENTOR                 25   15   10    25   10     0     15     0
//   NETWORK/FRIENDSHIP     20   20   10     5   15    20     10     0
//   LOCAL_WELCOME_CONTACT  20   45   10     5    5     0     15     0
// Why: the reception corps is about the mother tongue and the former
// refugee's own experience; a mentor about competences; families about
// children and interests; a local welcome contact about living in the
// same small town.
#ifndef BROBYGGER_SERVICES_MATCHING_DEFAULT_WEIGHTS_H_
#define BROBYGGER_SERVICES_MATCHING_DEFAULT_WEIGHTS_H_

#include <string>

#include "brobygger/matching/v1/settings.pb.h"
#include "brobygger/matching/v1/volunteer_request.pb.h"
#include "common/status/errors.h"

namespace brobygger::matching {

inline constexpr double kMaxWeight = 100;

v1::CriterionWeights DefaultWeights(v1::MatchKind kind);

// The municipality's weights for the kind, or the defaults.
v1::CriterionWeights WeightsFor(const v1::MatchingSettings& settings,
                                v1::MatchKind kind);

// Each weight 0-100 and finite, at least one above 0; violations name
// `field`.<criterion>.
void CheckWeights(const v1::CriterionWeights& weights, const std::string& field,
                  FieldViolations* violations);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_DEFAULT_WEIGHTS_H_
