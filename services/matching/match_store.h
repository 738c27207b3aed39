// Requests and matches in Redis, and the bookkeeping that must change with
// them in the same atomic step: the volunteer's load (checked against
// their capacity), the proposal deadlines, the claim of one open request
// per newcomer and kind, the volunteer's service periods, the indexes, the
// candidate-change stream and the event.
//
// The store knows which keys a change touches; the rules (which state may
// follow which, what event it publishes) are MatchLifecycle's.
#ifndef BROBYGGER_SERVICES_MATCHING_MATCH_STORE_H_
#define BROBYGGER_SERVICES_MATCHING_MATCH_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/matching/v1/match.pb.h"
#include "brobygger/matching/v1/volunteer_request.pb.h"
#include "common/store/checked_batch.h"
#include "common/store/resource_io.h"
#include "services/matching/matching_context.h"

namespace brobygger::matching {

using StoredRequest = store::Versioned<v1::VolunteerRequest>;
using StoredMatch = store::Versioned<v1::Match>;

// Whether a match holds one of the volunteer's slots.
bool IsLiveMatch(v1::Match::State state);

// One atomic change of requests and matches. Build it, Run it, and on a
// refusal ask which check failed.
class MatchWrite {
 public:
  MatchWrite(MatchingContext& ctx, std::string municipality);

  // A new request; refused (ClaimRefused) when the newcomer has another
  // open request of the kind.
  void CreateRequest(const std::string& id,
                     const v1::VolunteerRequest& request);
  // A request that was `before` (at its version) becomes `after`; leaving
  // the open states gives up the claim.
  void UpdateRequest(const std::string& id, const StoredRequest& before,
                     const v1::VolunteerRequest& after);
  void DeleteRequest(const std::string& id, const StoredRequest& before);

  // A new proposed match; refused (CapacityRefused) when the volunteer
  // already has `capacity` live matches, or (VolunteerGone) when the
  // volunteer left the registry.
  void CreateMatch(const std::string& id, const v1::Match& match, int capacity);
  // A match that was `before` becomes `after`: the load, deadline and
  // service period follow the state change.
  void UpdateMatch(const std::string& id, const StoredMatch& before,
                   const v1::Match& after);
  void DeleteMatch(const std::string& id, const StoredMatch& before);

  // Publishes an event about the newcomer `newcomer` (actor name); it is
  // recorded on the newcomer's event trail.
  void Publish(const events::v1::Event& event, absl::string_view newcomer);
  // Deletes every event on the newcomer's trail from the stream (erasure).
  void EraseNewcomerEvents(absl::string_view newcomer_id);
  // Idempotency: refused (Replayed) when the key was used; otherwise
  // records `value` under it for `ttl`.
  void Idempotent(const std::string& key, const std::string& value,
                  absl::Duration ttl = absl::Hours(24));

  absl::StatusOr<store::BatchOutcome> Run();

  bool CapacityRefused(const store::BatchOutcome& outcome) const;
  bool ClaimRefused(const store::BatchOutcome& outcome) const;
  bool Replayed(const store::BatchOutcome& outcome) const;
  bool VolunteerGone(const store::BatchOutcome& outcome) const;
  // Any other refusal is a concurrent change of a document: reload, redo.

 private:
  std::string RequestKey(const std::string& id) const;
  std::string MatchKey(const std::string& id) const;
  void IndexMatch(const std::string& id, const v1::Match& match, bool add);
  void PutPeriod(const std::string& id, const v1::Match& match);

  MatchingContext& ctx_;
  std::string m_;
  store::CheckedBatch batch_;
  int capacity_check_ = -1;
  int claim_check_ = -1;
  int replay_check_ = -1;
  int volunteer_check_ = -1;
};

class MatchStore {
 public:
  explicit MatchStore(MatchingContext& ctx) : ctx_(ctx) {}

  absl::StatusOr<std::string> NextRequestId(absl::string_view municipality);
  absl::StatusOr<std::string> NextMatchId(absl::string_view municipality);

  // NOT_FOUND naming the resource when missing.
  absl::StatusOr<StoredRequest> LoadRequest(absl::string_view municipality,
                                            absl::string_view id);
  absl::StatusOr<StoredMatch> LoadMatch(absl::string_view municipality,
                                        absl::string_view id);
  // The ids in an index (see MatchingKeys::Index), oldest first.
  absl::StatusOr<std::vector<std::string>> IdsIn(const std::string& index);
  absl::StatusOr<std::vector<StoredMatch>> LoadMatches(
      absl::string_view municipality, const std::vector<std::string>& ids);
  absl::StatusOr<std::vector<StoredRequest>> LoadRequests(
      absl::string_view municipality, const std::vector<std::string>& ids);
  // The id recorded for an idempotency key.
  absl::StatusOr<std::optional<std::string>> Replayed(const std::string& key);
  // Proposed matches whose deadline is at or before `now`, up to `limit`.
  absl::StatusOr<std::vector<std::string>> DueProposals(
      absl::string_view municipality, absl::Time now, int limit);
  // The volunteer's service periods (serialized ServicePeriod by match id).
  absl::StatusOr<std::vector<std::string>> ServicePeriods(
      absl::string_view municipality, absl::string_view volunteer_id);

  MatchWrite Write(absl::string_view municipality) {
    return MatchWrite(ctx_, std::string(municipality));
  }

 private:
  MatchingContext& ctx_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCH_STORE_H_
