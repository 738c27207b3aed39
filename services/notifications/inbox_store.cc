#include "services/notifications/inbox_store.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/notifications/inbox_entry_id.h"
#include "services/notifications/inbox_scripts.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

using google::protobuf::util::TimeUtil;

absl::StatusOr<redis::Reply> Checked(absl::StatusOr<redis::Reply> reply,
                                     absl::string_view what) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    return absl::InternalError(absl::StrCat(what, ": Redis: ", reply->str));
  }
  return reply;
}

absl::Status CheckInbox(absl::string_view inbox, absl::string_view field) {
  if (api::IsValidNumericId(inbox)) return absl::OkStatus();
  return InvalidFieldError(
      field, "must be the recipient's numeric actor id, e.g. \"12\"");
}

// Dedupe keys become part of a Redis key: printable ASCII without spaces
// or braces (a brace would change the key's hash tag).
bool IsValidDedupeKey(absl::string_view key) {
  if (key.empty() || key.size() > InboxStore::kMaxDedupeKeyBytes) return false;
  for (char c : key) {
    if (c <= ' ' || c > '~' || c == '{' || c == '}') return false;
  }
  return true;
}

void ValidateDelivery(const InboxDelivery& d, size_t index,
                      FieldViolations* violations) {
  const std::string prefix = absl::StrCat("deliveries[", index, "].");
  if (!api::IsValidNumericId(d.inbox)) {
    violations->Add(prefix + "inbox",
                    "must be the recipient's numeric actor id, e.g. \"12\"");
  }
  if (!d.about.empty() && !api::IsValidNumericId(d.about)) {
    violations->Add(prefix + "about",
                    "must be the newcomer's numeric actor id, or empty");
  }
  if (!IsValidDedupeKey(d.dedupe_key)) {
    violations->Add(
        prefix + "dedupe_key",
        absl::StrCat("must be 1 to ", InboxStore::kMaxDedupeKeyBytes,
                     " printable ASCII characters without spaces or braces, "
                     "e.g. \"<event id>/<subscription>\""));
  }
  const v1::Notification& n = d.notification;
  const std::string np = prefix + "notification.";
  api::CheckText(n.title(), InboxStore::kMaxTitleChars, /*required=*/true,
                 np + "title", "one line saying what happened", violations);
  api::CheckText(n.body(), InboxStore::kMaxBodyChars, false, np + "body", "",
                 violations);
  api::CheckText(n.resource(), InboxStore::kMaxReferenceChars, false,
                 np + "resource", "", violations);
  api::CheckText(n.event_type(), InboxStore::kMaxReferenceChars, false,
                 np + "event_type", "", violations);
  api::CheckText(n.event_id(), InboxStore::kMaxReferenceChars, false,
                 np + "event_id", "", violations);
  api::CheckText(n.subscription(), InboxStore::kMaxReferenceChars, false,
                 np + "subscription", "", violations);
  if (n.digest_count() < 0) {
    violations->Add(np + "digest_count", "must not be negative");
  }
}

// Times of the read-up-to marks, ordered by mark.
class ReadMarks {
 public:
  // `flat`: HGETALL of the marks hash.
  explicit ReadMarks(const redis::Reply& flat) {
    for (size_t i = 0; i + 1 < flat.elements.size(); i += 2) {
      int64_t ms = 0;
      if (absl::SimpleAtoi(flat.elements[i + 1].str, &ms)) {
        marks_.emplace_back(flat.elements[i].str, ms);
      }
    }
    std::sort(marks_.begin(), marks_.end(), [](const auto& a, const auto& b) {
      return EntryIdLess(a.first, b.first);
    });
  }

  // When `id` (at or before the newest mark) was marked read: the time of
  // the earliest mark at or after it.
  int64_t TimeOf(absl::string_view id) const {
    for (const auto& [mark, ms] : marks_) {
      if (!EntryIdLess(mark, id)) return ms;
    }
    // Not reached while the marks hash is kept by the scripts; the newest
    // mark is the best answer there is.
    return marks_.empty() ? 0 : marks_.back().second;
  }

 private:
  std::vector<std::pair<std::string, int64_t>> marks_;
};

