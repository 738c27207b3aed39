// The notification service's delivery pipeline assembled in this process,
// as tests/notifications/pipeline_test.cc assembles it: the registry
// projection, subscriptions and their cache, the inbox, preferences and
// digests, concerns and erasure, the router and broadcasts, all on the
// benchmark's redis-server. E-mail and webhook deliveries go to counters
// instead of the outbound queue: nobody in the benchmark chose e-mail and
// no webhook is subscribed, so they stay at zero (printed as a check).
#ifndef BROBYGGER_BENCH_NOTIFICATIONS_BENCH_PIPELINE_H_
#define BROBYGGER_BENCH_NOTIFICATIONS_BENCH_PIPELINE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/events/tenant_follower.h"
#include "common/redis/redis_pool.h"
#include "common/store/document_store.h"
#include "services/notifications/broadcasts.h"
#include "services/notifications/concern_person_notifier.h"
#include "services/notifications/concerns.h"
#include "services/notifications/dead_letters.h"
#include "services/notifications/digest_queue.h"
#include "services/notifications/erasure.h"
#include "services/notifications/inbox_person_notifier.h"
#include "services/notifications/inbox_store.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/preferences_store.h"
#include "services/notifications/registry_projection.h"
#include "services/notifications/router.h"
#include "services/notifications/subscription_cache.h"
#include "services/notifications/subscriptions.h"

namespace brobygger::bench {

class InProcessNotifications {
 public:
  explicit InProcessNotifications(redis::RedisPool& pool);
  InProcessNotifications(const InProcessNotifications&) = delete;
  InProcessNotifications& operator=(const InProcessNotifications&) = delete;

  notifications::NotificationsContext& context() { return ctx_; }
  notifications::RegistryProjection& projection() { return projection_; }
  notifications::Subscriptions& subscriptions() { return subscriptions_; }
  notifications::InboxStore& inbox() { return inbox_; }
  notifications::Router& router() { return router_; }
  notifications::Broadcasts& broadcasts() { return broadcasts_; }

  // E-mails and webhook deliveries the pipeline handed out.
  int64_t emails() const { return emails_.load(); }
  int64_t webhook_deliveries() const { return webhooks_.load(); }

  // A follower of `source_service`'s streams for the municipalities in
  // `tenants_key` (the service's own consumer group "notifications"), as
  // one replica of the service runs it, calling `handler`.
  std::unique_ptr<events::TenantFollower> Follower(
      const std::string& source_service, const std::string& tenants_key,
      const std::string& consumer, absl::Duration block,
      events::TenantFollower::Handler handler);

 private:
  redis::RedisPool& pool_;
  store::DocumentStore documents_;
  notifications::NotificationsContext ctx_;
  notifications::RegistryProjection projection_;
  notifications::InboxStore inbox_;
  notifications::PreferencesStore preferences_;
  notifications::DigestQueue digests_;
  std::atomic<int64_t> emails_{0};
  std::atomic<int64_t> webhooks_{0};
  notifications::InboxPersonNotifier people_;
  notifications::ConcernPersonNotifier concern_notifier_;
  notifications::Concerns concerns_;
  notifications::Subscriptions subscriptions_;
  notifications::SubscriptionCache cache_;
  notifications::DeadLetters dead_letters_;
  notifications::Erasure erasure_;
  notifications::Router router_;
  notifications::Broadcasts broadcasts_;
};

// A coordinator of `municipality`, who may subscribe people to every topic
// (TOPIC_NEWCOMER_PLACED included) and create broadcasts.
auth::Principal Coordinator(const std::string& municipality);

// Redis keys of the benchmark itself (tenants sets of its followers),
// apart from the service's.
std::string BenchKey(const std::string& name);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_NOTIFICATIONS_BENCH_PIPELINE_H_
