// A sliding-window rate limiter in Redis, shared by every replica of the
// notification service: at most `limit` acquisitions per key in any
// `window`.
//
// Each key is a sorted set of the instants of its acquisitions (scored in
// milliseconds, each member unique). One Lua script trims what has slid out
// of the window, counts, and records the new acquisition only if the count
// is below the limit, so concurrent callers never exceed it. The set never
// holds more than `limit` members, and the key expires one window after its
// last acquisition, so idle recipients cost nothing.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_RATE_LIMITER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_RATE_LIMITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/redis_pool.h"

namespace brobygger::notifications {

// The key of one recipient's non-urgent deliveries:
// "notifications:{<municipality>}:rate:<actor_id>".
std::string RecipientRateKey(absl::string_view municipality,
                             absl::string_view actor_id);

class RateLimiter {
 public:
  explicit RateLimiter(redis::RedisPool& pool) : pool_(pool) {}

  // True (and the acquisition recorded at `now`) if fewer than `limit`
  // acquisitions of `key` lie in (now - window, now]; false, recording
  // nothing, otherwise. `limit` <= 0 allows nothing. `window` must be
  // positive (INVALID_ARGUMENT otherwise). Callers pass their clock's
  // `now`; replicas with skewed clocks shift each other's windows by the
  // skew, nothing worse. A Redis failure is returned as is; the caller
  // decides whether to retry (a retry after a lost reply may count twice,
  // which errs on sending less).
  absl::StatusOr<bool> TryAcquire(const std::string& key, int limit,
                                  absl::Duration window, absl::Time now);

 private:
  redis::RedisPool& pool_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_RATE_LIMITER_H_
