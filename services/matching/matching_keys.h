// The matching service's Redis keys beyond the documents themselves (which
// DocumentStore names): indexes, claims, the projection of the registry,
// loads and deadlines. All carry the municipality as hash tag
// (common/redis/keys.h), so one Lua script may touch them together.
#ifndef BROBYGGER_SERVICES_MATCHING_MATCHING_KEYS_H_
#define BROBYGGER_SERVICES_MATCHING_MATCHING_KEYS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/redis/keys.h"
#include "common/store/collection_keys.h"

namespace brobygger::matching {

inline constexpr char kServiceName[] = "matching";

// Collections of DocumentStore.
inline constexpr char kRequestCollection[] = "request";
inline constexpr char kMatchCollection[] = "match";
inline constexpr char kSettingsCollection[] = "settings";
inline constexpr char kSettingsDocumentId[] = "current";

class MatchingKeys : public store::CollectionKeys {
 public:
  MatchingKeys() : CollectionKeys(kServiceName) {}

  // Hash of claims "<newcomer id>/<kind>" -> the one request that is not
  // cancelled or completed.
  std::string OpenRequestClaims(absl::string_view m) const {
    return keys_.Key(m, {kRequestCollection, "open"});
  }
  // Hash: volunteer id -> number of proposed, accepted and active matches.
  std::string Loads(absl::string_view m) const {
    return keys_.Key(m, {"volunteer", "load"});
  }
  // Sorted set of proposed matches by respond deadline (Unix ms).
  std::string ProposalDeadlines(absl::string_view m) const {
    return keys_.Key(m, {kMatchCollection, "deadlines"});
  }
  // Projection of the registry: one record per volunteer / newcomer
  // (the fields matching uses, serialized registry Actor).
  std::string Volunteer(absl::string_view m, absl::string_view id) const {
    return keys_.Key(m, {"registry", "volunteer", id});
  }
  std::string Newcomer(absl::string_view m, absl::string_view id) const {
    return keys_.Key(m, {"registry", "newcomer", id});
  }
  // Set of the volunteer ids in the projection.
  std::string Volunteers(absl::string_view m) const {
    return keys_.Key(m, {"registry", "volunteers"});
  }
  // Set of the newcomer ids in the projection.
  std::string Newcomers(absl::string_view m) const {
    return keys_.Key(m, {"registry", "newcomers"});
  }
  // Set of actor ids the registry deleted (ids are never reused): a late
  // redelivered update must not bring them back.
  std::string Tombstones(absl::string_view m) const {
    return keys_.Key(m, {"registry", "deleted"});
  }
  // Hash: "as_of" = time (Unix ms) of the newest registry event applied.
  std::string ProjectionState(absl::string_view m) const {
    return keys_.Key(m, {"registry", "state"});
  }
  // Stream of volunteer ids whose record or load changed, in order: the
  // in-memory candidate indexes of every replica catch up from it.
  std::string CandidateChanges(absl::string_view m) const {
    return keys_.Key(m, {"candidates", "changes"});
  }
  // List per volunteer of their service periods (serialized
  // ServicePeriod), appended when a match becomes active and closed when
  // it ends.
  std::string ServicePeriods(absl::string_view m,
                             absl::string_view volunteer_id) const {
    return keys_.Key(m, {"volunteer", "periods", volunteer_id});
  }
  // List of the stream ids of matching's events about a newcomer; the
  // newcomer's erasure deletes them from the stream.
  std::string NewcomerEventTrail(absl::string_view m,
                                 absl::string_view newcomer_id) const {
    return keys_.Key(m, {"newcomer", "trail", newcomer_id});
  }
  // Set of the municipalities matching serves (the only cross-tenant
  // key): the registry streams it follows.
  std::string Tenants() const { return keys_.GlobalKey({"tenants"}); }
  // Dead letters of the registry follower.
  std::string DeadLetters() const { return keys_.GlobalKey({"deadletter"}); }
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCHING_KEYS_H_
