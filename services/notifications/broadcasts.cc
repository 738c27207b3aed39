#include "services/notifications/broadcasts.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "brobygger/registry/v1/forum.pb.h"
#include "common/api/pagination.h"
#include "common/api/request_id.h"
#include "common/api/resource_name.h"
#include "common/events/event_bus.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/index_page.h"
#include "services/notifications/broadcast_audience.h"
#include "services/notifications/broadcast_rules.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;

constexpr char kForumType[] = "brobygger.registry.v1.Forum";

v1::Broadcast WithEtag(v1::Broadcast broadcast, int64_t version) {
  broadcast.set_etag(store::EtagOf(version));
  return broadcast;
}

absl::Status Unexpected(const store::WriteResult& result,
                        absl::string_view name) {
  RETURN_IF_ERROR(store::StoreOutcomeToStatus(result, kBroadcastType, name));
  return absl::InternalError(
      absl::StrCat("unexpected store outcome writing ", name));
}

// Whether a retried create asks for what the first one created.
bool SameRequest(const v1::Broadcast& stored, const v1::Broadcast& asked,
                 const auth::Principal& principal) {
  return stored.creator() == principal.subject &&
         stored.audience().SerializeAsString() ==
             asked.audience().SerializeAsString() &&
         stored.title() == asked.title() && stored.body() == asked.body() &&
         stored.repeat_count() == asked.repeat_count();
}

}  // namespace

Broadcasts::Broadcasts(NotificationsContext& ctx,
                       RegistryProjection& projection, PersonNotifier& notifier,
                       Clock clock)
    : ctx_(ctx),
      projection_(projection),
      notifier_(notifier),
      clock_(std::move(clock)),
      due_(ctx.pool, ctx.keys) {}

absl::StatusOr<Broadcasts::Stored> Broadcasts::Load(
    absl::string_view municipality, absl::string_view id) {
  return store::LoadResource<v1::Broadcast>(
      ctx_.store, municipality, kBroadcastCollection, id,
      BroadcastName(municipality, id), kBroadcastType, "broadcast");
}

// ---- Create ----------------------------------------------------------------

