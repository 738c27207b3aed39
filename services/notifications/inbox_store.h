// The in-app inbox of every actor: one Redis Stream per inbox
// (NotificationsKeys::Inbox), whose entry ids are the notification ids and
// the Watch cursors, so names sort by arrival.
//
// An entry has two fields: "n", the serialized v1::Notification without
// its name and read time (both derived), and "about", the id of the
// newcomer it concerns or "" (so that an erasure finds it). Every inbox
// keeps its newest kMaxEntries entries: deliveries trim exactly (MAXLEN
// without '~'), which costs little at this size and makes "the inbox keeps
// its newest 1000 messages" literally true, and lets the delivery account
// for the read state of exactly the entries it trims.
//
// Read state: the read-up-to mark (everything at or before it is read),
// the read hash (entries after it read one by one, with their times), the
// marks hash (when each mark was set, for read times) and the meta hash
// (unread count; newest id trimmed or erased), all changed only by the
// scripts in inbox_scripts.cc.
//
// The store knows Redis, not who may read which inbox: callers authorise.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_STORE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_STORE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/notification.pb.h"
#include "brobygger/notifications/v1/notification_service.pb.h"
#include "services/notifications/notifications_context.h"

namespace brobygger::notifications {

// One message for one inbox.
struct InboxDelivery {
  std::string inbox;  // the recipient's actor id
  // name and read_time are ignored (derived when read).
  v1::Notification notification;
  std::string about;  // the newcomer id it concerns, or ""
  // What makes the delivery unique for this inbox, e.g.
  // "<event id>/<subscription or reason>": at most one entry per inbox and
  // key, however often it is delivered (within kDeliveredTtl).
  std::string dedupe_key;
};

// Entries of one inbox after a cursor, for watchers.
struct WatchBatch {
  // Oldest first, with names and, when read, read times.
  std::vector<v1::Notification> notifications;
  // Where to continue: the last notification's entry id, or the cursor
  // given when there is none.
  std::string cursor;
  // Entries after the cursor given were removed (trimmed or erased)
  // before they could be read. Checked only when there are entries after
  // the cursor (see ReadAfter).
  bool gap = false;
  // The newest entry id ever trimmed or erased from the inbox, when
  // checked ("0-0": none); watchers use it to report one removal once.
  std::string removed_through;
};

// One inbox to read for a watcher.
struct InboxCursor {
  std::string inbox;
  std::string cursor;  // an entry id, e.g. from ResolveCursor
  int count = 0;       // at most this many entries
};

class InboxStore {
 public:
  // Entries each inbox keeps (the WatchNotifications contract says 1000).
  static constexpr int kMaxEntries = 1000;
  // Deliveries per atomic step: a fan-out to 100,000 inboxes is 500 small
  // scripts, each all-or-nothing, rather than one that blocks Redis.
  static constexpr int kDeliverChunk = 200;
  // How long a delivery is remembered: a redelivered event or a re-run
  // fan-out within it produces no second message. Events are redelivered
  // within minutes (pending entries are reclaimed), so 7 days is ample
  // while keeping one small marker per delivery bounded in time.
  static constexpr absl::Duration kDeliveredTtl = absl::Hours(7 * 24);
  static constexpr int kMaxTitleChars = 200;
  static constexpr int kMaxBodyChars = 5000;
  // resource, event_type, event_id, subscription.
  static constexpr int kMaxReferenceChars = 500;
  static constexpr int kMaxDedupeKeyBytes = 300;
  static constexpr int kMaxPageSize = 500;
  static constexpr int kMaxMarkNames = 500;
  // Inboxes per ReadAfterMany script.
  static constexpr int kReadChunk = 200;
  // Inboxes rewritten per EraseAbout script: each rewrite copies up to
  // kMaxEntries entries, so a few per script keep Redis responsive.
  static constexpr int kEraseChunk = 4;

  explicit InboxStore(NotificationsContext& ctx);
  // `clock` gives the read times MarkRead records.
  InboxStore(NotificationsContext& ctx, std::function<absl::Time()> clock);

