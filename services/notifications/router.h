// The heart of the delivery pipeline: one event of another service (or of
// this one) in; the projection kept current; erasures carried out; the
// event classified, its subscribers found, and the messages handed to
// people's inboxes and channels and to webhooks.
//
// Delivery is at least once (the event consumer acknowledges an event
// after Handle succeeded and redelivers it otherwise) and every step is
// idempotent by the event's id: a redelivered event finds its inbox
// entries, e-mails and webhook deliveries already made and makes none
// twice. A failed step fails Handle, so the event is retried and, after
// repeated failures, dead-lettered.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_ROUTER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_ROUTER_H_

#include <functional>

#include "absl/status/status.h"
#include "brobygger/events/v1/event.pb.h"
#include "services/notifications/concern_notifier.h"
#include "services/notifications/concerns.h"
#include "services/notifications/erasure.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/person_notifier.h"
#include "services/notifications/registry_projection.h"
#include "services/notifications/subscription_cache.h"

namespace brobygger::notifications {

class Router {
 public:
  // Queues one webhook delivery of an event (the outbound queue's
  // EnqueueWebhook).
  using WebhookSender = std::function<absl::Status(
      absl::string_view municipality, absl::string_view webhook_id,
      const events::v1::Event& event, absl::string_view about_newcomer)>;

  Router(NotificationsContext& ctx, RegistryProjection& projection,
         SubscriptionCache& subscriptions, PersonNotifier& people,
         WebhookSender webhooks, Concerns& concerns,
         ConcernNotifier& concern_notifier, Erasure& erasure)
      : ctx_(ctx),
        projection_(projection),
        subscriptions_(subscriptions),
        people_(people),
        webhooks_(std::move(webhooks)),
        concerns_(concerns),
        concern_notifier_(concern_notifier),
        erasure_(erasure) {}

  absl::Status Handle(const events::v1::Event& event);

 private:
  NotificationsContext& ctx_;
  RegistryProjection& projection_;
  SubscriptionCache& subscriptions_;
  PersonNotifier& people_;
  WebhookSender webhooks_;
  Concerns& concerns_;
  ConcernNotifier& concern_notifier_;
  Erasure& erasure_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_ROUTER_H_
