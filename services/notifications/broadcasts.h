// Broadcasts: announcements a caseworker or coordinator sends to many
// actors at once (a forum, the volunteers of a town, every organisation of
// a kind), optionally repeated because the people in a forum or an area
// change ("repeat important information because actors change").
//
// Access: the municipality's caseworkers and coordinators, for every
// method; everyone else is refused (broadcast_rules.h).
//
// Sending is never done inside CreateBroadcast: an audience may be a
// whole municipality's volunteers (100,000 inboxes), which no RPC deadline
// covers. Create stores the broadcast SCHEDULED with next_send_time =
// start_time (or now) and queues it in BroadcastsDue; SendDue, run by
// every replica's BroadcastScheduler every few seconds, makes the sendings
// that are due. So "send now" reaches people within one scheduler tick.
//
// One sending (occurrence k, 1-based) of a broadcast:
// 1. its due entry is leased (broadcast_due_queue.h), so a second replica
//    calling SendDue at the same moment does not make it too;
// 2. the audience is resolved now, from the projection
//    (broadcast_audience.h);
// 3. the message goes to PersonNotifier with the dedupe key
//    "<name>#<k>", in slices between which the lease is renewed;
// 4. one DocumentStore write (checked against the version read in 1)
//    sets sent_count = k, last_recipient_count, the next sending (or
//    COMPLETED and out of the queue after the last) and publishes
//    BroadcastSent.
// A crash or a notifier failure between 3 and 4 leaves k unrecorded; the
// occurrence is sent again later with the same key, so those who got it
// do not get it twice. A notifier failure moves the due entry
// kSendRetryDelay ahead (the broadcast itself still shows the missed
// next_send_time). A Cancel that lands while a sending is in flight wins:
// the sending's write is refused, and those reached before stay reached.
//
// Storage: DocumentStore collection "broadcast" (numeric ids, listed
// newest first by id), every change with its event (BroadcastCreated,
// BroadcastSent, BroadcastCancelled) in the same atomic step.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_BROADCASTS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_BROADCASTS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/broadcast.pb.h"
#include "common/auth/principal.h"
#include "common/store/resource_io.h"
#include "services/notifications/broadcast_due_queue.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/person_notifier.h"
#include "services/notifications/registry_projection.h"

namespace brobygger::notifications {

// How long a claimed sending is held before another replica may take it
// over (renewed after every slice of recipients).
inline constexpr absl::Duration kSendLease = absl::Minutes(5);
// How long a sending whose notifier failed waits before it is tried again.
inline constexpr absl::Duration kSendRetryDelay = absl::Minutes(1);
// Recipients handed to the notifier per call; the lease is renewed
// between calls.
inline constexpr int kSendSlice = 10000;
// At most this many broadcasts are claimed by one SendDue call.
inline constexpr int kMaxSendDueLimit = 1000;

struct BroadcastPage {
  std::vector<v1::Broadcast> broadcasts;  // newest first
  std::string next_page_token;
};

class Broadcasts {
 public:
  using Clock = std::function<absl::Time()>;

  Broadcasts(NotificationsContext& ctx, RegistryProjection& projection,
             PersonNotifier& notifier, Clock clock = absl::Now);

  // Stores the broadcast SCHEDULED for its first sending (start_time, or
  // now) and publishes BroadcastCreated; SendDue sends it. `request_id`
  // (optional UUID) makes a retry return the first result. INVALID_ARGUMENT
  // naming the field ("broadcast.title", "broadcast.audience.actor_kind",
  // ...); NOT_FOUND for a forum the service does not know;
  // FAILED_PRECONDITION for a dissolved forum.
  absl::StatusOr<v1::Broadcast> Create(const auth::Principal& principal,
                                       absl::string_view parent,
                                       v1::Broadcast broadcast,
                                       absl::string_view request_id);

  absl::StatusOr<v1::Broadcast> Get(const auth::Principal& principal,
                                    absl::string_view name);

  // Newest first.
  absl::StatusOr<BroadcastPage> List(const auth::Principal& principal,
                                     absl::string_view parent,
                                     int32_t page_size,
                                     absl::string_view page_token);

  // Stops further sendings: SCHEDULED -> CANCELLED (next_send_time
  // cleared), BroadcastCancelled published. `etag`, if set, must match
  // (ABORTED otherwise). FAILED_PRECONDITION when it is completed or
  // cancelled already.
  absl::StatusOr<v1::Broadcast> Cancel(const auth::Principal& principal,
                                       absl::string_view name,
                                       absl::string_view etag);

  // Makes the sendings of `municipality` that are due now: at most `limit`
  // (1-1000) broadcasts, one sending each (an overdue repeated broadcast
  // sends one occurrence and moves on to its next regular time). Returns
  // how many sendings were made; when some failed, they stay due and the
  // first error is returned after the others were tried.
  absl::StatusOr<int> SendDue(absl::string_view municipality, int limit);

 private:
  using Stored = store::Versioned<v1::Broadcast>;

  absl::StatusOr<Stored> Load(absl::string_view municipality,
                              absl::string_view id);
  absl::Status CheckForum(absl::string_view municipality,
                          const v1::Audience& audience);
  absl::StatusOr<v1::Broadcast> Replay(const auth::Principal& principal,
                                       absl::string_view municipality,
                                       const v1::Broadcast& asked,
                                       const std::string& id);
  // One sending of the claimed broadcast; false when there was nothing to
  // send (not due, no longer scheduled, lease lost, or recorded by
  // another replica).
  absl::StatusOr<bool> SendOne(absl::string_view municipality,
                               BroadcastLease& lease);
  absl::StatusOr<bool> Deliver(absl::string_view municipality,
                               BroadcastLease& lease,
                               const std::vector<std::string>& recipients,
                               const PersonMessage& message);
  absl::StatusOr<bool> RecordSending(absl::string_view municipality,
                                     Stored stored, int sending,
                                     int recipients);

  NotificationsContext& ctx_;
  RegistryProjection& projection_;
  PersonNotifier& notifier_;
  Clock clock_;
  BroadcastDueQueue due_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_BROADCASTS_H_
