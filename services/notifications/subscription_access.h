// Who may manage which subscriptions and webhook endpoints of a
// municipality (the service's roles, notification_service.proto):
// - caseworkers and coordinators: all of them;
// - an ngo_app: the subscriptions of its organisation (the token's "org")
//   and of the organisation's members (actors whose parent it is, as the
//   registry projection knows them), and its organisation's webhook
//   endpoints with their subscriptions;
// - a volunteer: their own subscriptions (subscriber = the token's
//   subject), no webhook endpoints;
// - operators: none (they handle dead letters, not people's
//   notifications).
// Nobody manages anything in a municipality their token does not name.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_ACCESS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_ACCESS_H_

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/subscription.pb.h"
#include "common/auth/principal.h"
#include "services/notifications/registry_projection.h"
#include "services/notifications/subscription_store.h"

namespace brobygger::notifications {

bool IsStaff(const auth::Principal& principal);

// PERMISSION_DENIED unless the principal may act in `municipality` and
// its role manages subscriptions (everyone but operators).
absl::Status RequireSubscriptionRole(const auth::Principal& principal,
                                     absl::string_view municipality);
// PERMISSION_DENIED unless the principal may act in `municipality` and
// its role manages webhook endpoints (staff and ngo_apps).
absl::Status RequireWebhookRole(const auth::Principal& principal,
                                absl::string_view municipality);
// Whether the principal may manage the endpoints of `owner` (an actor
// name): staff any, an ngo_app only its own organisation's.
bool MayManageWebhooksOf(const auth::Principal& principal,
                         absl::string_view owner);

// What one principal may manage in one municipality, resolved once per
// call (an ngo_app's members and endpoints are looked up here).
class ManagedScope {
 public:
  static absl::StatusOr<ManagedScope> Of(const auth::Principal& principal,
                                         absl::string_view municipality,
                                         RegistryProjection& projection,
                                         SubscriptionStore& store);

  bool everything() const { return everything_; }
  // Actor names whose subscriptions it may manage (unless everything()).
  const std::set<std::string>& actors() const { return actors_; }
  bool MayManageSubscriber(const std::string& actor_name) const;
  bool MayManageWebhook(const std::string& webhook_name) const;
  bool Covers(const v1::Subscription& subscription) const;

 private:
  bool everything_ = false;
  std::set<std::string> actors_;
  std::set<std::string> webhooks_;
};

// PERMISSION_DENIED saying whose subscriptions the principal manages.
absl::Status NotYoursError(const auth::Principal& principal);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_ACCESS_H_
