#include "services/matching/suggestions.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "services/matching/default_weights.h"
#include "services/matching/match_access.h"
#include "services/matching/matching_names.h"
#include "services/matching/request_rules.h"
#include "services/matching/scoring.h"

namespace brobygger::matching {
namespace {

// A scored candidate while ranking; `candidate` points into the index and
// is valid only under its lock (inside CandidateIndex::Read).
struct Scored {
  double score = 0;
  const Candidate* candidate = nullptr;
};

// Better first: higher score, then the smaller volunteer name, so that
// equal scores rank the same way on every replica and every run.
bool Better(const Scored& a, const Scored& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.candidate->name < b.candidate->name;
}

}  // namespace

absl::StatusOr<Suggestions::Prepared> Suggestions::Prepare(
    absl::string_view municipality, const v1::VolunteerRequest& request) {
  ASSIGN_OR_RETURN(
      registry::v1::Actor newcomer,
      requests_.ConsentingNewcomer(municipality, request.newcomer()));
  ASSIGN_OR_RETURN(v1::MatchingSettings settings, settings_.Load(municipality));
  return Prepared{SeekerFor(request, newcomer),
                  WeightsFor(settings, request.kind()),
                  ProposalTimeout(settings)};
}

absl::StatusOr<Ranking> Suggestions::Rank(absl::string_view municipality,
                                          const v1::VolunteerRequest& request,
                                          const Seeker& seeker,
                                          const v1::CriterionWeights& weights,
                                          int top_k) {
  const std::set<std::string> passed(request.passed_volunteers().begin(),
                                     request.passed_volunteers().end());
  Ranking ranking;
  RETURN_IF_ERROR(
      index_.Read(municipality, [&](const std::vector<Candidate>& candidates) {
        // A bounded heap of the best so far, the worst of them at the front.
        std::vector<Scored> best;
        best.reserve(top_k + 1);
        for (const Candidate& candidate : candidates) {
          if (!Eligible(seeker, candidate) || passed.contains(candidate.name)) {
            continue;
          }
          ++ranking.eligible;
          if (top_k <= 0) continue;
          const Scored scored{Score(seeker, candidate, weights), &candidate};
          if (static_cast<int>(best.size()) < top_k) {
            best.push_back(scored);
            std::push_heap(best.begin(), best.end(), Better);
          } else if (Better(scored, best.front())) {
            std::pop_heap(best.begin(), best.end(), Better);
            best.back() = scored;
            std::push_heap(best.begin(), best.end(), Better);
          }
        }
        std::sort_heap(best.begin(), best.end(), Better);
        // Explained only for the few that are returned, while the index's
        // lock still keeps the candidates alive.
        ranking.suggestions.reserve(best.size());
        for (const Scored& scored : best) {
          ranking.suggestions.push_back(
              Explain(seeker, *scored.candidate, weights));
        }
      }));
  return ranking;
}

absl::StatusOr<v1::SuggestMatchesResponse> Suggestions::Suggest(
    const auth::Principal& principal, absl::string_view request_name,
    int32_t top_k) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseVolunteerRequestName(
                                          request_name, "volunteer_request"));
  RETURN_IF_ERROR(RequireStaff(principal, parsed.municipality));
  if (top_k < 0 || top_k > kMaxTopK) {
    return InvalidFieldError(
        "top_k", absl::StrCat("must be between 1 and ", kMaxTopK, " (0 for ",
                              kDefaultTopK, ")"));
  }
  ASSIGN_OR_RETURN(StoredRequest stored,
                   store_.LoadRequest(parsed.municipality, parsed.id));
  if (!IsOpenRequest(stored.resource.state())) {
    return PreconditionError(
        "STATE", request_name,
        "the request was cancelled or completed; suggestions are for open "
        "requests");
  }
  ASSIGN_OR_RETURN(Prepared prepared,
                   Prepare(parsed.municipality, stored.resource));
  ASSIGN_OR_RETURN(Ranking ranking,
                   Rank(parsed.municipality, stored.resource, prepared.seeker,
                        prepared.weights, top_k == 0 ? kDefaultTopK : top_k));
  v1::SuggestMatchesResponse response;
  for (v1::Suggestion& suggestion : ranking.suggestions) {
    *response.add_suggestions() = std::move(suggestion);
  }
  response.set_eligible_count(ranking.eligible);
  ASSIGN_OR_RETURN(std::optional<absl::Time> as_of,
                   projection_.AsOf(parsed.municipality));
  if (as_of.has_value()) {
    *response.mutable_candidates_as_of() = store::ToTimestamp(*as_of);
  }
  return response;
}

}  // namespace brobygger::matching