// {{id, payload, read state}...} (see inbox_scripts.cc) -> notifications.
// An entry that does not parse is skipped and logged rather than blocking
// the inbox (and every watcher of it) for good.
std::vector<v1::Notification> ToNotifications(const redis::Reply& entries,
                                              size_t limit,
                                              const redis::Reply& marks_flat,
                                              absl::string_view municipality,
                                              absl::string_view inbox) {
  const ReadMarks marks(marks_flat);
  std::vector<v1::Notification> out;
  limit = std::min(limit, entries.elements.size());
  out.reserve(limit);
  for (size_t i = 0; i < limit; ++i) {
    const redis::Reply& entry = entries.elements[i];
    if (entry.elements.size() != 3) continue;
    const std::string& id = entry.elements[0].str;
    v1::Notification n;
    if (!n.ParseFromString(entry.elements[1].str)) {
      log::Error(
          "unreadable inbox entry skipped",
          {{"municipality", municipality}, {"inbox", inbox}, {"entry", id}});
      continue;
    }
    n.set_name(NotificationName(municipality, inbox, id));
    const std::string& state = entry.elements[2].str;
    int64_t read_ms = -1;
    if (state == "m") {
      read_ms = marks.TimeOf(id);
    } else if (!state.empty()) {
      (void)absl::SimpleAtoi(state, &read_ms);
    }
    if (read_ms >= 0) {
      *n.mutable_read_time() = TimeUtil::MillisecondsToTimestamp(read_ms);
    }
    out.push_back(std::move(n));
  }
  return out;
}

std::string ListFingerprint(absl::string_view municipality,
                            absl::string_view inbox, bool unread_only) {
  return absl::StrCat(InboxName(municipality, inbox),
                      unread_only ? "?unread" : "");
}

// "<inbox>/<entry id>" -> {inbox, entry id}.
bool SplitMember(absl::string_view member, std::string* inbox) {
  const size_t slash = member.find('/');
  if (slash == absl::string_view::npos) return false;
  *inbox = std::string(member.substr(0, slash));
  return api::IsValidNumericId(*inbox);
}

}  // namespace

InboxStore::InboxStore(NotificationsContext& ctx)
    : InboxStore(ctx, [] { return absl::Now(); }) {}

InboxStore::InboxStore(NotificationsContext& ctx,
                       std::function<absl::Time()> clock)
    : ctx_(ctx), clock_(std::move(clock)) {}

absl::StatusOr<std::vector<std::string>> InboxStore::Deliver(
    absl::string_view municipality,
    const std::vector<InboxDelivery>& deliveries) {
  FieldViolations violations;
  if (!api::IsValidMunicipalityId(municipality)) {
    // It becomes the keys' hash tag.
    violations.Add("municipality", "must be a municipality id, e.g. aalborg");
  }
  for (size_t i = 0; i < deliveries.size(); ++i) {
    ValidateDelivery(deliveries[i], i, &violations);
  }
  RETURN_IF_ERROR(violations.ToStatus());
  std::vector<std::string> ids;
  ids.reserve(deliveries.size());
  for (size_t begin = 0; begin < deliveries.size(); begin += kDeliverChunk) {
    const size_t end = std::min(deliveries.size(), begin + kDeliverChunk);
    RETURN_IF_ERROR(
        RunDeliverChunk(municipality, deliveries, begin, end, &ids));
  }
  return ids;
}

