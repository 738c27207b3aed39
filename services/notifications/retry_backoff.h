// How long a failed delivery waits before its next attempt, and when it is
// given up (webhook.proto: from 1 s, doubling, up to 1 hour, for at most 24
// hours). Pure functions of the policy, the attempt number and a random
// generator, so the worker and its tests agree on them.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_RETRY_BACKOFF_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_RETRY_BACKOFF_H_

#include "absl/random/bit_gen_ref.h"
#include "absl/time/time.h"

namespace brobygger::notifications {

struct BackoffPolicy {
  // The ceiling of the first retry's delay.
  absl::Duration initial = absl::Seconds(1);
  // The ceiling grows by this factor per attempt (values below 1 count as
  // 1: the ceiling never shrinks).
  double multiplier = 2.0;
  // No delay exceeds this.
  absl::Duration max_delay = absl::Hours(1);
  // A delivery first tried longer ago than this is given up.
  absl::Duration give_up_after = absl::Hours(24);
  // No delay is shorter than this (unless max_delay is): see RetryDelay.
  absl::Duration min_delay = absl::Milliseconds(100);
};

// The delay before retrying after failed attempt number `attempt` (1 for
// the first attempt; values below 1 count as 1), with "full jitter": drawn
// uniformly from [min_delay, ceiling] where ceiling = min(max_delay,
// initial * multiplier^(attempt-1)). Full jitter spreads the retries of
// many deliveries that failed together (an endpoint coming back up) over
// the whole window instead of synchronising them. The floor keeps a retry
// from landing milliseconds after the failure; drawing from [floor,
// ceiling] rather than clamping [0, ceiling] keeps the draw uniform.
// Never overflows: any attempt number past the cap yields the cap.
absl::Duration RetryDelay(const BackoffPolicy& policy, int attempt,
                          absl::BitGenRef random);

// True when a delivery first attempted at `first_attempt_time` has been
// retried for `give_up_after` or longer and should be dead-lettered.
bool ShouldGiveUp(const BackoffPolicy& policy, absl::Time first_attempt_time,
                  absl::Time now);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_RETRY_BACKOFF_H_
