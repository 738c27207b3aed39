// What every registry domain class works with: the document store, the
// Redis pool, the keys, and how events name their cause.
#ifndef BROBYGGER_SERVICES_REGISTRY_REGISTRY_CONTEXT_H_
#define BROBYGGER_SERVICES_REGISTRY_REGISTRY_CONTEXT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "common/redis/redis_pool.h"
#include "common/store/document_store.h"
#include "common/store/resource_io.h"
#include "services/registry/registry_keys.h"

namespace brobygger::registry {

struct RegistryContext {
  redis::RedisPool& pool;
  store::DocumentStore& store;
  RegistryKeys keys;
};

inline events::EventContext EventContextFor(const auth::Principal& principal,
                                            absl::string_view request_id = "") {
  return events::EventContext{kServiceName, principal.subject,
                              std::string(request_id)};
}

using store::IdScore;
using store::StoreOutcomeToStatus;

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_REGISTRY_CONTEXT_H_
