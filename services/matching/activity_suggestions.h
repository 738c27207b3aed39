// Activities for a newcomer: the catalogue's published activities that fit
// the newcomer's town, languages, needs, interests and children, ranked,
// each with its reasons in words.
//
// Points (RankActivities):
//   in one of the newcomer's towns                          3
//   held in a language the newcomer speaks (not Danish)     2
//   a Danish language café for a newcomer learning Danish   2
//   its category meets a need ("homework" -> homework help) 2 per need
//   its category fits an interest ("football" -> sport)     1 per interest
//   for children of an age the newcomer's children have     2
//   for families, and the newcomer has children             1
//   next occurrence within two weeks                        0.5
// Activities that earn nothing, are paused or have no coming occurrence
// are left out. Ties: sooner next occurrence, then activity name.
#ifndef BROBYGGER_SERVICES_MATCHING_ACTIVITY_SUGGESTIONS_H_
#define BROBYGGER_SERVICES_MATCHING_ACTIVITY_SUGGESTIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
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

// The ranking alone (no I/O), best first.
std::vector<v1::ActivitySuggestion> RankActivities(
    const registry::v1::Actor& newcomer,
    const std::vector<catalogue::v1::SearchResult>& results, absl::Time now);

class ActivitySuggestions {
 public:
  ActivitySuggestions(MatchingContext& ctx, MatchStore& store,
                      RegistryProjection& projection, ActivitySource& source)
      : ctx_(ctx), store_(store), projection_(projection), source_(source) {}

  // Staff, or the volunteer (or their organisation's app) of an accepted
  // or active match with the newcomer. `authorization` is forwarded to the
  // catalogue.
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
