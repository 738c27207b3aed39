// One outbound delivery (a webhook POST or an e-mail) and how it is
// written down: as the Redis hash the outbound queue keeps, as the
// dead-letter entry operators see (dead_letters.h), and as the JSON kept
// in that entry to replay it. Pure: no Redis here.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_RECORD_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_RECORD_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/notifications/smtp_mail.h"

namespace brobygger::notifications {

// An event as large as this is a bug upstream, not something to POST.
inline constexpr size_t kMaxWebhookBodyBytes = 256 * 1024;
// Event ids, dedupe keys and event types.
inline constexpr size_t kMaxDedupeKeyBytes = 200;
inline constexpr size_t kMaxDeliveryResourceBytes = 500;

enum class DeliveryChannel { kWebhook, kEmail };

// "webhook" or "email", as dead letters name the kind.
absl::string_view ChannelName(DeliveryChannel channel);

struct QueuedDelivery {
  std::string id;
  std::string municipality;
  DeliveryChannel channel = DeliveryChannel::kWebhook;
  // The webhook endpoint's id, or the recipient actor's id.
  std::string target;
  std::string event_id;  // for e-mail: the dedupe key
  std::string event_type;
  std::string resource;
  std::string about_newcomer;
  // Webhook: the JSON body.
  std::string body;
  // E-mail: what to send.
  MailMessage email;
  // Attempts so far and when the first was made (none: nullopt).
  int attempts = 0;
  std::optional<absl::Time> first_attempt;
  absl::Time enqueued = absl::InfinitePast();
  std::string last_error;
  // Set by Claim: the claim is exclusive until then.
  absl::Time lease_until = absl::InfinitePast();
};

// What every delivery must satisfy to be queued: valid municipality and
// ids, bounded texts, a body, and for e-mail a message that renders.
// INVALID_ARGUMENT naming the field otherwise.
absl::Status CheckDelivery(const QueuedDelivery& delivery);

// The waiting delivery's hash as HSET arguments (field, value, ...), with
// state "w".
std::vector<std::string> ToHashFields(const QueuedDelivery& delivery);
// From the hash's fields (HGETALL). INVALID_ARGUMENT when they do not
// describe a delivery.
absl::StatusOr<QueuedDelivery> FromHashFields(
    absl::string_view municipality, absl::string_view id,
    const std::vector<std::pair<std::string, std::string>>& fields);

// The dead-letter entry's fields as XADD arguments, in the format
// dead_letters.h reads: kind, m, target (the endpoint's or the actor's
// resource name), event_id, event_type, resource, about, error, attempts
// and delivery (ToReplayJson).
std::vector<std::string> DeadLetterFields(const QueuedDelivery& delivery,
                                          absl::string_view error,
                                          int attempts);

// What a replay needs: what to send, where, and what it is about (no
// attempts or errors), as a JSON object.
std::string ToReplayJson(const QueuedDelivery& delivery);
// INVALID_ARGUMENT when `json` is not such an object or fails
// CheckDelivery.
absl::StatusOr<QueuedDelivery> FromReplayJson(absl::string_view json);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_RECORD_H_