absl::Status Broadcasts::CheckForum(absl::string_view municipality,
                                    const v1::Audience& audience) {
  if (audience.target_case() != v1::Audience::kForum) return absl::OkStatus();
  ASSIGN_OR_RETURN(
      std::string forum_id,
      ParseForumId(audience.forum(), municipality, "broadcast.audience.forum"));
  ASSIGN_OR_RETURN(std::optional<rv1::Forum> forum,
                   projection_.FindForum(municipality, forum_id));
  if (!forum.has_value()) {
    return ResourceNotFoundError(kForumType, audience.forum());
  }
  if (forum->state() == rv1::Forum::STATE_DISSOLVED) {
    return PreconditionError(
        "FORUM_DISSOLVED", audience.forum(),
        "the forum is dissolved and has nobody to tell; address its former "
        "members another way, e.g. the volunteers of their area");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Broadcast> Broadcasts::Create(
    const auth::Principal& principal, absl::string_view parent,
    v1::Broadcast asked, absl::string_view request_id) {
  ASSIGN_OR_RETURN(std::string m, ParseParent(parent, "parent"));
  RETURN_IF_ERROR(RequireBroadcastStaff(principal, m));
  RETURN_IF_ERROR(api::ValidateRequestId(request_id));
  NormalizeBroadcast(&asked);
  const absl::Time now = clock_();
  FieldViolations violations;
  CheckBroadcastFields(asked, m, now, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  std::string idempotency_key;
  if (!request_id.empty()) {
    idempotency_key = ctx_.keys.Request(m, kBroadcastCollection, request_id);
    ASSIGN_OR_RETURN(std::optional<std::string> replayed,
                     ctx_.store.LookupRequest(idempotency_key));
    if (replayed.has_value()) return Replay(principal, m, asked, *replayed);
  }
  RETURN_IF_ERROR(CheckForum(m, asked.audience()));

  ASSIGN_OR_RETURN(int64_t numeric_id,
                   ctx_.store.NextId(m, kBroadcastCollection));
  const std::string id = absl::StrCat(numeric_id);
  const absl::Time first = FirstSendTime(asked, now);

  v1::Broadcast broadcast;
  broadcast.set_name(BroadcastName(m, id));
  *broadcast.mutable_audience() = asked.audience();
  broadcast.set_title(asked.title());
  broadcast.set_body(asked.body());
  broadcast.set_urgency(asked.urgency());
  if (asked.has_start_time()) {
    *broadcast.mutable_start_time() = asked.start_time();
  }
  broadcast.set_repeat_count(asked.repeat_count());
  broadcast.set_repeat_interval_days(asked.repeat_interval_days());
  broadcast.set_state(v1::Broadcast::STATE_SCHEDULED);
  *broadcast.mutable_next_send_time() = store::ToTimestamp(first);
  broadcast.set_creator(principal.subject);
  *broadcast.mutable_create_time() = store::ToTimestamp(now);
  *broadcast.mutable_update_time() = store::ToTimestamp(now);

  v1::BroadcastCreated payload;
  *payload.mutable_broadcast() = broadcast;
  store::WriteSpec spec;
  spec.municipality = m;
  spec.collection = kBroadcastCollection;
  spec.id = id;
  spec.data = broadcast.SerializeAsString();
  spec.request_key = idempotency_key;
  if (asked.audience().target_case() == v1::Audience::kForum) {
    // The forum's projection record in the same step: a broadcast is not
    // created for a forum deleted since it was checked.
    spec.must_exist = {
        ctx_.keys.Forum(m, store::IdOf(asked.audience().forum()))};
  }
  spec.add_to_indexes = {
      {ctx_.keys.AllIndex(m, kBroadcastCollection), store::IdScore(id)},
      {ctx_.keys.BroadcastsDue(m),
       static_cast<double>(BroadcastDueQueue::ScoreOf(first))}};
  spec.event = events::MakeEvent(EventContextFor(principal, request_id), m,
                                 broadcast.name(), payload, now);
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Create(spec));
  switch (result.outcome) {
    case store::WriteResult::Outcome::kOk:
      log::Info("broadcast scheduled",
                {{"broadcast", broadcast.name()},
                 {"audience", DescribeAudience(broadcast.audience())},
                 {"sendings", static_cast<int64_t>(TotalSendings(broadcast))}});
      return WithEtag(broadcast, result.version);
    case store::WriteResult::Outcome::kRequestReplayed:
      return Replay(principal, m, asked, result.id);
    case store::WriteResult::Outcome::kMissing:
      return ResourceNotFoundError(kForumType, asked.audience().forum());
    default:
      return Unexpected(result, broadcast.name());
  }
}

absl::StatusOr<v1::Broadcast> Broadcasts::Replay(
    const auth::Principal& principal, absl::string_view municipality,
    const v1::Broadcast& asked, const std::string& id) {
  ASSIGN_OR_RETURN(Stored stored, Load(municipality, id));
  if (!SameRequest(stored.resource, asked, principal)) {
    return InvalidFieldError(
        "request_id",
        "was used for another broadcast; send a new UUID with each new "
        "broadcast and the same one only when retrying");
  }
  return WithEtag(stored.resource, stored.version);
}

// ---- Read ------------------------------------------------------------------

absl::StatusOr<v1::Broadcast> Broadcasts::Get(const auth::Principal& principal,
                                              absl::string_view name) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseBroadcastName(name, "name"));
  RETURN_IF_ERROR(RequireBroadcastStaff(principal, parsed.municipality));
  ASSIGN_OR_RETURN(Stored stored, Load(parsed.municipality, parsed.id));
  return WithEtag(stored.resource, stored.version);
}

absl::StatusOr<BroadcastPage> Broadcasts::List(const auth::Principal& principal,
                                               absl::string_view parent,
                                               int32_t page_size,
                                               absl::string_view page_token) {
  ASSIGN_OR_RETURN(std::string m, ParseParent(parent, "parent"));
  RETURN_IF_ERROR(RequireBroadcastStaff(principal, m));
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  const std::string fingerprint = absl::StrCat("broadcasts\n", m);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  if (!cursor.empty() && !api::IsValidNumericId(cursor)) {
    return InvalidFieldError("page_token", "is not a page token of this list");
  }
  auto every = [](const v1::Broadcast&) { return true; };
  ASSIGN_OR_RETURN(
      store::IndexPage<v1::Broadcast> page,
      store::ScanIndexPage<v1::Broadcast>(
          ctx_.store, m, kBroadcastCollection,
          ctx_.keys.AllIndex(m, kBroadcastCollection), size, cursor,
          /*max_scanned=*/size, every, /*newest_first=*/true));
  BroadcastPage out;
  out.broadcasts = std::move(page.items);
  if (!page.next_cursor.empty()) {
    out.next_page_token = api::EncodePageToken(page.next_cursor, fingerprint);
  }
  return out;
}

// ---- Cancel ----------------------------------------------------------------

