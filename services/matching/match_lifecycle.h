// The life of a match, and of its request with it:
//
//   request OPEN --propose--> PROPOSED --accept--> MATCHED ... COMPLETED
//   match        PROPOSED --accept--> ACCEPTED --activate--> ACTIVE --end-->
//   ENDED
//                PROPOSED --decline/expire--> DECLINED/EXPIRED
//
// A decline or an expired proposal puts the request back to OPEN, records
// the volunteer as passed (never proposed for it again) and proposes the
// next best volunteer at once. Every change is one atomic write of the
// match, its request, the volunteer's load (never above capacity, even
// when two coordinators propose at the same moment) and the event.
#ifndef BROBYGGER_SERVICES_MATCHING_MATCH_LIFECYCLE_H_
#define BROBYGGER_SERVICES_MATCHING_MATCH_LIFECYCLE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/matching/v1/match.pb.h"
#include "brobygger/matching/v1/volunteer_request.pb.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "services/matching/candidate_index.h"
#include "services/matching/match_store.h"
#include "services/matching/matching_settings.h"
#include "services/matching/suggestions.h"
#include "services/matching/volunteer_requests.h"

namespace brobygger::matching {

inline constexpr int kMaxReasonLength = 2000;

class MatchLifecycle {
 public:
  MatchLifecycle(MatchingContext& ctx, MatchStore& store, CandidateIndex& index,
                 Suggestions& suggestions, MatchingSettingsStore& settings)
      : ctx_(ctx),
        store_(store),
        index_(index),
        suggestions_(suggestions),
        settings_(settings) {}

  // Proposes `volunteer` (or, when empty, the best suggestion) for an OPEN
  // request. FAILED_PRECONDITION when the volunteer is full, fails a hard
  // constraint, passed on the request, or nobody is eligible.
  absl::StatusOr<v1::Match> Propose(const auth::Principal& principal,
                                    absl::string_view request_name,
                                    absl::string_view volunteer,
                                    absl::string_view request_id);
  absl::StatusOr<v1::Match> Accept(const auth::Principal& principal,
                                   absl::string_view name,
                                   absl::string_view etag);
  absl::StatusOr<v1::Match> Decline(const auth::Principal& principal,
                                    absl::string_view name,
                                    absl::string_view reason,
                                    absl::string_view etag);
  absl::StatusOr<v1::Match> Activate(const auth::Principal& principal,
                                     absl::string_view name,
                                     absl::string_view etag);
  absl::StatusOr<v1::Match> End(const auth::Principal& principal,
                                absl::string_view name,
                                v1::Match::EndReason reason,
                                absl::string_view note, absl::string_view etag);
  absl::StatusOr<v1::VolunteerRequest> CancelRequest(
      const auth::Principal& principal, absl::string_view name,
      absl::string_view reason, absl::string_view etag);

  // Proposes the best eligible volunteer for an OPEN request on matching's
  // own account (after a decline or an expiry). nullopt when nobody is
  // eligible: the request stays OPEN for the coordinators.
  absl::StatusOr<std::optional<v1::Match>> ProposeBest(
      absl::string_view municipality, absl::string_view request_id);
  // Proposes one given candidate with the given explanation (the batch
  // assignment's choice). FAILED_PRECONDITION as for Propose.
  absl::StatusOr<v1::Match> ProposeSuggestion(const events::EventContext& cause,
                                              absl::string_view municipality,
                                              absl::string_view request_id,
                                              const v1::Suggestion& suggestion);

  // Expires the proposals whose deadline passed by `now` (and proposes the
  // next volunteers). Returns how many expired.
  absl::StatusOr<int> ExpireDue(absl::string_view municipality, absl::Time now);

  // Reactions to the registry.
  // The volunteer left: their live matches end, their requests reopen.
  absl::Status VolunteerRemoved(absl::string_view municipality,
                                absl::string_view volunteer_id);
  // The newcomer withdrew consent: their open requests are cancelled and
  // live matches end.
  absl::Status ConsentWithdrawn(absl::string_view municipality,
                                absl::string_view newcomer_id);
  // The newcomer was erased: their requests and matches are deleted (live
  // matches publish MatchEnded first, so grants are taken back).
  absl::Status NewcomerErased(absl::string_view municipality,
                              absl::string_view newcomer_id);

 private:
  // What a transition turns a match and its request into.
  struct Change {
    v1::Match match;
    std::optional<v1::VolunteerRequest> request;  // unchanged when empty
  };
  using Decide = absl::FunctionRef<absl::StatusOr<Change>(
      const StoredMatch&, const StoredRequest&)>;

  // Loads the match and its request, asks `decide`, writes the result
  // with its event(s); redone on a concurrent change unless `etag` was
  // given.
  absl::StatusOr<StoredMatch> Transit(const events::EventContext& cause,
                                      absl::string_view municipality,
                                      absl::string_view match_id,
                                      absl::string_view etag, Decide decide);
  // Writes a new proposal; the request must still be at `request`'s
  // version.
  struct ProposalOutcome {
    std::optional<v1::Match> match;
    bool full = false;      // the volunteer had no room left
    bool conflict = false;  // the request changed meanwhile
    bool gone = false;      // the volunteer left the registry
  };
  absl::StatusOr<ProposalOutcome> WriteProposal(
      const events::EventContext& cause, absl::string_view municipality,
      const StoredRequest& request, const v1::Suggestion& suggestion,
      int capacity, absl::Duration timeout, const std::string& idempotency_key);
  // Ends the match with `reason` on matching's own account; the request
  // becomes `request_state`.
  absl::Status EndForRegistry(absl::string_view municipality,
                              const std::string& match_id,
                              v1::Match::EndReason reason,
                              v1::VolunteerRequest::State request_state);
  // Ends every live match whose `field` ("volunteer" or "newcomer") is
  // `actor_id`; returns the ids of all its matches.
  absl::StatusOr<std::vector<std::string>> EndLiveMatches(
      absl::string_view municipality, absl::string_view field,
      absl::string_view actor_id, v1::Match::EndReason reason,
      v1::VolunteerRequest::State request_state);
  // Writes the cancellation of a request without a live match; false when
  // the request changed since `before` was read.
  absl::StatusOr<bool> WriteCancellation(const events::EventContext& cause,
                                         absl::string_view municipality,
                                         const StoredRequest& before,
                                         const v1::VolunteerRequest& cancelled);
  // Proposes the next volunteer after a decline or expiry; failures are
  // logged (the request stays OPEN).
  void ProposeNext(absl::string_view municipality,
                   absl::string_view request_id);

  MatchingContext& ctx_;
  MatchStore& store_;
  CandidateIndex& index_;
  Suggestions& suggestions_;
  MatchingSettingsStore& settings_;
};

// The match with its etag set from the stored version.
v1::Match WithEtag(const StoredMatch& stored);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCH_LIFECYCLE_H_