absl::Status InboxStore::RunDeliverChunk(
    absl::string_view m, const std::vector<InboxDelivery>& deliveries,
    size_t begin, size_t end, std::vector<std::string>* ids) {
  const NotificationsKeys& keys = ctx_.keys;
  std::vector<std::string> script_keys;
  std::vector<std::string> args;
  script_keys.reserve((end - begin) * 6);
  args.reserve(2 + (end - begin) * 3);
  args.push_back(absl::StrCat(absl::ToInt64Milliseconds(kDeliveredTtl)));
  args.push_back(absl::StrCat(kMaxEntries));
  for (size_t i = begin; i < end; ++i) {
    const InboxDelivery& d = deliveries[i];
    std::string stream = keys.Inbox(m, d.inbox);
    script_keys.push_back(stream);
    script_keys.push_back(keys.Delivered(m, d.dedupe_key, d.inbox));
    script_keys.push_back(d.about.empty() ? std::move(stream)
                                          : keys.InboxEntriesAbout(m, d.about));
    script_keys.push_back(keys.InboxReadUpTo(m, d.inbox));
    script_keys.push_back(keys.InboxRead(m, d.inbox));
    script_keys.push_back(keys.InboxMeta(m, d.inbox));
    v1::Notification stored = d.notification;
    stored.clear_name();
    stored.clear_read_time();
    args.push_back(stored.SerializeAsString());
    args.push_back(d.about);
    args.push_back(d.inbox);
  }
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      Checked(inbox_scripts::Deliver().Run(ctx_.pool, script_keys, args),
              "inbox delivery"));
  if (reply.elements.size() != end - begin) {
    return absl::InternalError("inbox delivery: unexpected reply");
  }
  for (const redis::Reply& id : reply.elements) ids->push_back(id.str);
  return absl::OkStatus();
}

absl::StatusOr<v1::ListNotificationsResponse> InboxStore::List(
    absl::string_view m, absl::string_view inbox, int32_t page_size,
    absl::string_view page_token, bool unread_only) {
  RETURN_IF_ERROR(CheckInbox(inbox, "parent"));
  ASSIGN_OR_RETURN(const int size,
                   api::ResolvePageSize(page_size, kMaxPageSize));
  ASSIGN_OR_RETURN(
      const std::string before,
      api::DecodePageToken(page_token, ListFingerprint(m, inbox, unread_only)));
  if (!before.empty() && CanonicalEntryId(before) != before) {
    return InvalidFieldError("page_token", "is not a page token of this list");
  }
  const NotificationsKeys& keys = ctx_.keys;
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      Checked(inbox_scripts::List().Run(
                  ctx_.pool,
                  {keys.Inbox(m, inbox), keys.InboxReadUpTo(m, inbox),
                   keys.InboxRead(m, inbox), keys.InboxMeta(m, inbox),
                   keys.InboxReadMarks(m, inbox)},
                  {before, absl::StrCat(size + 1), unread_only ? "1" : "0"}),
              "inbox list"));
  if (reply.elements.size() != 3) {
    return absl::InternalError("inbox list: unexpected reply");
  }
  v1::ListNotificationsResponse response;
  response.set_unread_count(
      static_cast<int32_t>(std::max<int64_t>(0, reply.elements[0].integer)));
  // The script returns one entry beyond the page when there is a next one.
  const redis::Reply& entries = reply.elements[2];
  for (v1::Notification& n :
       ToNotifications(entries, size, reply.elements[1], m, inbox)) {
    *response.add_notifications() = std::move(n);
  }
  if (entries.elements.size() > static_cast<size_t>(size)) {
    const std::string& last_id = entries.elements[size - 1].elements[0].str;
    response.set_next_page_token(
        api::EncodePageToken(last_id, ListFingerprint(m, inbox, unread_only)));
  }
  return response;
}

absl::StatusOr<v1::MarkNotificationsReadResponse> InboxStore::MarkRead(
    absl::string_view m, absl::string_view inbox,
    const std::vector<std::string>& entry_ids, absl::string_view all_up_to) {
  RETURN_IF_ERROR(CheckInbox(inbox, "parent"));
  std::vector<std::string> args = {absl::StrCat(absl::ToUnixMillis(clock_())),
                                   ""};
  if (!all_up_to.empty()) {
    std::optional<std::string> id = CanonicalEntryId(all_up_to);
    if (!id) {
      return InvalidFieldError("all_up_to",
                               "must name a message of this inbox");
    }
    args[1] = *id;
  } else {
    if (entry_ids.size() > static_cast<size_t>(kMaxMarkNames)) {
      return InvalidFieldError(
          "names", absl::StrCat("must list at most ", kMaxMarkNames,
                                " messages; send the rest in another call, "
                                "or use all_up_to"));
    }
    FieldViolations violations;
    for (size_t i = 0; i < entry_ids.size(); ++i) {
      std::optional<std::string> id = CanonicalEntryId(entry_ids[i]);
      if (!id) {
        violations.Add(absl::StrCat("names[", i, "]"),
                       "must name a message of this inbox");
      } else {
        args.push_back(*std::move(id));
      }
    }
    RETURN_IF_ERROR(violations.ToStatus());
  }
  const NotificationsKeys& keys = ctx_.keys;
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      Checked(inbox_scripts::MarkRead().Run(
                  ctx_.pool,
                  {keys.Inbox(m, inbox), keys.InboxReadUpTo(m, inbox),
                   keys.InboxRead(m, inbox), keys.InboxMeta(m, inbox),
                   keys.InboxReadMarks(m, inbox)},
                  args),
              "mark read"));
  if (reply.elements.empty()) {
    return absl::InternalError("mark read: unexpected reply");
  }
  if (reply.elements[0].integer < 0) {
    return InvalidFieldError("all_up_to",
                             "names a message this inbox has not received; "
                             "send the name of a listed message");
  }
  if (reply.elements.size() != 2) {
    return absl::InternalError("mark read: unexpected reply");
  }
  v1::MarkNotificationsReadResponse response;
  response.set_marked_count(static_cast<int32_t>(reply.elements[0].integer));
  response.set_unread_count(
      static_cast<int32_t>(std::max<int64_t>(0, reply.elements[1].integer)));
  return response;
}

