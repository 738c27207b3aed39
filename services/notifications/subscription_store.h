// Subscriptions and webhook endpoints in Redis, with what must change with
// them in the same atomic step (one CheckedBatch): their indexes, the
// per-subscriber limit, the subscriptions version the router's cache
// watches, an endpoint's signing secret (kept apart from its document, so
// that reading or listing endpoints can never return it), the
// idempotency key of a create, and the event.
//
// The store knows which keys a change touches; who may make it and what
// it may say are Subscriptions' and WebhookEndpoints' rules.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_STORE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/notifications/v1/subscription.pb.h"
#include "brobygger/notifications/v1/webhook.pb.h"
#include "common/store/checked_batch.h"
#include "common/store/resource_io.h"
#include "services/notifications/notifications_context.h"

namespace brobygger::notifications {

using StoredSubscription = store::Versioned<v1::Subscription>;
using StoredWebhook = store::Versioned<v1::WebhookEndpoint>;

// One atomic change of subscriptions and webhook endpoints. Build it, Run
// it, and on a refusal ask which check failed; any other refusal is a
// concurrent change: reload and redo.
class SubscriptionWrite {
 public:
  SubscriptionWrite(NotificationsContext& ctx, std::string municipality);

  // A new subscription; refused (LimitReached) when its subscriber (or
  // webhook endpoint) already has `limit` subscriptions, and (TargetGone)
  // when its webhook endpoint no longer exists.
  void CreateSubscription(const std::string& id,
                          const v1::Subscription& subscription, int limit);
  // The subscription that was `before` (at its version) becomes `after`
  // (same target).
  void UpdateSubscription(const std::string& id,
                          const StoredSubscription& before,
                          const v1::Subscription& after);
  void DeleteSubscription(const std::string& id,
                          const StoredSubscription& before);

  // A new endpoint with its signing secret; refused (LimitReached) when
  // its owner already has `limit` endpoints.
  void CreateWebhook(const std::string& id, const v1::WebhookEndpoint& endpoint,
                     const std::string& secret, int limit);
  // `secret`: a new signing secret, or empty to keep the current one.
  void UpdateWebhook(const std::string& id, const StoredWebhook& before,
                     const v1::WebhookEndpoint& after,
                     const std::string& secret = "");
  // Deletes the endpoint, its secret, its circuit state and its
  // subscriptions, which must be exactly `subscriptions` (each at its
  // version): refused (WebhookChanged when the endpoint itself changed)
  // when one was added, changed or removed meanwhile.
  void DeleteWebhook(const std::string& id, const StoredWebhook& before,
                     const std::vector<StoredSubscription>& subscriptions);

  void Publish(const events::v1::Event& event);
  // Idempotency: refused (Replayed, with the stored id as the refusal's
  // `current`) when the key was used; otherwise records `value` under it.
  void Idempotent(const std::string& key, const std::string& value,
                  absl::Duration ttl = absl::Hours(24));

  // Also bumps the subscriptions version when a subscription changed.
  absl::StatusOr<store::BatchOutcome> Run();

  bool LimitReached(const store::BatchOutcome& outcome) const;
  bool TargetGone(const store::BatchOutcome& outcome) const;
  bool Replayed(const store::BatchOutcome& outcome) const;
  bool WebhookChanged(const store::BatchOutcome& outcome) const;

 private:
  std::string SubscriptionKey(const std::string& id) const;
  std::string WebhookKey(const std::string& id) const;
  void IndexSubscription(const std::string& id,
                         const v1::Subscription& subscription, bool add);
  static bool Refused(const store::BatchOutcome& outcome, int check);

  NotificationsContext& ctx_;
  std::string m_;
  store::CheckedBatch batch_;
  bool subscriptions_changed_ = false;
  int limit_check_ = -1;
  int target_check_ = -1;
  int replay_check_ = -1;
  int webhook_check_ = -1;
};

class SubscriptionStore {
 public:
  explicit SubscriptionStore(NotificationsContext& ctx) : ctx_(ctx) {}

  absl::StatusOr<std::string> NextSubscriptionId(
      absl::string_view municipality);
  absl::StatusOr<std::string> NextWebhookId(absl::string_view municipality);

  // NOT_FOUND naming the resource when missing.
  absl::StatusOr<StoredSubscription> LoadSubscription(
      absl::string_view municipality, absl::string_view id);
  absl::StatusOr<StoredWebhook> LoadWebhook(absl::string_view municipality,
                                            absl::string_view id);
  // The ones that exist, in the order given (one round trip).
  absl::StatusOr<std::vector<StoredSubscription>> LoadSubscriptions(
      absl::string_view municipality, const std::vector<std::string>& ids);

  // Every id in an index, oldest first. Only for indexes kept small by a
  // limit (a subscriber's subscriptions, an owner's endpoints).
  absl::StatusOr<std::vector<std::string>> IdsIn(const std::string& index);
  // The ids of the owner's endpoints (at most kMaxWebhooksPerOwner).
  absl::StatusOr<std::vector<std::string>> WebhookIdsOfOwner(
      absl::string_view municipality, absl::string_view owner_id);
  // The ids of the endpoint's subscriptions.
  absl::StatusOr<std::vector<std::string>> SubscriptionIdsOfWebhook(
      absl::string_view municipality, absl::string_view webhook_id);
  // The id recorded for an idempotency key.
  absl::StatusOr<std::optional<std::string>> Replayed(const std::string& key);

  // The endpoint's signing secret; NOT_FOUND when it has none (deleted).
  absl::StatusOr<std::string> Secret(absl::string_view municipality,
                                     absl::string_view webhook_id);

  SubscriptionWrite Write(absl::string_view municipality) {
    return SubscriptionWrite(ctx_, std::string(municipality));
  }

 private:
  NotificationsContext& ctx_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_STORE_H_