absl::StatusOr<v1::Broadcast> Broadcasts::Cancel(
    const auth::Principal& principal, absl::string_view name,
    absl::string_view etag) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseBroadcastName(name, "name"));
  const std::string& m = parsed.municipality;
  RETURN_IF_ERROR(RequireBroadcastStaff(principal, m));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Stored stored, Load(m, parsed.id));
    RETURN_IF_ERROR(store::CheckEtag(etag, stored.version, name, "etag"));
    v1::Broadcast broadcast = stored.resource;
    if (broadcast.state() == v1::Broadcast::STATE_COMPLETED) {
      return PreconditionError(
          "STATE", name,
          "the broadcast was sent as often as asked; nothing is left to "
          "cancel");
    }
    if (broadcast.state() != v1::Broadcast::STATE_SCHEDULED) {
      return PreconditionError("STATE", name,
                               "the broadcast is cancelled already");
    }
    const absl::Time now = clock_();
    broadcast.set_state(v1::Broadcast::STATE_CANCELLED);
    broadcast.clear_next_send_time();
    *broadcast.mutable_update_time() = store::ToTimestamp(now);

    v1::BroadcastCancelled payload;
    *payload.mutable_broadcast() = broadcast;
    store::WriteSpec spec = store::VersionedWriteSpec(
        m, kBroadcastCollection, parsed.id, stored.version);
    spec.data = broadcast.SerializeAsString();
    spec.remove_from_indexes = {ctx_.keys.BroadcastsDue(m)};
    spec.event = events::MakeEvent(EventContextFor(principal), m,
                                   broadcast.name(), payload, now);
    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Update(spec));
    if (result.outcome == store::WriteResult::Outcome::kOk) {
      log::Info("broadcast cancelled",
                {{"broadcast", broadcast.name()},
                 {"sent", static_cast<int64_t>(broadcast.sent_count())}});
      return WithEtag(broadcast, result.version);
    }
    // A sending recorded meanwhile: cancel what is left of it.
    if (store::ShouldRetryWrite(result, etag, attempt)) continue;
    if (result.outcome == store::WriteResult::Outcome::kConflict &&
        etag.empty()) {
      return absl::AbortedError(
          "the broadcast kept changing while it was cancelled; retry");
    }
    return Unexpected(result, broadcast.name());
  }
}

// ---- Sending
// -----------------------------------------------------------------

absl::StatusOr<int> Broadcasts::SendDue(absl::string_view municipality,
                                        int limit) {
  if (municipality.empty()) {
    return InvalidFieldError("municipality", "is required");
  }
  if (limit < 1 || limit > kMaxSendDueLimit) {
    return InvalidFieldError("limit",
                             absl::StrCat("must be 1-", kMaxSendDueLimit));
  }
  ASSIGN_OR_RETURN(std::vector<BroadcastLease> leases,
                   due_.Claim(municipality, clock_(), kSendLease, limit));
  int sent = 0;
  absl::Status first_error;
  for (BroadcastLease& lease : leases) {
    absl::StatusOr<bool> made = SendOne(municipality, lease);
    if (!made.ok()) {
      log::Warning("broadcast sending failed; it stays due",
                   {{"broadcast", BroadcastName(municipality, lease.id)},
                    {"error", made.status().ToString()}});
      first_error.Update(made.status());
    } else if (*made) {
      ++sent;
    }
  }
  if (!first_error.ok()) return first_error;
  return sent;
}

absl::StatusOr<bool> Broadcasts::SendOne(absl::string_view municipality,
                                         BroadcastLease& lease) {
  absl::StatusOr<Stored> loaded = Load(municipality, lease.id);
  if (absl::IsNotFound(loaded.status())) {
    RETURN_IF_ERROR(due_.Remove(municipality, lease.id));
    return false;
  }
  RETURN_IF_ERROR(loaded.status());
  const v1::Broadcast& broadcast = loaded->resource;
  if (broadcast.state() != v1::Broadcast::STATE_SCHEDULED ||
      !broadcast.has_next_send_time()) {
    RETURN_IF_ERROR(due_.Remove(municipality, lease.id));  // stray entry
    return false;
  }
  const absl::Time now = clock_();
  const absl::Time due = store::FromTimestamp(broadcast.next_send_time());
  if (due > now) {
    // Recorded by another replica since this one's lease was taken (its
    // write replaced the lease, so this moves nothing), or queued early.
    RETURN_IF_ERROR(due_.Move(municipality, lease, due).status());
    return false;
  }

  const int sending = broadcast.sent_count() + 1;
  absl::StatusOr<bool> delivered = [&]() -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(
        std::vector<std::string> recipients,
        ResolveAudience(projection_, municipality, broadcast.audience()));
    ASSIGN_OR_RETURN(bool held, Deliver(municipality, lease, recipients,
                                        BroadcastMessage(broadcast, sending)));
    if (!held) return false;
    return RecordSending(municipality, *loaded, sending,
                         static_cast<int>(recipients.size()));
  }();
  if (!delivered.ok()) {
    // Tried again after a pause, with the same dedupe key: whoever was
    // told already is not told twice.
    absl::StatusOr<bool> moved =
        due_.Move(municipality, lease, clock_() + kSendRetryDelay);
    if (!moved.ok()) {
      log::Warning("broadcast lease not shortened; it is retried when it ends",
                   {{"broadcast", broadcast.name()},
                    {"error", moved.status().ToString()}});
    }
  }
  return delivered;
}