absl::StatusOr<std::string> InboxStore::ResolveCursor(
    absl::string_view m, absl::string_view inbox, absl::string_view cursor) {
  RETURN_IF_ERROR(CheckInbox(inbox, "parent"));
  std::optional<std::string> canonical;
  if (!cursor.empty()) {
    canonical = CanonicalEntryId(cursor);
    if (!canonical) {
      return InvalidFieldError(
          "cursor",
          "must be the cursor of a response received, e.g. "
          "\"1732450000000-0\", or empty to start from now");
    }
  }
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"XINFO", "STREAM", ctx_.keys.Inbox(m, inbox)}));
  std::string last = "0-0";
  if (reply.is_error()) {
    // A missing stream is an inbox that never had a message.
    if (reply.str.find("no such key") == std::string::npos) {
      return absl::InternalError(
          absl::StrCat("inbox info: Redis: ", reply.str));
    }
  } else {
    for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
      if (reply.elements[i].str == "last-generated-id") {
        last = reply.elements[i + 1].str;
      }
    }
  }
  if (!canonical) return last;
  if (EntryIdLess(last, *canonical)) {
    return InvalidFieldError(
        "cursor",
        "is ahead of this inbox; send the cursor of the last response "
        "received from this inbox, or none to start from now");
  }
  return *canonical;
}

absl::StatusOr<WatchBatch> InboxStore::ReadAfter(absl::string_view m,
                                                 absl::string_view inbox,
                                                 absl::string_view cursor,
                                                 int count) {
  ASSIGN_OR_RETURN(std::string from, ResolveCursor(m, inbox, cursor));
  if (cursor.empty() || count <= 0) {
    WatchBatch batch;
    batch.cursor = std::move(from);
    return batch;
  }
  ASSIGN_OR_RETURN(
      std::vector<WatchBatch> batches,
      ReadAfterMany(m, {InboxCursor{std::string(inbox), from, count}}));
  return std::move(batches.front());
}

