// Activities for a newcomer: the catalogue's published civil-society
// activities that fit the newcomer's town, languages, needs, interests and
// children, ranked, each with its reasons in words.
//
// Points (RankActivities), each with a reason:
//   in one of the newcomer's towns                               3
//   held in a language the newcomer speaks (other than Danish)   2
//   a language café, for a newcomer not yet fluent in Danish     2
//   its category meets a need ("homework" -> homework help)      2 per need
//   its name or description mentions a need ("cykel" for "bus")  1 per need
//   its category or text fits an interest ("football" -> sport)  1 per interest
//   for children (or young people) of an age the children have  2
//   for families, and the newcomer has children                  1
//   for women (men), and the newcomer is a woman (man)           1
//   next occurrence within two weeks                             0.5
// The need and interest tags are the registry's ("bank", "doctor", "bus",
// "shopping", "homework", "job", "housing", "football", ...); the catalogue
// has no category for every need (nothing for "bus" or "shopping"), so a
// need also counts when the activity's text speaks of it, in English or
// Danish.
//
// Left out: paused activities and municipal tasks (appointments the
// municipality makes, not offers to suggest), activities with no coming
// occurrence, activities only for people the household does not have
// (children of other ages, families without children, the other gender),
// activities held only in languages the newcomer does not speak (Danish
// always counts as spoken: taking part is how it is learnt), and
// activities that earn no point but the soon bonus.
// Ties: sooner next occurrence, then activity name.
#ifndef BROBYGGER_SERVICES_MATCHING_ACTIVITY_SUGGESTIONS_H_
#define BROBYGGER_SERVICES_MATCHING_ACTIVITY_SUGGESTIONS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/catalogue_service.pb.h"
#include "brobygger/matching/v1/matching_service.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "common/auth/principal.h"
#include "services/matching/catalogue_client.h"
#include "services/matching/match_store.h"
#include "services/matching/matching_context.h"
#include "services/matching/registry_projection.h"

namespace brobygger::matching {

inline constexpr int kDefaultActivities = 10;
inline constexpr int kMaxActivities = 50;

// The ranking alone (no I/O), best first. `newcomer` is the projection's
// record; `results` may repeat an activity (it counts once); `now` is when
// "soon" starts.
std::vector<v1::ActivitySuggestion> RankActivities(
    const registry::v1::Actor& newcomer,
    const std::vector<catalogue::v1::SearchResult>& results, absl::Time now);

class ActivitySuggestions {
 public:
  ActivitySuggestions(MatchingContext& ctx, MatchStore& store,
                      RegistryProjection& projection, ActivitySource& source)
      : ctx_(ctx), store_(store), projection_(projection), source_(source) {}

  // For the municipality's staff, or the volunteer (or their
  // organisation's app) of an accepted or active match with the newcomer.
  // `authorization` (the caller's header) is forwarded to the catalogue,
  // whose errors come back with their code (UNAVAILABLE stays UNAVAILABLE).
  absl::StatusOr<v1::SuggestActivitiesResponse> Suggest(
      const auth::Principal& principal, absl::string_view authorization,
      const v1::SuggestActivitiesRequest& request,
      absl::Time now = absl::Now());

 private:
  absl::Status RequireAccess(const auth::Principal& principal,
                             absl::string_view municipality,
                             absl::string_view newcomer_id);

  MatchingContext& ctx_;
  MatchStore& store_;
  RegistryProjection& projection_;
  ActivitySource& source_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_ACTIVITY_SUGGESTIONS_H_
