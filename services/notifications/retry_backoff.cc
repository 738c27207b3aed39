#include "services/notifications/retry_backoff.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/random/distributions.h"

namespace brobygger::notifications {
namespace {

// Whole milliseconds, never negative.
int64_t Millis(absl::Duration d) {
  return std::max<int64_t>(0, absl::ToInt64Milliseconds(d));
}

// min(max_ms, initial_ms * multiplier^(attempt-1)) without overflow: the
// product is formed in double (which goes to infinity, not undefined
// behaviour) and only converted back when below the cap.
int64_t CeilingMillis(const BackoffPolicy& policy, int attempt) {
  const int64_t max_ms = Millis(policy.max_delay);
  const int64_t initial_ms = std::min(Millis(policy.initial), max_ms);
  const double multiplier =
      std::isnan(policy.multiplier) ? 1.0 : std::max(1.0, policy.multiplier);
  const double grown = static_cast<double>(initial_ms) *
                       std::pow(multiplier, static_cast<double>(attempt - 1));
  if (!(grown < static_cast<double>(max_ms))) return max_ms;
  return static_cast<int64_t>(grown);
}

}  // namespace

absl::Duration RetryDelay(const BackoffPolicy& policy, int attempt,
                          absl::BitGenRef random) {
  const int64_t ceiling_ms = CeilingMillis(policy, std::max(1, attempt));
  const int64_t floor_ms = std::min(Millis(policy.min_delay), ceiling_ms);
  return absl::Milliseconds(
      absl::Uniform(absl::IntervalClosed, random, floor_ms, ceiling_ms));
}

bool ShouldGiveUp(const BackoffPolicy& policy, absl::Time first_attempt_time,
                  absl::Time now) {
  return now - first_attempt_time >= policy.give_up_after;
}

}  // namespace brobygger::notifications
