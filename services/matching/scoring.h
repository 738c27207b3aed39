// Which volunteers may be suggested for a request, and how well each fits.
//
// Eligible (hard constraints and room): the volunteer has a free slot
// (load < capacity); has the requested gender, if any; speaks the
// requested language at least conversationally (or as mother tongue), if
// any; is active in the requested area, if any; and, when the newcomer's
// languages are recorded, shares at least one of them (a volunteer who
// shares no language cannot talk to the newcomer). Languages compare by
// their primary subtag ("ar-SY" is Arabic), areas ignoring case and
// accents, tags ignoring case.
//
// Score: the sum over criteria of fit (0-1) times the municipality's
// weight for the kind of match (default_weights.h); criteria of weight 0
// are not computed. Fits:
// - language: the best shared language. The newcomer's mother tongue
//   spoken fluently, natively or as mother tongue by the volunteer 1.0,
//   conversationally 0.8; another shared language spoken fluently 0.6,
//   conversationally 0.4; basic on either side 0.2; none 0.
// - area: the volunteer is active in the requested area or in one of the
//   newcomer's towns 1.0; lists no areas (the whole municipality) 0.5;
//   elsewhere 0.
// - availability: minutes of weekly overlap with the newcomer's windows
//   over the smaller of their weekly minutes and 3 hours; a newcomer
//   without windows: the volunteer's weekly minutes over 3 hours; a
//   volunteer without windows 0.3 (unknown). Capped at 1.
// - competences: the share of the stated needs the volunteer's
//   competences cover; no needs 0.
// - interests: shared interests over the smaller of the newcomer's count
//   and 3, capped at 1.
// - family_fit: the share of the newcomer's children with a child in the
//   volunteer's household within 3 years of age; no children 0.
// - load: 1 - load / capacity.
// - former_refugee: 1 when the volunteer came as a refugee.
#ifndef BROBYGGER_SERVICES_MATCHING_SCORING_H_
#define BROBYGGER_SERVICES_MATCHING_SCORING_H_

#include "brobygger/matching/v1/settings.pb.h"
#include "brobygger/matching/v1/suggestion.pb.h"
#include "services/matching/candidate.h"

namespace brobygger::matching {

bool Eligible(const Seeker& seeker, const Candidate& candidate);

// The total score (the hot path: no strings, no allocation). Equals
// Explain(...).score() exactly.
double Score(const Seeker& seeker, const Candidate& candidate,
             const v1::CriterionWeights& weights);

// The score with one entry per criterion of weight above 0, each with its
// fit, weight, points and an explanation a coordinator can read, naming
// the concrete language and level, town, needs and interests ("speaks
// Tigrinya, the newcomer's mother tongue, conversationally", "active in
// Vamdrup, where the newcomer lives", "covers 2 of 3 needs: bank, doctor",
// "1 of 2 matches in use", "came to Denmark as a refugee").
v1::Suggestion Explain(const Seeker& seeker, const Candidate& candidate,
                       const v1::CriterionWeights& weights);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_SCORING_H_
