// The catalogue's Redis keys beyond the documents themselves (which
// DocumentStore names): indexes, claims and the projection of the
// registry. All carry the municipality as hash tag (common/redis/keys.h).
#ifndef BROBYGGER_SERVICES_CATALOGUE_CATALOGUE_KEYS_H_
#define BROBYGGER_SERVICES_CATALOGUE_CATALOGUE_KEYS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/redis/keys.h"
#include "common/store/collection_keys.h"

namespace brobygger::catalogue {

inline constexpr char kServiceName[] = "catalogue";

// Collections of DocumentStore.
inline constexpr char kActivityCollection[] = "activity";
inline constexpr char kCalendarFeedCollection[] = "feed";
inline constexpr char kPersonalPlanCollection[] = "plan";
inline constexpr char kTimelineCollection[] = "timeline";
inline constexpr char kTimelineDocumentId[] = "template";

class CatalogueKeys : public store::CollectionKeys {
 public:
  CatalogueKeys() : CollectionKeys(kServiceName) {}

  // Hash of uniqueness claims: external id -> activity id.
  std::string ExternalIdClaims(absl::string_view m) const {
    return keys_.Key(m, {kActivityCollection, "external"});
  }
  // Hash: feed secret -> feed id, to serve a feed URL in one lookup.
  std::string FeedSecrets(absl::string_view m) const {
    return keys_.Key(m, {kCalendarFeedCollection, "secrets"});
  }
  // Projection of the registry: set of the ids of the actors that may
  // organise activities (each has its own record key).
  std::string Organisers(absl::string_view m) const {
    return keys_.Key(m, {"registry", "organisers"});
  }
  // Projection of the registry: set of newcomer actor ids (each has a
  // record of its areas and need tags only, no identity).
  std::string NewcomerNeeds(absl::string_view m) const {
    return keys_.Key(m, {"registry", "needs"});
  }
  // Projection of the registry: hash with the time of the newest applied
  // registry event ("as_of", Unix ms).
  std::string ProjectionState(absl::string_view m) const {
    return keys_.Key(m, {"registry", "state"});
  }
  // Set of the municipalities the catalogue serves (the only cross-tenant
  // key): the registry streams it follows.
  std::string Tenants() const { return keys_.GlobalKey({"tenants"}); }
  // Dead letters of the registry follower.
  std::string DeadLetters() const { return keys_.GlobalKey({"deadletter"}); }
};

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_CATALOGUE_KEYS_H_