absl::StatusOr<bool> Broadcasts::Deliver(
    absl::string_view municipality, BroadcastLease& lease,
    const std::vector<std::string>& recipients, const PersonMessage& message) {
  for (size_t offset = 0; offset < recipients.size(); offset += kSendSlice) {
    if (offset > 0) {
      ASSIGN_OR_RETURN(bool held,
                       due_.Move(municipality, lease, clock_() + kSendLease));
      if (!held) {
        // Another replica took the sending over after this one's lease
        // ran out; it completes it under the same dedupe key.
        log::Warning("broadcast lease lost mid-sending; left to its new holder",
                     {{"broadcast", message.notification.resource()},
                      {"sent_to", static_cast<int64_t>(offset)}});
        return false;
      }
    }
    const size_t end = std::min(recipients.size(), offset + kSendSlice);
    const std::vector<std::string> slice(recipients.begin() + offset,
                                         recipients.begin() + end);
    RETURN_IF_ERROR(notifier_.Notify(municipality, slice, message));
  }
  return true;
}

absl::StatusOr<bool> Broadcasts::RecordSending(absl::string_view municipality,
                                               Stored stored, int sending,
                                               int recipients) {
  const std::string m(municipality);
  for (int attempt = 1; attempt <= store::kMaxWriteAttempts; ++attempt) {
    v1::Broadcast broadcast = stored.resource;
    if (broadcast.state() != v1::Broadcast::STATE_SCHEDULED ||
        broadcast.sent_count() >= sending) {
      return false;  // cancelled meanwhile, or recorded by another replica
    }
    const absl::Time now = clock_();
    const std::string id = store::IdOf(broadcast.name());
    broadcast.set_sent_count(sending);
    broadcast.set_last_recipient_count(recipients);
    *broadcast.mutable_update_time() = store::ToTimestamp(now);
    store::WriteSpec spec =
        store::VersionedWriteSpec(m, kBroadcastCollection, id, stored.version);
    if (sending >= TotalSendings(broadcast)) {
      broadcast.set_state(v1::Broadcast::STATE_COMPLETED);
      broadcast.clear_next_send_time();
      spec.remove_from_indexes = {ctx_.keys.BroadcastsDue(m)};
    } else {
      const absl::Time next =
          NextSendTime(store::FromTimestamp(broadcast.next_send_time()),
                       broadcast.repeat_interval_days(), now);
      *broadcast.mutable_next_send_time() = store::ToTimestamp(next);
      // Replaces this sending's lease.
      spec.add_to_indexes = {
          {ctx_.keys.BroadcastsDue(m),
           static_cast<double>(BroadcastDueQueue::ScoreOf(next))}};
    }
    v1::BroadcastSent payload;
    *payload.mutable_broadcast() = broadcast;
    spec.data = broadcast.SerializeAsString();
    spec.event = events::MakeEvent(SystemEventContext(), m, broadcast.name(),
                                   payload, now);
    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Update(spec));
    switch (result.outcome) {
      case store::WriteResult::Outcome::kOk:
        log::Info("broadcast sent",
                  {{"broadcast", broadcast.name()},
                   {"sending", static_cast<int64_t>(sending)},
                   {"recipients", static_cast<int64_t>(recipients)},
                   {"audience", DescribeAudience(broadcast.audience())}});
        return true;
      case store::WriteResult::Outcome::kConflict: {
        ASSIGN_OR_RETURN(stored, Load(m, id));
        continue;
      }
      case store::WriteResult::Outcome::kNotFound:
        return false;
      default:
        return Unexpected(result, broadcast.name());
    }
  }
  return absl::AbortedError(
      "the broadcast kept changing while its sending was recorded; it is "
      "sent again (to nobody twice) on a later run");
}

}  // namespace brobygger::notifications
