// Subscriptions: who wants to hear about what (subscription.proto).
//
// Rules, beyond the field checks of subscription_rules.h:
// - Target: exactly one of `subscriber` (an actor of this municipality)
//   and `webhook` (an endpoint of this municipality); neither changes
//   after creation.
// - Who: see subscription_access.h. A caller who may not manage the
//   target gets PERMISSION_DENIED (reason NOT_YOURS), checked before the
//   target is looked up, so nobody learns about actors they could not
//   subscribe.
// - TOPIC_NEWCOMER_PLACED announces newcomers (redacted) to local welcome
//   contacts: only caseworkers and coordinators may create a subscription
//   with it or add it to one (PERMISSION_DENIED, reason NEWCOMER_TOPIC);
//   anyone who manages the subscription may remove it or change its other
//   fields. A webhook never gets it (INVALID_ARGUMENT on the topic):
//   newcomers' data does not leave for external systems.
// - The subscriber must be an actor the registry projection knows
//   (NOT_FOUND naming the actor otherwise: the registry does not have it,
//   or created it moments ago and notifications has not learnt it yet;
//   retry then) and not a newcomer (INVALID_ARGUMENT on
//   `subscription.subscriber`: newcomers are told through their
//   caseworker, not by subscription). A webhook endpoint must exist
//   (NOT_FOUND naming it).
// - At most kMaxSubscriptionsPerSubscriber subscriptions per actor and per
//   endpoint (FAILED_PRECONDITION, type SUBSCRIPTION_LIMIT).
// - Every change bumps NotificationsKeys::SubscriptionsVersion in the same
//   atomic step as the document, its indexes (all, by subscriber, by
//   webhook) and its event (SubscriptionCreated / Updated / Deleted).
// - Creates are idempotent by request id; etags guard updates and
//   deletes (ABORTED on a mismatch); without an etag a write that lost a
//   race is redone on the new version.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTIONS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/subscription.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/registry_projection.h"
#include "services/notifications/subscription_rules.h"
#include "services/notifications/subscription_store.h"

namespace brobygger::notifications {

struct SubscriptionPage {
  std::vector<v1::Subscription> subscriptions;
  std::string next_page_token;
};

class Subscriptions {
 public:
  Subscriptions(NotificationsContext& ctx, RegistryProjection& projection)
      : ctx_(ctx), projection_(projection), store_(ctx) {}

  // `municipality` is the parent's id ("aalborg"). A retry with the same
  // `request_id` returns the first result.
  absl::StatusOr<v1::Subscription> Create(const auth::Principal& principal,
                                          absl::string_view municipality,
                                          v1::Subscription subscription,
                                          absl::string_view request_id);
  absl::StatusOr<v1::Subscription> Get(const auth::Principal& principal,
                                       absl::string_view name);
  // Oldest first. Filter fields (AIP-160 conjunction of `=`): subscriber
  // (actor name), webhook (endpoint name), topic (e.g. ACTIVITIES or
  // TOPIC_ACTIVITIES). Volunteers and ngo_apps see only the subscriptions
  // they may manage.
  absl::StatusOr<SubscriptionPage> List(const auth::Principal& principal,
                                        absl::string_view municipality,
                                        int32_t page_size,
                                        absl::string_view page_token,
                                        absl::string_view filter);
  // Mask paths: topics, areas, categories, forums, or "*" for all four.
  absl::StatusOr<v1::Subscription> Update(
      const auth::Principal& principal, const v1::Subscription& patch,
      const google::protobuf::FieldMask& mask);
  absl::Status Delete(const auth::Principal& principal, absl::string_view name,
                      absl::string_view etag);

 private:
  // Checks the target's existence and kind (see above).
  absl::Status CheckTarget(absl::string_view municipality,
                           const v1::Subscription& subscription);
  absl::StatusOr<v1::Subscription> Replay(const auth::Principal& principal,
                                          absl::string_view municipality,
                                          const std::string& id);

  NotificationsContext& ctx_;
  RegistryProjection& projection_;
  SubscriptionStore store_;
};

// The subscription with its etag set from the stored version.
v1::Subscription WithEtag(const StoredSubscription& stored);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTIONS_H_
