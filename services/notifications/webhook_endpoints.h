// Webhook endpoints: the external systems events are POSTed to
// (webhook.proto).
//
// Rules:
// - Who: staff manage every endpoint of their municipality, an ngo_app
//   only those its organisation owns; volunteers and operators none
//   (PERMISSION_DENIED).
// - owner: an actor of this municipality that is an organisation (not a
//   volunteer, newcomer or municipal employee: INVALID_ARGUMENT), known to
//   the registry projection (NOT_FOUND otherwise); immutable. At most
//   kMaxWebhooksPerOwner endpoints per owner (FAILED_PRECONDITION).
// - display_name: required, at most 200 characters; url: see
//   webhook_url.h.
// - The signing secret (32 random bytes, base64url without padding) is
//   made by Create and RotateSecret and returned by them only. It is kept
//   apart from the document (NotificationsKeys::WebhookSecret, written in
//   the same atomic step) and is never in a stored document, an event, a
//   Get, a List, an Update or a replayed Create (a retry with the same
//   request id returns the endpoint without it: rotate the secret if the
//   first answer was lost).
// - Delete also deletes the endpoint's subscriptions (each with its
//   SubscriptionDeleted event), its secret and its circuit state, all in
//   one atomic step.
// - circuit_state, circuit_retry_time, last_error and last_success_time
//   are what the delivery worker keeps in NotificationsKeys::WebhookCircuit
//   (webhook_circuits.h); an endpoint never delivered to reads as CLOSED.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_ENDPOINTS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_ENDPOINTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/webhook.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/registry_projection.h"
#include "services/notifications/subscription_store.h"
#include "services/notifications/webhook_circuits.h"

namespace brobygger::notifications {

inline constexpr int kMaxWebhooksPerOwner = 20;
inline constexpr int kMaxWebhookDisplayName = 200;

struct WebhookPage {
  std::vector<v1::WebhookEndpoint> webhook_endpoints;
  std::string next_page_token;
};

class WebhookEndpoints {
 public:
  WebhookEndpoints(NotificationsContext& ctx, RegistryProjection& projection)
      : ctx_(ctx), projection_(projection), store_(ctx), circuits_(ctx) {}

  // Returns the endpoint with its new secret (the only time it is shown).
  absl::StatusOr<v1::WebhookEndpoint> Create(const auth::Principal& principal,
                                             absl::string_view municipality,
                                             v1::WebhookEndpoint endpoint,
                                             absl::string_view request_id);
  absl::StatusOr<v1::WebhookEndpoint> Get(const auth::Principal& principal,
                                          absl::string_view name);
  // Oldest first; an ngo_app sees its organisation's endpoints only.
  absl::StatusOr<WebhookPage> List(const auth::Principal& principal,
                                   absl::string_view municipality,
                                   int32_t page_size,
                                   absl::string_view page_token);
  // Mask paths: display_name, url, paused, or "*" for all three.
  absl::StatusOr<v1::WebhookEndpoint> Update(
      const auth::Principal& principal, const v1::WebhookEndpoint& patch,
      const google::protobuf::FieldMask& mask);
  absl::Status Delete(const auth::Principal& principal, absl::string_view name,
                      absl::string_view etag);
  // A new secret, returned once; the old one stops at once. Publishes
  // WebhookEndpointUpdated (without the secret).
  absl::StatusOr<v1::WebhookEndpoint> RotateSecret(
      const auth::Principal& principal, absl::string_view name);

  // For the delivery worker: the endpoint's current signing secret;
  // NOT_FOUND when the endpoint is gone.
  absl::StatusOr<std::string> SecretOf(absl::string_view municipality,
                                       absl::string_view webhook_id);
  // For the delivery worker: the stored endpoint (url, paused) without
  // output-only fields; NOT_FOUND when it is gone. No permission check:
  // the worker acts for the endpoint's owner.
  absl::StatusOr<v1::WebhookEndpoint> ForDelivery(
      absl::string_view municipality, absl::string_view webhook_id);

 private:
  // Loads an endpoint the principal may manage (PERMISSION_DENIED
  // otherwise).
  absl::StatusOr<StoredWebhook> LoadManaged(const auth::Principal& principal,
                                            absl::string_view municipality,
                                            absl::string_view id);
  absl::Status CheckOwner(absl::string_view municipality,
                          absl::string_view owner);
  // The endpoint as clients see it: etag and circuit state set, no secret.
  absl::StatusOr<v1::WebhookEndpoint> Present(absl::string_view municipality,
                                              const StoredWebhook& stored);

  NotificationsContext& ctx_;
  RegistryProjection& projection_;
  SubscriptionStore store_;
  WebhookCircuits circuits_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_ENDPOINTS_H_
