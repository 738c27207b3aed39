#include "services/notifications/circuit_breaker.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace brobygger::notifications {
namespace {

constexpr absl::string_view kVersion = "cb1";
// Bounds for parsed counters: far above anything real, low enough that
// the arithmetic on them cannot overflow.
constexpr int kMaxCounter = 1'000'000'000;

absl::string_view StateName(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

bool ParseStateName(absl::string_view name, BreakerState* state) {
  for (BreakerState s :
       {BreakerState::kClosed, BreakerState::kOpen, BreakerState::kHalfOpen}) {
    if (name == StateName(s)) {
      *state = s;
      return true;
    }
  }
  return false;
}

bool ParseCounter(absl::string_view text, int64_t max, int64_t* value) {
  if (text.empty() || text.size() > 19) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return absl::SimpleAtoi(text, value) && *value <= max;
}

absl::Status Garbage(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("not a serialised circuit breaker (", why, "): \"",
                   text.substr(0, 100), "\""));
}

}  // namespace

bool CircuitBreaker::AllowRequest(absl::Time now) {
  switch (state_) {
    case BreakerState::kClosed:
      return true;
    case BreakerState::kOpen:
    case BreakerState::kHalfOpen:
      // Open: the cool-down is over. Half-open: the probe is overdue and
      // presumed lost. Either way this request becomes the probe.
      if (now < until_) return false;
      state_ = BreakerState::kHalfOpen;
      until_ = now + policy_.probe_timeout;
      return true;
  }
  return false;
}

void CircuitBreaker::RecordSuccess() {
  state_ = BreakerState::kClosed;
  consecutive_failures_ = 0;
  consecutive_opens_ = 0;
  until_ = absl::InfinitePast();
}

void CircuitBreaker::RecordFailure(absl::Time now) {
  if (state_ == BreakerState::kOpen) return;
  consecutive_failures_ = std::min(consecutive_failures_ + 1, kMaxCounter);
  if (state_ == BreakerState::kHalfOpen ||
      consecutive_failures_ >= std::max(1, policy_.failure_threshold)) {
    Open(now);
  }
}

void CircuitBreaker::Open(absl::Time now) {
  consecutive_opens_ = std::min(consecutive_opens_ + 1, kMaxCounter);
  // open_for * 2^(opens-1), capped; the exponent is bounded so the
  // Duration arithmetic stays finite (absl saturates anyway).
  const int doublings = std::min(consecutive_opens_ - 1, 30);
  const absl::Duration cool_down = std::min(
      policy_.open_for * (int64_t{1} << doublings), policy_.max_open_for);
  state_ = BreakerState::kOpen;
  until_ = now + cool_down;
}

absl::Time CircuitBreaker::RetryTime() const {
  return state_ == BreakerState::kClosed ? absl::InfinitePast() : until_;
}

std::string CircuitBreaker::Serialize() const {
  const int64_t until_ms =
      state_ == BreakerState::kClosed ? 0 : absl::ToUnixMillis(until_);
  return absl::StrCat(kVersion, ";", StateName(state_), ";",
                      consecutive_failures_, ";", consecutive_opens_, ";",
                      until_ms);
}

absl::StatusOr<CircuitBreaker> CircuitBreaker::Parse(
    absl::string_view text, CircuitBreakerPolicy policy) {
  if (text.size() > 100) return Garbage(text, "too long");
  const std::vector<absl::string_view> fields = absl::StrSplit(text, ';');
  if (fields.size() != 5) return Garbage(text, "expected 5 fields");
  if (fields[0] != kVersion) return Garbage(text, "unknown version");
  CircuitBreaker breaker(policy);
  if (!ParseStateName(fields[1], &breaker.state_)) {
    return Garbage(text, "unknown state");
  }
  int64_t failures = 0, opens = 0, until_ms = 0;
  if (!ParseCounter(fields[2], kMaxCounter, &failures) ||
      !ParseCounter(fields[3], kMaxCounter, &opens) ||
      !ParseCounter(fields[4], int64_t{1} << 50, &until_ms)) {
    return Garbage(text, "bad number");
  }
  const bool closed = breaker.state_ == BreakerState::kClosed;
  if (closed ? (opens != 0 || until_ms != 0) : (opens < 1 || until_ms < 1)) {
    return Garbage(text, "fields inconsistent with the state");
  }
  breaker.consecutive_failures_ = static_cast<int>(failures);
  breaker.consecutive_opens_ = static_cast<int>(opens);
  breaker.until_ =
      closed ? absl::InfinitePast() : absl::FromUnixMillis(until_ms);
  return breaker;
}

v1::WebhookEndpoint::CircuitState ToProtoCircuitState(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return v1::WebhookEndpoint::CIRCUIT_STATE_CLOSED;
    case BreakerState::kOpen:
      return v1::WebhookEndpoint::CIRCUIT_STATE_OPEN;
    case BreakerState::kHalfOpen:
      return v1::WebhookEndpoint::CIRCUIT_STATE_HALF_OPEN;
  }
  return v1::WebhookEndpoint::CIRCUIT_STATE_UNSPECIFIED;
}

}  // namespace brobygger::notifications
