// The sorted set of broadcasts waiting for a sending (NotificationsKeys::
// BroadcastsDue: broadcast id -> when its next sending is due, Unix ms),
// and the leases by which one replica at a time makes a sending.
//
// Claiming a due entry moves its score to the end of a lease, in one Lua
// step, so no other replica sees it due meanwhile; the sending's own write
// (DocumentStore, with the broadcast) then sets the score of the next
// sending or removes the entry. A replica that crashes mid-sending leaves
// the lease to expire, and the next claim sends the same occurrence again,
// which the notifier's dedupe key makes harmless. The set knows Redis,
// not the rules: Broadcasts decides what is due and for how long.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_DUE_QUEUE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_DUE_QUEUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/redis_pool.h"
#include "services/notifications/notifications_keys.h"

namespace brobygger::notifications {

// A due entry held by this caller until `until`.
struct BroadcastLease {
  std::string id;
  absl::Time until;
};

class BroadcastDueQueue {
 public:
  BroadcastDueQueue(redis::RedisPool& pool, const NotificationsKeys& keys)
      : pool_(pool), keys_(keys) {}

  // Up to `limit` ids due at `now` (earliest first), each leased until
  // `now + lease` in the same atomic step.
  absl::StatusOr<std::vector<BroadcastLease>> Claim(
      absl::string_view municipality, absl::Time now, absl::Duration lease,
      int limit);

  // Moves a held entry to `score_time` (a longer lease, or back to when
  // it is due) if the lease is still this caller's; false when it was lost
  // (it expired and another caller claimed the entry, or the sending's
  // write already replaced it). `lease` is updated on success.
  absl::StatusOr<bool> Move(absl::string_view municipality,
                            BroadcastLease& lease, absl::Time score_time);

  // Removes an entry that has nothing left to send.
  absl::Status Remove(absl::string_view municipality, absl::string_view id);

  // When the entry is due next (its lease end while leased), if queued.
  absl::StatusOr<std::optional<absl::Time>> DueTime(
      absl::string_view municipality, absl::string_view id);

  static int64_t ScoreOf(absl::Time time) { return absl::ToUnixMillis(time); }

 private:
  redis::RedisPool& pool_;
  const NotificationsKeys& keys_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_DUE_QUEUE_H_
