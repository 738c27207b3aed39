// The notification service's domain assembled: one object per concern,
// wired to the same Redis pool and document store, plus the background
// work (following the other services' streams, delivering webhooks and
// e-mails, sending digests and scheduled broadcasts, feeding watched
// inboxes).
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATIONS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATIONS_H_

#include <array>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/events/tenant_follower.h"
#include "common/redis/redis_pool.h"
#include "common/store/document_store.h"
#include "services/notifications/broadcast_scheduler.h"
#include "services/notifications/broadcasts.h"
#include "services/notifications/concern_person_notifier.h"
#include "services/notifications/concerns.h"
#include "services/notifications/dead_letters.h"
#include "services/notifications/delivery_worker.h"
#include "services/notifications/digest_queue.h"
#include "services/notifications/digest_sender.h"
#include "services/notifications/erasure.h"
#include "services/notifications/inbox_person_notifier.h"
#include "services/notifications/inbox_store.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/outbound_queue.h"
#include "services/notifications/preferences_store.h"
#include "services/notifications/registry_projection.h"
#include "services/notifications/router.h"
#include "services/notifications/subscription_cache.h"
#include "services/notifications/subscriptions.h"
#include "services/notifications/watch_hub.h"
#include "services/notifications/webhook_endpoints.h"

namespace brobygger::notifications {

struct NotificationsOptions {
  events::StreamRetention retention;
  events::FollowerSettings follower;
  DeliveryWorkerOptions delivery;
  DigestSenderOptions digests;
  BroadcastSchedulerOptions broadcasts;
  WatchHubOptions watch;
};

class Notifications {
 public:
  // The services whose event streams are followed, this one's own
  // included (concern notices, broadcasts for webhooks).
  static constexpr std::array<const char*, 4> kSources = {
      "registry", "catalogue", "matching", kServiceName};

  Notifications(redis::RedisPool& pool, NotificationsOptions options);

  // Makes sure every source's stream of the municipality is followed.
  absl::Status Follow(absl::string_view municipality);

  // Starts and stops the background work.
  void Start();
  void Stop();

  NotificationsContext& context() { return ctx_; }
  RegistryProjection& projection() { return projection_; }
  InboxStore& inbox() { return inbox_; }
  WatchHub& watch_hub() { return watch_hub_; }
  PreferencesStore& preferences() { return preferences_; }
  OutboundQueue& outbound() { return outbound_; }
  PersonNotifier& people() { return people_; }
  Concerns& concerns() { return concerns_; }
  Subscriptions& subscriptions() { return subscriptions_; }
  WebhookEndpoints& webhooks() { return webhooks_; }
  Broadcasts& broadcasts() { return broadcasts_; }
  BroadcastScheduler& broadcast_scheduler() { return broadcast_scheduler_; }
  DeadLetters& dead_letters() { return dead_letters_; }
  Router& router() { return router_; }
  DeliveryWorker& delivery_worker() { return delivery_worker_; }
  DigestSender& digest_sender() { return digest_sender_; }

 private:
  absl::Status SendEmail(absl::string_view municipality,
                         absl::string_view actor_id,
                         const OutgoingEmail& email);

  store::DocumentStore store_;
  NotificationsContext ctx_;
  RegistryProjection projection_;
  InboxStore inbox_;
  WatchHub watch_hub_;
  PreferencesStore preferences_;
  DigestQueue digests_;
  OutboundQueue outbound_;
  InboxPersonNotifier people_;
  ConcernPersonNotifier concern_notifier_;
  Concerns concerns_;
  Subscriptions subscriptions_;
  SubscriptionCache subscription_cache_;
  WebhookEndpoints webhooks_;
  Broadcasts broadcasts_;
  BroadcastScheduler broadcast_scheduler_;
  DeadLetters dead_letters_;
  Erasure erasure_;
  Router router_;
  DeliveryWorker delivery_worker_;
  DigestSender digest_sender_;
  std::vector<std::unique_ptr<events::TenantFollower>> followers_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATIONS_H_
