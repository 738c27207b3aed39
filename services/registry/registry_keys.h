// The registry's Redis keys beyond the documents themselves (which
// DocumentStore names): indexes, claims, grants and the audit log. All
// carry the municipality as hash tag (see common/redis/keys.h).
#ifndef BROBYGGER_SERVICES_REGISTRY_REGISTRY_KEYS_H_
#define BROBYGGER_SERVICES_REGISTRY_REGISTRY_KEYS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/redis/keys.h"
#include "common/store/collection_keys.h"

namespace brobygger::registry {

inline constexpr char kServiceName[] = "registry";

// Collections of DocumentStore.
inline constexpr char kMunicipalityCollection[] = "municipality";
inline constexpr char kMunicipalityDocumentId[] = "self";
inline constexpr char kActorCollection[] = "actor";
inline constexpr char kContactPointCollection[] = "contactpoint";
inline constexpr char kForumCollection[] = "forum";

class RegistryKeys : public store::CollectionKeys {
 public:
  RegistryKeys() : CollectionKeys(kServiceName) {}

  // Hash of duplicate-detection claims: "<kind>|<name>|<area>" -> actor id.
  std::string ActorDuplicateClaims(absl::string_view m) const {
    return keys_.Key(m, {"actor", "dupes"});
  }
  // Sorted set of the documents of `collection` that reference actor
  // `actor_id` (as parent, caseworker, member or contact). An actor is not
  // deleted while referenced, so no reference dangles.
  std::string ActorReferences(absl::string_view m, absl::string_view actor_id,
                              absl::string_view collection) const {
    return keys_.Key(m, {"actor", "refs", actor_id, collection});
  }
  // Set of volunteer actor names allowed the redacted view of a newcomer
  // (maintained from matching's events).
  std::string NewcomerGrants(absl::string_view m,
                             absl::string_view newcomer_id) const {
    return keys_.Key(m, {"actor", "grants", newcomer_id});
  }
  // Hash of the matches behind a newcomer's grants: match id -> the
  // volunteer while the match grants the view, "-" once it ended (so an
  // end applied before its accept is not undone by the late accept).
  std::string NewcomerGrantMatches(absl::string_view m,
                                   absl::string_view newcomer_id) const {
    return keys_.Key(m, {"actor", "grantmatches", newcomer_id});
  }
  // Dead letters of the follower of matching's events.
  std::string DeadLetters() const { return keys_.GlobalKey({"deadletter"}); }
  // List of the stream ids of the events about a newcomer, which carry
  // personal data; erasure deletes them from the stream.
  std::string NewcomerEventTrail(absl::string_view m,
                                 absl::string_view newcomer_id) const {
    return keys_.Key(m, {"actor", "trail", newcomer_id});
  }
  // Stream of reads of newcomers' personal data.
  std::string AuditLog(absl::string_view m) const {
    return keys_.Key(m, {"audit"});
  }
  // Set of all municipality ids (the only cross-tenant key).
  std::string MunicipalityIds() const {
    return keys_.GlobalKey({"municipalities"});
  }
};

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_REGISTRY_KEYS_H_
