// Ranked, explained suggestions of volunteers for a request: every
// candidate of the municipality is filtered by the hard constraints and
// room, scored with the municipality's weights for the kind, and the best
// are explained criterion by criterion.
#ifndef BROBYGGER_SERVICES_MATCHING_SUGGESTIONS_H_
#define BROBYGGER_SERVICES_MATCHING_SUGGESTIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/matching/v1/matching_service.pb.h"
#include "common/auth/principal.h"
#include "services/matching/candidate.h"
#include "services/matching/candidate_index.h"
#include "services/matching/match_store.h"
#include "services/matching/matching_settings.h"
#include "services/matching/registry_projection.h"
#include "services/matching/volunteer_requests.h"

namespace brobygger::matching {

inline constexpr int kDefaultTopK = 10;
inline constexpr int kMaxTopK = 100;

struct Ranking {
  std::vector<v1::Suggestion> suggestions;  // best first
  int eligible = 0;
};

class Suggestions {
 public:
  Suggestions(CandidateIndex& index, RegistryProjection& projection,
              MatchingSettingsStore& settings, VolunteerRequests& requests,
              MatchStore& store)
      : index_(index),
        projection_(projection),
        settings_(settings),
        requests_(requests),
        store_(store) {}

  // The SuggestMatches call: staff of the request's municipality.
  absl::StatusOr<v1::SuggestMatchesResponse> Suggest(
      const auth::Principal& principal, absl::string_view request_name,
      int32_t top_k);

  // The best `top_k` eligible volunteers for `request` (skipping the
  // volunteers who passed on it), best first, ties by volunteer name.
  absl::StatusOr<Ranking> Rank(absl::string_view municipality,
                               const v1::VolunteerRequest& request,
                               const Seeker& seeker,
                               const v1::CriterionWeights& weights, int top_k);

  // The seeker and weights of a request whose newcomer still consents.
  struct Prepared {
    Seeker seeker;
    v1::CriterionWeights weights;
    absl::Duration proposal_timeout;
  };
  absl::StatusOr<Prepared> Prepare(absl::string_view municipality,
                                   const v1::VolunteerRequest& request);

 private:
  CandidateIndex& index_;
  RegistryProjection& projection_;
  MatchingSettingsStore& settings_;
  VolunteerRequests& requests_;
  MatchStore& store_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_SUGGESTIONS_H_
