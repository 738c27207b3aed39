// The messages waiting for recipients' digests, in Redis, shared by every
// replica of the notification service. Nothing is lost: an item leaves the
// queue only when the digest that carried it was sent (Complete), or when
// the newcomer it is about is erased (RemoveAbout), or when it is one of
// the oldest beyond the per-recipient cap (then it is counted, and the
// digest says so; the inbox still has it).
//
// Keys, per municipality m (all with m's hash tag, so every script may
// touch them together):
//   notifications:{m}:digest:<actor>        LIST of items, oldest first
//   notifications:{m}:digest_meta:<actor>   HASH dropped (items dropped by
//                                            the cap), lease (the token of
//                                            the claim in progress)
//   notifications:{m}:digest_due            ZSET actor -> due (ms)
//   notifications:{m}:digest_seq            counter of item sequence
//                                            numbers and claim tokens
//   notifications:{m}:digest_about:<id>     SET of actors with items about
//                                            newcomer <id> (erasure index)
// Scripts that discover recipients (Claim, RemoveAbout) build those
// recipients' keys from prefixes passed in ARGV: they carry the same hash
// tag as the declared keys, so they live in the same slot.
// An item is "<seq>|<due ms>|<about>|<serialized Notification>". Sequence
// numbers grow across the municipality, so "every item up to seq N" names
// exactly what a digest carried, even if items were dropped or erased in
// between, and even after the list emptied and filled again.
//
// A recipient's due time is the earliest due of its items: Add only lowers
// it. Claim leases due recipients by moving their due to now + lease, so
// two replicas never send the same digest; a replica that dies mid-way
// leaves its recipients due again when the lease runs out. While a
// recipient is leased, Add does not move the due time; Complete sets it
// from the items that remain.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_QUEUE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_QUEUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/notification.pb.h"
#include "common/redis/keys.h"
#include "common/redis/redis_pool.h"

namespace brobygger::notifications {

// Items kept per recipient; older ones are dropped and counted.
inline constexpr int kMaxDigestItemsPerRecipient = 500;
// A serialized notification larger than this is refused.
inline constexpr size_t kMaxDigestItemBytes = 64 * 1024;
// Recipients claimed per Claim call at most.
inline constexpr int kMaxDigestClaimBatch = 1000;

// One recipient's digest, claimed for sending.
struct ClaimedDigest {
  std::string actor_id;
  // Oldest first.
  std::vector<v1::Notification> items;
  // Items that did not fit (the cap) since the last digest.
  int64_t older_dropped = 0;
  // For Complete: the last sequence number read, and the claim's token.
  int64_t through_sequence = 0;
  int64_t lease_token = 0;
};

class DigestQueue {
 public:
  explicit DigestQueue(redis::RedisPool& pool, int max_items_per_recipient =
                                                   kMaxDigestItemsPerRecipient);

  // Appends `item` to `actor_id`'s pending digest and makes the digest due
  // at `due` unless it is due earlier already. `about_newcomer_id` (may be
  // empty) is the newcomer the item mentions, for RemoveAbout; it must not
  // contain '|'. Beyond the cap the oldest item is dropped and counted.
  absl::Status Add(absl::string_view municipality, absl::string_view actor_id,
                   const v1::Notification& item, absl::Time due,
                   absl::string_view about_newcomer_id = "");

  // Up to `limit` (1..1000) recipients whose digest is due at `now`, each
  // leased until now + `lease` with its items read. Recipients with no
  // items left are dropped from the schedule, not returned. If reading a
  // claimed recipient fails, the error is returned and that recipient (and
  // any after it) becomes due again when its lease ends.
  absl::StatusOr<std::vector<ClaimedDigest>> Claim(
      absl::string_view municipality, absl::Time now, int limit,
      absl::Duration lease);

  // The digest `claimed` was sent: removes exactly its items (sequence up
  // to through_sequence) and its dropped count; items added meanwhile stay
  // and the recipient becomes due at their earliest due time. If the claim
  // was overtaken (the lease ran out and another replica claimed the
  // recipient), the sent items are still removed but the schedule is left
  // to the newer claim.
  absl::Status Complete(absl::string_view municipality,
                        const ClaimedDigest& claimed);

  // Erasure: removes every pending item about `newcomer_id` from every
  // recipient's digest; returns how many. Recipients left with nothing are
  // unscheduled.
  absl::StatusOr<int64_t> RemoveAbout(absl::string_view municipality,
                                      absl::string_view newcomer_id);

  // Removes `actor_id`'s pending digest entirely (the recipient was
  // deleted or erased).
  absl::Status RemoveRecipient(absl::string_view municipality,
                               absl::string_view actor_id);

  // The recipient's due time, if any is scheduled (for tests and
  // diagnostics).
  absl::StatusOr<std::optional<absl::Time>> DueTime(
      absl::string_view municipality, absl::string_view actor_id);

 private:
  absl::StatusOr<ClaimedDigest> Read(absl::string_view municipality,
                                     const std::string& actor_id,
                                     int64_t lease_token);

  redis::RedisPool& pool_;
  redis::KeySpace keys_{"notifications"};
  int max_items_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_QUEUE_H_
