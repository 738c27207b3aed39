// One webhook delivery attempt as webhook.proto defines it: the request
// (headers and signature), and what its result means for the delivery and
// for the endpoint's circuit breaker.
//
// How results are judged:
//   2xx                      delivered.
//   410 Gone                 given up: the receiver says this endpoint no
//                            longer takes deliveries, so retrying for a
//                            day would only be noise. (The worker may also
//                            want to pause the endpoint.) It counts as a
//                            success for the circuit: the endpoint answered
//                            deliberately.
//   any other answer         retried: 5xx and 408/429 are transient by
//                            definition, 3xx means the owner must fix the
//                            URL, and other 4xx (401 after a secret
//                            rotation, 404 during a redeploy) are usually
//                            receivers misconfigured for a while; the
//                            24-hour retry window covers the fix and the
//                            dead letter keeps the event if none comes.
//   no answer (timeout,      retried.
//   refused, DNS, TLS)
//   INVALID_ARGUMENT from    given up: the request itself is unusable (a
//   HttpPost                 header with a line break, a URL curl refuses),
//                            so sending it again cannot help. Neutral for the
//                            circuit: the endpoint was never reached.
// Every retried result counts as a failure for the circuit breaker.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_DELIVERY_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_DELIVERY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/notifications/http_post.h"

namespace brobygger::notifications {

inline constexpr absl::string_view kDeliveryHeader = "Brobygger-Delivery";
inline constexpr absl::string_view kEventTypeHeader = "Brobygger-Event-Type";
// The contract's "no answer within 10 s".
inline constexpr absl::Duration kWebhookTimeout = absl::Seconds(10);

// The POST of `json_body` to `url`, signed with `secret` at `now`.
// `delivery_id` is the same on every retry so receivers can drop
// duplicates; the signature is fresh on every attempt (its timestamp is
// what receivers check for replays).
HttpPostRequest BuildWebhookRequest(absl::string_view url,
                                    absl::string_view secret,
                                    absl::string_view delivery_id,
                                    absl::string_view event_type,
                                    absl::string_view json_body,
                                    absl::Time now);

enum class WebhookOutcome { kDelivered, kRetry, kGiveUp };
// What the attempt tells the endpoint's CircuitBreaker: RecordSuccess,
// RecordFailure, or nothing.
enum class CircuitEffect { kSuccess, kFailure, kNone };

struct WebhookAttempt {
  WebhookOutcome outcome = WebhookOutcome::kRetry;
  CircuitEffect circuit = CircuitEffect::kNone;
  // Why it was not delivered (empty when delivered): one printable line of
  // at most kMaxReasonLength characters, for WebhookEndpoint.last_error and
  // dead letters.
  std::string reason;
  // The HTTP status when an answer came, else 0.
  int status_code = 0;
};

inline constexpr size_t kMaxReasonLength = 300;

// Judges an HttpPost result by the rules above.
WebhookAttempt ClassifyWebhookAttempt(
    const absl::StatusOr<HttpPostResult>& result);

// BuildWebhookRequest, HttpPost and ClassifyWebhookAttempt in one call.
WebhookAttempt AttemptWebhookDelivery(absl::string_view url,
                                      absl::string_view secret,
                                      absl::string_view delivery_id,
                                      absl::string_view event_type,
                                      absl::string_view json_body,
                                      absl::Time now);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_DELIVERY_H_