absl::StatusOr<std::vector<WatchBatch>> InboxStore::ReadAfterMany(
    absl::string_view m, const std::vector<InboxCursor>& reads) {
  const NotificationsKeys& keys = ctx_.keys;
  std::vector<WatchBatch> batches;
  batches.reserve(reads.size());
  for (size_t begin = 0; begin < reads.size(); begin += kReadChunk) {
    const size_t end = std::min(reads.size(), begin + kReadChunk);
    std::vector<std::string> script_keys;
    std::vector<std::string> args;
    for (size_t i = begin; i < end; ++i) {
      const InboxCursor& read = reads[i];
      script_keys.push_back(keys.Inbox(m, read.inbox));
      script_keys.push_back(keys.InboxReadUpTo(m, read.inbox));
      script_keys.push_back(keys.InboxRead(m, read.inbox));
      script_keys.push_back(keys.InboxReadMarks(m, read.inbox));
      script_keys.push_back(keys.InboxMeta(m, read.inbox));
      args.push_back(read.cursor);
      args.push_back(absl::StrCat(std::max(1, read.count)));
    }
    ASSIGN_OR_RETURN(
        redis::Reply reply,
        Checked(inbox_scripts::ReadAfter().Run(ctx_.pool, script_keys, args),
                "inbox read"));
    if (reply.elements.size() != end - begin) {
      return absl::InternalError("inbox read: unexpected reply");
    }
    for (size_t i = begin; i < end; ++i) {
      const redis::Reply& one = reply.elements[i - begin];
      if (one.elements.size() != 3) {
        return absl::InternalError("inbox read: unexpected reply");
      }
      WatchBatch batch;
      batch.cursor = reads[i].cursor;
      const redis::Reply& entries = one.elements[2];
      if (!entries.elements.empty()) {
        batch.cursor = entries.elements.back().elements[0].str;
        batch.notifications =
            ToNotifications(entries, entries.elements.size(), one.elements[1],
                            m, reads[i].inbox);
        batch.removed_through = one.elements[0].str;
        batch.gap = EntryIdLess(reads[i].cursor, batch.removed_through);
      }
      batches.push_back(std::move(batch));
    }
  }
  return batches;
}

absl::Status InboxStore::EraseAbout(absl::string_view m,
                                    absl::string_view newcomer_id) {
  if (!api::IsValidNumericId(newcomer_id)) {
    return InvalidFieldError("newcomer", "must be a numeric actor id");
  }
  const std::string about_key = ctx_.keys.InboxEntriesAbout(m, newcomer_id);
  // New deliveries about an erased newcomer should not happen (routing
  // checks the tombstones), but if one races in, the next round takes it.
  constexpr int kMaxRounds = 5;
  for (int round = 0; round < kMaxRounds; ++round) {
    std::map<std::string, std::vector<std::string>> by_inbox;
    std::string scan = "0";
    do {
      ASSIGN_OR_RETURN(
          redis::Reply reply,
          Checked(ctx_.pool.Run({"SSCAN", about_key, scan, "COUNT", "500"}),
                  "erase scan"));
      if (reply.elements.size() != 2) {
        return absl::InternalError("erase scan: unexpected reply");
      }
      scan = reply.elements[0].str;
      for (const redis::Reply& member : reply.elements[1].elements) {
        std::string inbox;
        // A malformed member names no inbox: it is only removed.
        if (!SplitMember(member.str, &inbox)) inbox.clear();
        by_inbox[inbox].push_back(member.str);
      }
    } while (scan != "0");
    if (by_inbox.empty()) return absl::OkStatus();
    std::vector<std::pair<std::string, std::vector<std::string>>> chunk;
    for (auto& entry : by_inbox) {
      chunk.emplace_back(entry.first, std::move(entry.second));
      if (chunk.size() == static_cast<size_t>(kEraseChunk)) {
        RETURN_IF_ERROR(EraseFromInboxes(m, newcomer_id, chunk));
        chunk.clear();
      }
    }
    if (!chunk.empty())
      RETURN_IF_ERROR(EraseFromInboxes(m, newcomer_id, chunk));
  }
  return absl::UnavailableError(
      "messages about the newcomer keep arriving while they are erased; "
      "retry the erasure");
}

absl::Status InboxStore::EraseFromInboxes(
    absl::string_view m, absl::string_view newcomer_id,
    const std::vector<std::pair<std::string, std::vector<std::string>>>&
        members_by_inbox) {
  const NotificationsKeys& keys = ctx_.keys;
  std::vector<std::string> script_keys = {
      keys.InboxEntriesAbout(m, newcomer_id)};
  std::vector<std::string> args = {std::string(newcomer_id)};
  for (const auto& [inbox, members] : members_by_inbox) {
    args.insert(args.end(), members.begin(), members.end());
    if (inbox.empty()) continue;
    script_keys.push_back(keys.Inbox(m, inbox));
    script_keys.push_back(keys.InboxReadUpTo(m, inbox));
    script_keys.push_back(keys.InboxRead(m, inbox));
    script_keys.push_back(keys.InboxMeta(m, inbox));
  }
  return Checked(inbox_scripts::EraseAbout().Run(ctx_.pool, script_keys, args),
                 "erase")
      .status();
}

}  // namespace brobygger::notifications
