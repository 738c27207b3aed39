// What every matching domain class works with: the document store, the
// Redis pool, the keys, and how events name their cause.
#ifndef BROBYGGER_SERVICES_MATCHING_MATCHING_CONTEXT_H_
#define BROBYGGER_SERVICES_MATCHING_MATCHING_CONTEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "common/redis/redis_pool.h"
#include "common/store/document_store.h"
#include "services/matching/matching_keys.h"

namespace brobygger::matching {

struct MatchingContext {
  redis::RedisPool& pool;
  store::DocumentStore& store;
  MatchingKeys keys;
  events::StreamRetention retention;
};

inline events::EventContext EventContextFor(const auth::Principal& principal,
                                            absl::string_view request_id = "") {
  return events::EventContext{kServiceName, principal.subject,
                              std::string(request_id)};
}

// For changes matching makes on its own (following the registry, expiring
// proposals).
inline events::EventContext SystemEventContext() {
  return events::EventContext{kServiceName, "system", ""};
}

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCHING_CONTEXT_H_
