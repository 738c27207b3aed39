// What every notification domain class works with: the document store, the
// Redis pool, the keys, and how events name their cause.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATIONS_CONTEXT_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATIONS_CONTEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "common/redis/redis_pool.h"
#include "common/store/document_store.h"
#include "services/notifications/notifications_keys.h"

namespace brobygger::notifications {

struct NotificationsContext {
  redis::RedisPool& pool;
  store::DocumentStore& store;
  NotificationsKeys keys;
  events::StreamRetention retention;
};

inline events::EventContext EventContextFor(const auth::Principal& principal,
                                            absl::string_view request_id = "") {
  return events::EventContext{kServiceName, principal.subject,
                              std::string(request_id)};
}

// For changes the service makes on its own (routing, scheduled sendings).
inline events::EventContext SystemEventContext() {
  return events::EventContext{kServiceName, "system", ""};
}

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATIONS_CONTEXT_H_
