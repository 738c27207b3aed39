// The per-endpoint circuit breaker of webhook deliveries (webhook.proto:
// "an endpoint that keeps failing has its circuit opened: deliveries wait
// while it is open and it is probed again after a cool-down").
//
//   closed --failure_threshold consecutive failures--> open
//   open --AllowRequest at/after RetryTime--> half-open (one probe let through)
//   half-open --probe succeeds--> closed
//   half-open --probe fails--> open, cool-down doubled (up to max_open_for)
//   half-open --probe unanswered for probe_timeout--> next request is the probe
//
// A success in any state closes the circuit: whatever answered is alive.
// Any failure recorded while half-open counts as the probe's (the breaker
// cannot tell a late answer to an earlier request from the probe's).
// A failure while open changes nothing (a late answer to a request sent
// before the circuit opened must not extend the cool-down).
//
// Pure and deterministic: time is passed in, nothing is shared. The state
// serialises to one short line so replicas can keep it in Redis and
// update it read-modify-write (e.g. WATCH/MULTI or a Lua compare-and-set
// on the serialised text). The policy is configuration, not state: it is
// not serialised and is supplied again on Parse.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_CIRCUIT_BREAKER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_CIRCUIT_BREAKER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/webhook.pb.h"

namespace brobygger::notifications {

struct CircuitBreakerPolicy {
  // Consecutive failures that open a closed circuit (below 1 counts as 1).
  int failure_threshold = 5;
  // The first cool-down; doubled on every re-open without a success in
  // between, up to max_open_for.
  absl::Duration open_for = absl::Seconds(30);
  absl::Duration max_open_for = absl::Minutes(10);
  // A probe whose result is never recorded (the replica sending it died)
  // stops blocking the circuit after this; longer than a delivery's 10 s
  // timeout so a slow but live probe is not doubled up.
  absl::Duration probe_timeout = absl::Seconds(30);
};

enum class BreakerState { kClosed, kOpen, kHalfOpen };

class CircuitBreaker {
 public:
  explicit CircuitBreaker(CircuitBreakerPolicy policy = {}) : policy_(policy) {}

  // Whether a delivery may be sent now. Moves an open circuit whose
  // cool-down is over to half-open and lets that one request through as
  // the probe; further requests are refused until the probe's result is
  // recorded or the probe times out.
  bool AllowRequest(absl::Time now);
  void RecordSuccess();
  void RecordFailure(absl::Time now);

  BreakerState state() const { return state_; }
  // Open: when the cool-down ends. Half-open: when the outstanding probe
  // is given up. Closed: absl::InfinitePast() (requests flow now).
  absl::Time RetryTime() const;
  // Failures in a row since the last success (for operators).
  int consecutive_failures() const { return consecutive_failures_; }

  // One line, e.g. "cb1;open;5;2;1700000060000": version, state,
  // consecutive failures, consecutive opens, RetryTime in Unix ms (0 when
  // closed).
  std::string Serialize() const;
  // INVALID_ARGUMENT for anything Serialize could not have produced.
  static absl::StatusOr<CircuitBreaker> Parse(absl::string_view text,
                                              CircuitBreakerPolicy policy = {});

 private:
  void Open(absl::Time now);

  CircuitBreakerPolicy policy_;
  BreakerState state_ = BreakerState::kClosed;
  int consecutive_failures_ = 0;
  // How many times the circuit opened without a success in between; sets
  // the cool-down's doubling.
  int consecutive_opens_ = 0;
  absl::Time until_ = absl::InfinitePast();
};

// The state as WebhookEndpoint.circuit_state reports it.
v1::WebhookEndpoint::CircuitState ToProtoCircuitState(BreakerState state);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_CIRCUIT_BREAKER_H_
