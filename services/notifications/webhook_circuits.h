// What the delivery worker keeps per webhook endpoint, shared by every
// replica: the endpoint's circuit breaker (circuit_breaker.h) and the
// health its owner sees on WebhookEndpoint (last_error,
// last_success_time).
//
// Stored in one hash, NotificationsKeys::WebhookCircuit: "b" = the
// serialised CircuitBreaker, "e" = the last error, "s" = the last
// successful delivery (Unix ms). The breaker is updated read-modify-write
// with a compare-and-set script on its serialised line, retried on
// conflict, so two replicas recording results at once never lose one.
// Nothing is written for an endpoint that no longer exists (the script
// checks its document), so a delivery finishing after its endpoint was
// deleted cannot leave a stray hash behind.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_CIRCUITS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_CIRCUITS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/webhook.pb.h"
#include "services/notifications/circuit_breaker.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/webhook_delivery.h"

namespace brobygger::notifications {

// An endpoint's delivery health as stored.
struct WebhookHealth {
  BreakerState state = BreakerState::kClosed;
  // When an open circuit is probed again (InfinitePast when closed).
  absl::Time retry_time = absl::InfinitePast();
  std::string last_error;
  std::optional<absl::Time> last_success;
};

// Fills circuit_state, circuit_retry_time, last_error and
// last_success_time.
void PresentHealth(const WebhookHealth& health, v1::WebhookEndpoint* endpoint);

class WebhookCircuits {
 public:
  explicit WebhookCircuits(NotificationsContext& ctx,
                           CircuitBreakerPolicy policy = {})
      : ctx_(ctx), policy_(policy) {}

  struct Permission {
    bool allowed = true;
    // When refused: when asking again may succeed.
    absl::Time retry_time = absl::InfinitePast();
  };
  // Asks the endpoint's breaker whether a delivery may be sent at `now`
  // (CircuitBreaker::AllowRequest), persisting the move to half-open that
  // lets exactly one replica's request through as the probe.
  absl::StatusOr<Permission> Allow(absl::string_view m,
                                   absl::string_view webhook_id,
                                   absl::Time now);

  // Records an attempt's effect on the breaker, its reason as last_error
  // (when it has one) and `now` as last_success_time when it was
  // delivered.
  absl::Status Record(absl::string_view m, absl::string_view webhook_id,
                      const WebhookAttempt& attempt, absl::Time now);

  // The endpoints' health in the order of `webhook_ids` (one round trip);
  // an endpoint without a record, or with one that does not parse, reads
  // as closed and never failed.
  absl::StatusOr<std::vector<WebhookHealth>> Health(
      absl::string_view m, const std::vector<std::string>& webhook_ids);

 private:
  // Applies `change` to the stored breaker and writes the result (with
  // the extra fields) by compare-and-set; retried on conflict. Returns the
  // breaker as written.
  template <typename Change>
  absl::StatusOr<CircuitBreaker> Update(absl::string_view m,
                                        absl::string_view webhook_id,
                                        Change change,
                                        absl::string_view last_error,
                                        std::optional<absl::Time> success);

  NotificationsContext& ctx_;
  CircuitBreakerPolicy policy_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_CIRCUITS_H_