  // Appends every delivery not made before (per inbox and dedupe_key), in
  // atomic chunks of kDeliverChunk, and records the entries about a
  // newcomer for erasure. Returns the new entry ids in order, "" for
  // deliveries made before. Invalid input (INVALID_ARGUMENT naming
  // "municipality" or "deliveries[i]...") writes nothing. A failure part-way
  // leaves the earlier chunks delivered; running the same deliveries again
  // completes the rest without duplicates.
  absl::StatusOr<std::vector<std::string>> Deliver(
      absl::string_view municipality,
      const std::vector<InboxDelivery>& deliveries);

  // A page of the inbox, newest first: page_size 0 means 50, at most
  // kMaxPageSize; page tokens are bound to (inbox, unread_only).
  // unread_count counts the whole inbox.
  absl::StatusOr<v1::ListNotificationsResponse> List(
      absl::string_view municipality, absl::string_view inbox,
      int32_t page_size, absl::string_view page_token, bool unread_only);

  // Marks the entries `entry_ids` read, or, when `all_up_to` is not empty,
  // every entry up to and including it (then `entry_ids` are ignored, as
  // the contract says). Idempotent; ids of entries that no longer exist
  // are skipped. At most kMaxMarkNames ids (INVALID_ARGUMENT "names");
  // an `all_up_to` after the newest entry the inbox ever had is
  // INVALID_ARGUMENT "all_up_to".
  absl::StatusOr<v1::MarkNotificationsReadResponse> MarkRead(
      absl::string_view municipality, absl::string_view inbox,
      const std::vector<std::string>& entry_ids, absl::string_view all_up_to);

  // Where a watch starts: an empty cursor means "from now", the newest id
  // the inbox ever had ("0-0" for an inbox that never had a message);
  // otherwise the cursor in canonical form. INVALID_ARGUMENT naming
  // "cursor" when it is not an entry id, or is after the newest id the
  // inbox ever had (it cannot have come from this inbox).
  absl::StatusOr<std::string> ResolveCursor(absl::string_view municipality,
                                            absl::string_view inbox,
                                            absl::string_view cursor);

  // Up to `count` entries strictly after `cursor`, oldest first; an empty
  // cursor resolves to "from now" and returns no entries.
  //
  // Gap rule: when entries after the cursor are found, `gap` is true iff
  // the newest id ever trimmed or erased from the inbox (recorded by the
  // scripts that trim and erase) is after the cursor, i.e. something after
  // the cursor was removed before it was read. It is only looked at when
  // there is news, so an idle poll stays one XRANGE; a removal with nothing
  // after it yet is reported with the next entry that arrives. The rule
  // may report a gap one batch early (the removed id may lie after the
  // batch's last entry) but never misses one: a client that lists the
  // inbox on a gap has seen everything that still exists. Trimming removes
  // the oldest entries only, so a cursor at or after the newest trimmed
  // entry has no gap.
  absl::StatusOr<WatchBatch> ReadAfter(absl::string_view municipality,
                                       absl::string_view inbox,
                                       absl::string_view cursor, int count);

  // ReadAfter for many inboxes of one municipality (cursors already
  // resolved), in scripts of kReadChunk inboxes; one batch per read, in
  // order.
  absl::StatusOr<std::vector<WatchBatch>> ReadAfterMany(
      absl::string_view municipality, const std::vector<InboxCursor>& reads);

  // Removes every inbox entry about the newcomer, their read state, and
  // the record of them; the inboxes are rewritten so that no copy of the
  // entries stays in Redis (see inbox_scripts.cc). Watchers that had not
  // received an erased entry are told of a gap.
  absl::Status EraseAbout(absl::string_view municipality,
                          absl::string_view newcomer_id);

 private:
  absl::Status RunDeliverChunk(absl::string_view municipality,
                               const std::vector<InboxDelivery>& deliveries,
                               size_t begin, size_t end,
                               std::vector<std::string>* ids);
  absl::Status EraseFromInboxes(
      absl::string_view municipality, absl::string_view newcomer_id,
      const std::vector<std::pair<std::string, std::vector<std::string>>>&
          members_by_inbox);

  NotificationsContext& ctx_;
  std::function<absl::Time()> clock_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_STORE_H_
