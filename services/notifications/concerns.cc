#include "services/notifications/concerns.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "common/api/field_checks.h"
#include "common/api/pagination.h"
#include "common/api/request_id.h"
#include "common/api/resource_name.h"
#include "common/events/event_bus.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/checked_batch.h"
#include "common/store/etag.h"
#include "common/store/index_page.h"
#include "common/text/fold.h"
#include "services/notifications/concern_access.h"
#include "services/notifications/concern_messages.h"
#include "services/notifications/concern_rules.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;

constexpr char kActorType[] = "brobygger.registry.v1.Actor";
// A List call examines at most this many concerns (then returns a shorter
// page with a token to go on).
constexpr int kMaxScannedPerPage = 5000;
// A raise that lost a race looks again this often at most. Each loss
// means another raise or join of the same concern succeeded, so only that
// many people raising it at the same moment exhaust it.
constexpr int kMaxRaiseAttempts = 20;
// Erasure deletes this many concerns per atomic step.
constexpr int kEraseBatch = 200;

v1::Concern WithEtag(v1::Concern concern, int64_t version) {
  concern.set_etag(store::EtagOf(version));
  return concern;
}

absl::Status NotMatched() {
  return PermissionDeniedError(
      "NOT_MATCHED",
      "concerns about a newcomer are for the municipality's staff and the "
      "volunteers matched with the newcomer; ask the newcomer's caseworker "
      "if you are worried about them");
}

absl::Status Unexpected(const store::WriteResult& result,
                        absl::string_view name) {
  RETURN_IF_ERROR(store::StoreOutcomeToStatus(result, kConcernType, name));
  return absl::InternalError(
      absl::StrCat("unexpected store outcome writing ", name));
}

}  // namespace

// One Raise: what was asked, and what is learnt on the way.
struct Concerns::Attempt {
  const auth::Principal& principal;
  std::string municipality;
  std::string newcomer_id;
  v1::Concern asked;  // normalised newcomer, topic, description
  std::string request_id;
  std::string idempotency_key;  // empty without request_id
  std::string claim_field;
  std::optional<ResolvedContact> contact;  // resolved once, when creating
};

Concerns::Concerns(NotificationsContext& ctx, RegistryProjection& projection,
                   ConcernNotifier& notifier, Clock clock)
    : ctx_(ctx),
      projection_(projection),
      notifier_(notifier),
      clock_(std::move(clock)) {}

absl::StatusOr<Concerns::Stored> Concerns::Load(absl::string_view municipality,
                                                absl::string_view id) {
  return store::LoadResource<v1::Concern>(
      ctx_.store, municipality, kConcernCollection, id,
      ConcernName(municipality, id), kConcernType, "concern");
}

absl::StatusOr<std::optional<std::string>> Concerns::OpenConcernId(
    absl::string_view municipality, absl::string_view claim_field) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"HGET", ctx_.keys.OpenConcernClaims(municipality),
                     std::string(claim_field)}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  if (!reply.is_string()) return std::nullopt;
  return reply.str;
}

absl::Status Concerns::RequireNewcomerAccess(const auth::Principal& principal,
                                             absl::string_view municipality,
                                             absl::string_view newcomer_id) {
  if (IsConcernStaff(principal)) return absl::OkStatus();
  ASSIGN_OR_RETURN(
      bool granted,
      projection_.IsGranted(municipality, newcomer_id, principal.subject));
  return granted ? absl::OkStatus() : NotMatched();
}

absl::StatusOr<bool> Concerns::MayRead(const auth::Principal& principal,
                                       absl::string_view municipality,
                                       const v1::Concern& concern) {
  if (IsConcernStaff(principal)) return true;
  if (!principal.subject.empty() && principal.subject == concern.contact()) {
    return true;
  }
  return projection_.IsGranted(municipality, store::IdOf(concern.newcomer()),
                               principal.subject);
}

// ---- Raise ----------------------------------------------------------------

absl::StatusOr<RaiseResult> Concerns::Raise(const auth::Principal& principal,
                                            absl::string_view parent,
                                            v1::Concern concern,
                                            absl::string_view request_id) {
  ASSIGN_OR_RETURN(std::string municipality, ParseParent(parent, "parent"));
  RETURN_IF_ERROR(RequireConcernCaller(principal, municipality));
  RETURN_IF_ERROR(api::ValidateRequestId(request_id));
  NormalizeConcern(&concern);
  FieldViolations violations;
  auto newcomer_id =
      ParseActorId(concern.newcomer(), municipality, "concern.newcomer");
  if (!newcomer_id.ok()) {
    for (FieldViolation& v : FieldViolationsOf(newcomer_id.status())) {
      violations.Add(std::move(v.field), std::move(v.description));
    }
  }
  CheckConcernFields(concern, &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  // Before anything about the newcomer is looked up: a volunteer who may
  // not see them learns nothing, not even whether they exist.
  RETURN_IF_ERROR(RequireNewcomerAccess(principal, municipality, *newcomer_id));

  Attempt attempt{principal,
                  municipality,
                  *newcomer_id,
                  concern,
                  std::string(request_id),
                  /*idempotency_key=*/"",
                  OpenClaimField(*newcomer_id, concern.topic()),
                  /*contact=*/std::nullopt};
  if (!request_id.empty()) {
    attempt.idempotency_key =
        ctx_.keys.Request(municipality, kConcernCollection, request_id);
    ASSIGN_OR_RETURN(std::optional<std::string> replayed,
                     ctx_.store.LookupRequest(attempt.idempotency_key));
    if (replayed.has_value()) return Replay(attempt, *replayed);
  }
  ASSIGN_OR_RETURN(std::optional<rv1::Actor> newcomer,
                   projection_.FindActor(municipality, *newcomer_id));
  if (!newcomer.has_value() || newcomer->kind() != rv1::ACTOR_KIND_NEWCOMER) {
    return ResourceNotFoundError(kActorType, concern.newcomer());
  }

  ASSIGN_OR_RETURN(std::optional<std::string> open_id,
                   OpenConcernId(municipality, attempt.claim_field));
  for (int tries = 1; tries <= kMaxRaiseAttempts; ++tries) {
    std::optional<RaiseResult> result;
    if (open_id.has_value()) {
      ASSIGN_OR_RETURN(result, Join(attempt, *open_id));
    } else {
      if (!attempt.contact.has_value()) {
        // The newcomer's town picks the contact point of the area.
        ASSIGN_OR_RETURN(
            attempt.contact,
            projection_.ResolveContact(
                municipality, concern.topic(),
                newcomer->areas().empty() ? "" : newcomer->areas(0)));
      }
      ASSIGN_OR_RETURN(result, Create(attempt));
    }
    if (result.has_value()) return *std::move(result);
    // Lost a race (another raise created it first, or it was resolved
    // meanwhile): look again at what is open now.
    ASSIGN_OR_RETURN(open_id, OpenConcernId(municipality, attempt.claim_field));
  }
  return absl::AbortedError(
      "the concern kept changing while it was raised; retry");
}

absl::StatusOr<std::optional<RaiseResult>> Concerns::Create(Attempt& attempt) {
  const std::string& m = attempt.municipality;
  ASSIGN_OR_RETURN(int64_t numeric_id,
                   ctx_.store.NextId(m, kConcernCollection));
  const std::string id = absl::StrCat(numeric_id);
  const absl::Time now = clock_();

  v1::Concern concern;
  concern.set_name(ConcernName(m, id));
  concern.set_newcomer(attempt.asked.newcomer());
  concern.set_topic(attempt.asked.topic());
  concern.set_description(attempt.asked.description());
  concern.set_state(v1::Concern::STATE_OPEN);
  concern.set_contact_point(attempt.contact->contact_point);
  concern.set_contact(attempt.contact->contact);
  concern.set_contact_display_name(attempt.contact->contact_display_name);
  v1::ConcernReporter* reporter = concern.add_reporters();
  reporter->set_reporter(attempt.principal.subject);
  reporter->set_note(attempt.asked.description());
  *reporter->mutable_time() = store::ToTimestamp(now);
  *concern.mutable_create_time() = store::ToTimestamp(now);
  *concern.mutable_update_time() = store::ToTimestamp(now);

  v1::ConcernRaised payload;
  *payload.mutable_concern() = ForEvent(concern);
  const events::v1::Event event =
      events::MakeEvent(EventContextFor(attempt.principal, attempt.request_id),
                        m, concern.name(), payload, now);

  store::WriteSpec spec;
  spec.municipality = m;
  spec.collection = kConcernCollection;
  spec.id = id;
  spec.data = concern.SerializeAsString();
  spec.request_key = attempt.idempotency_key;
  // The newcomer's record in the projection, in the same step: once
  // NewcomerErased removed it, no concern about them can be created.
  spec.must_exist = {ctx_.keys.Actor(m, attempt.newcomer_id)};
  spec.take_claims = {{ctx_.keys.OpenConcernClaims(m), attempt.claim_field}};
  const double score = store::IdScore(id);
  spec.add_to_indexes = {
      {ctx_.keys.AllIndex(m, kConcernCollection), score},
      {ctx_.keys.Index(m, kConcernCollection, "newcomer", attempt.newcomer_id),
       score}};
  spec.event = event;
  spec.event_trail = ctx_.keys.ConcernEventTrail(m, attempt.newcomer_id);
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Create(spec));
  switch (result.outcome) {
    case store::WriteResult::Outcome::kOk: {
      Tell(ConcernNotice::kRaised, concern, event, "");
      return RaiseResult{WithEtag(concern, 1), false, RaisedMessage(concern)};
    }
    case store::WriteResult::Outcome::kRequestReplayed: {
      ASSIGN_OR_RETURN(RaiseResult replayed, Replay(attempt, result.id));
      return replayed;
    }
    case store::WriteResult::Outcome::kDuplicate:
      return std::nullopt;  // another raise was first: join it
    case store::WriteResult::Outcome::kMissing:
      return ResourceNotFoundError(kActorType, attempt.asked.newcomer());
    default:
      return Unexpected(result, concern.name());
  }
}

absl::StatusOr<std::optional<RaiseResult>> Concerns::Join(
    Attempt& attempt, const std::string& id) {
  const std::string& m = attempt.municipality;
  absl::StatusOr<Stored> loaded = Load(m, id);
  if (absl::IsNotFound(loaded.status())) return std::nullopt;  // erased
  RETURN_IF_ERROR(loaded.status());
  Stored stored = *std::move(loaded);
  v1::Concern concern = stored.resource;
  if (concern.state() != v1::Concern::STATE_OPEN) return std::nullopt;

  const absl::Time now = clock_();
  const std::string& who = attempt.principal.subject;
  const std::string& note = attempt.asked.description();
  auto reporters = concern.mutable_reporters();
  auto mine = std::find_if(reporters->begin(), reporters->end(),
                           [&](const v1::ConcernReporter& reporter) {
                             return reporter.reporter() == who;
                           });
  const bool already_on_it = mine != reporters->end();
  if (already_on_it) {
    if (mine->note().find(note) != std::string::npos) {
      // Nothing new: they are on it and said this before.
      return RaiseResult{WithEtag(concern, stored.version), true,
                         JoinedMessage(concern, true, now)};
    }
    const std::string longer = absl::StrCat(mine->note(), "\n\n", note);
    if (text::Utf8Length(longer) > kMaxConcernTextLength) {
      return InvalidFieldError(
          "concern.description",
          absl::StrCat("together with what you added to this concern before, "
                       "your notes would exceed ",
                       kMaxConcernTextLength,
                       " characters; say only what is new"));
    }
    mine->set_note(longer);
    *mine->mutable_time() = store::ToTimestamp(now);
  } else {
    if (concern.reporters_size() >= kMaxConcernReporters) {
      return PreconditionError(
          "REPORTERS", concern.name(),
          absl::StrCat("the concern already has ", kMaxConcernReporters,
                       " reporters; it is being handled by ",
                       concern.contact_display_name(),
                       ", whom you can contact directly"));
    }
    v1::ConcernReporter* reporter = concern.add_reporters();
    reporter->set_reporter(who);
    reporter->set_note(note);
    *reporter->mutable_time() = store::ToTimestamp(now);
  }
  *concern.mutable_update_time() = store::ToTimestamp(now);

  v1::ConcernJoined payload;
  *payload.mutable_concern() = ForEvent(concern);
  const events::v1::Event event =
      events::MakeEvent(EventContextFor(attempt.principal, attempt.request_id),
                        m, concern.name(), payload, now);
  store::WriteSpec spec =
      store::VersionedWriteSpec(m, kConcernCollection, id, stored.version);
  spec.data = concern.SerializeAsString();
  spec.request_key = attempt.idempotency_key;
  spec.event = event;
  spec.event_trail = ctx_.keys.ConcernEventTrail(m, attempt.newcomer_id);
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Update(spec));
  switch (result.outcome) {
    case store::WriteResult::Outcome::kOk:
      Tell(ConcernNotice::kJoined, concern, event, who);
      return RaiseResult{WithEtag(concern, result.version), true,
                         JoinedMessage(concern, already_on_it, now)};
    case store::WriteResult::Outcome::kRequestReplayed: {
      ASSIGN_OR_RETURN(RaiseResult replayed, Replay(attempt, result.id));
      return replayed;
    }
    case store::WriteResult::Outcome::kConflict:
    case store::WriteResult::Outcome::kNotFound:
      return std::nullopt;  // changed meanwhile: look again
    default:
      return Unexpected(result, concern.name());
  }
}

absl::StatusOr<RaiseResult> Concerns::Replay(const Attempt& attempt,
                                             const std::string& id) {
  ASSIGN_OR_RETURN(Stored stored, Load(attempt.municipality, id));
  const v1::Concern& concern = stored.resource;
  if (concern.newcomer() != attempt.asked.newcomer() ||
      concern.topic() != attempt.asked.topic()) {
    return InvalidFieldError(
        "request_id",
        "was used for another concern; send a new UUID with each new "
        "concern and the same one only when retrying");
  }
  const bool raised_it =
      concern.reporters_size() > 0 &&
      concern.reporters(0).reporter() == attempt.principal.subject;
  RaiseResult result;
  result.concern = WithEtag(concern, stored.version);
  result.joined_existing = !raised_it;
  result.message = raised_it ? RaisedMessage(concern)
                             : JoinedMessage(concern, false, clock_());
  return result;
}

// ---- Read -----------------------------------------------------------------

absl::StatusOr<v1::Concern> Concerns::Get(const auth::Principal& principal,
                                          absl::string_view name) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseConcernName(name, "name"));
  RETURN_IF_ERROR(RequireConcernCaller(principal, parsed.municipality));
  absl::StatusOr<Stored> stored = Load(parsed.municipality, parsed.id);
  if (absl::IsNotFound(stored.status()) && !IsConcernStaff(principal)) {
    return NotMatched();  // whether it exists is not theirs to learn
  }
  RETURN_IF_ERROR(stored.status());
  ASSIGN_OR_RETURN(bool may_read,
                   MayRead(principal, parsed.municipality, stored->resource));
  if (!may_read) return NotMatched();
  return WithEtag(stored->resource, stored->version);
}

absl::StatusOr<ConcernPage> Concerns::List(const auth::Principal& principal,
                                           absl::string_view parent,
                                           int32_t page_size,
                                           absl::string_view page_token,
                                           absl::string_view filter) {
  ASSIGN_OR_RETURN(std::string m, ParseParent(parent, "parent"));
  RETURN_IF_ERROR(RequireConcernCaller(principal, m));
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  ASSIGN_OR_RETURN(ConcernFilter compiled, CompileConcernFilter(filter));
  std::string index = ctx_.keys.AllIndex(m, kConcernCollection);
  if (!compiled.newcomer.empty()) {
    ASSIGN_OR_RETURN(std::string newcomer_id,
                     ParseActorId(compiled.newcomer, m, "filter"));
    const bool is_contact_query =
        !compiled.contact.empty() && compiled.contact == principal.subject;
    if (!is_contact_query) {
      RETURN_IF_ERROR(RequireNewcomerAccess(principal, m, newcomer_id));
    }
    index = ctx_.keys.Index(m, kConcernCollection, "newcomer", newcomer_id);
  }
  const std::string fingerprint =
      absl::StrCat("concerns\n", m, "\n", principal.subject, "\n", filter);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  if (!cursor.empty() && !api::IsValidNumericId(cursor)) {
    return InvalidFieldError("page_token", "is not a page token of this list");
  }

  // Whether the caller may see each newcomer, asked once per newcomer.
  std::map<std::string, bool> may_see;
  absl::Status lookup_error;
  auto accepts = [&](const v1::Concern& concern) {
    if (!FilterAccepts(compiled, concern)) return false;
    if (IsConcernStaff(principal) || concern.contact() == principal.subject) {
      return true;
    }
    auto [seen, inserted] = may_see.emplace(concern.newcomer(), false);
    if (inserted) {
      absl::StatusOr<bool> granted = projection_.IsGranted(
          m, store::IdOf(concern.newcomer()), principal.subject);
      if (!granted.ok()) {
        lookup_error = granted.status();
        return false;
      }
      seen->second = *granted;
    }
    return seen->second;
  };
  ASSIGN_OR_RETURN(store::IndexPage<v1::Concern> page,
                   store::ScanIndexPage<v1::Concern>(
                       ctx_.store, m, kConcernCollection, index, size, cursor,
                       kMaxScannedPerPage, accepts, /*newest_first=*/true));
  RETURN_IF_ERROR(lookup_error);
  ConcernPage out;
  out.concerns = std::move(page.items);
  if (!page.next_cursor.empty()) {
    out.next_page_token = api::EncodePageToken(page.next_cursor, fingerprint);
  }
  return out;
}

// ---- Resolve --------------------------------------------------------------

absl::StatusOr<v1::Concern> Concerns::Resolve(const auth::Principal& principal,
                                              absl::string_view name,
                                              absl::string_view resolution,
                                              absl::string_view etag) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseConcernName(name, "name"));
  const std::string& m = parsed.municipality;
  RETURN_IF_ERROR(RequireConcernCaller(principal, m));
  const std::string text(absl::StripAsciiWhitespace(resolution));
  FieldViolations violations;
  api::CheckText(text, kMaxConcernTextLength, /*required=*/true, "resolution",
                 "say how it was resolved, for everyone who raised it",
                 &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<Stored> loaded = Load(m, parsed.id);
    if (absl::IsNotFound(loaded.status()) && !IsConcernStaff(principal)) {
      return NotMatched();
    }
    RETURN_IF_ERROR(loaded.status());
    const Stored& stored = *loaded;
    if (!IsConcernStaff(principal) &&
        (principal.subject.empty() ||
         principal.subject != stored.resource.contact())) {
      return PermissionDeniedError(
          "NOT_CONTACT",
          "a concern is resolved by the contact handling it or by the "
          "municipality's staff");
    }
    RETURN_IF_ERROR(store::CheckEtag(etag, stored.version, name, "etag"));
    if (stored.resource.state() != v1::Concern::STATE_OPEN) {
      return PreconditionError(
          "STATE", name,
          "the concern is resolved already; raise a new one if the problem "
          "came back");
    }
    const absl::Time now = clock_();
    v1::Concern concern = stored.resource;
    concern.set_state(v1::Concern::STATE_RESOLVED);
    concern.set_resolution(text);
    *concern.mutable_resolve_time() = store::ToTimestamp(now);
    *concern.mutable_update_time() = store::ToTimestamp(now);

    v1::ConcernResolved payload;
    *payload.mutable_concern() = ForEvent(concern);
    const events::v1::Event event = events::MakeEvent(
        EventContextFor(principal), m, concern.name(), payload, now);
    const std::string newcomer_id = store::IdOf(concern.newcomer());
    store::WriteSpec spec = store::VersionedWriteSpec(
        m, kConcernCollection, parsed.id, stored.version);
    spec.data = concern.SerializeAsString();
    // The next raise on the newcomer and topic opens a new concern.
    spec.release_claims = {{ctx_.keys.OpenConcernClaims(m),
                            OpenClaimField(newcomer_id, concern.topic())}};
    spec.event = event;
    spec.event_trail = ctx_.keys.ConcernEventTrail(m, newcomer_id);
    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Update(spec));
    if (result.outcome == store::WriteResult::Outcome::kOk) {
      Tell(ConcernNotice::kResolved, concern, event, "");
      return WithEtag(concern, result.version);
    }
    if (store::ShouldRetryWrite(result, etag, attempt)) continue;
    if (result.outcome == store::WriteResult::Outcome::kConflict &&
        etag.empty()) {
      return absl::AbortedError(
          "the concern kept changing while it was resolved; retry");
    }
    return Unexpected(result, concern.name());
  }
}

// ---- Erasure --------------------------------------------------------------

absl::Status Concerns::EraseNewcomer(absl::string_view municipality,
                                     absl::string_view newcomer_id) {
  const std::string m(municipality);
  const NotificationsKeys& keys = ctx_.keys;
  const std::string by_newcomer =
      keys.Index(m, kConcernCollection, "newcomer", newcomer_id);
  const std::string trail = keys.ConcernEventTrail(m, newcomer_id);
  for (bool first = true;; first = false) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     ctx_.store.Scan(by_newcomer, 0, kEraseBatch));
    if (ids.empty() && !first) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::vector<store::Document> documents,
                     ctx_.store.GetMany(m, kConcernCollection, ids));
    store::CheckedBatch batch;
    for (const store::Document& document : documents) {
      v1::Concern concern;
      if (concern.ParseFromString(document.data)) {
        batch.HashDeleteIf(keys.OpenConcernClaims(m),
                           OpenClaimField(newcomer_id, concern.topic()),
                           document.id);
      }
    }
    for (const std::string& id : ids) {
      batch.Delete(ctx_.store.DocumentKey(m, kConcernCollection, id));
      batch.SortedSetRemove(keys.AllIndex(m, kConcernCollection), id);
      batch.SortedSetRemove(by_newcomer, id);
    }
    // The events said who reported what about whom, and when.
    batch.EraseEventTrail(keys.space().EventStream(m), trail);
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, batch.Run(ctx_.pool));
    if (!outcome.applied) {
      return absl::InternalError("erasing concerns was refused unexpectedly");
    }
    if (ids.empty()) return absl::OkStatus();
  }
}

// ---- Telling ----------------------------------------------------------------

void Concerns::Tell(ConcernNotice::Kind kind, const v1::Concern& concern,
                    const events::v1::Event& event,
                    absl::string_view joined_by) {
  ConcernNotice notice;
  notice.kind = kind;
  notice.concern = concern;
  notice.recipients =
      ConcernRecipients(kind, concern, joined_by, event.municipality());
  notice.event_id = event.id();
  notice.joined_by = std::string(joined_by);
  if (notice.recipients.empty()) return;
  const absl::Status status = notifier_.Notify(notice);
  if (!status.ok()) {
    // The change stands; the notice is rebuilt from its event
    // (NoticeForEvent) by whoever follows the service's stream.
    log::Warning("concern notice not delivered; left to the event stream",
                 {{"concern", concern.name()},
                  {"event_id", event.id()},
                  {"error", status.ToString()}});
  }
}

absl::StatusOr<std::optional<ConcernNotice>> Concerns::NoticeForEvent(
    const events::v1::Event& event) {
  ConcernNotice notice;
  std::string name;
  if (v1::ConcernRaised raised; event.payload().UnpackTo(&raised)) {
    notice.kind = ConcernNotice::kRaised;
    name = raised.concern().name();
  } else if (v1::ConcernJoined joined; event.payload().UnpackTo(&joined)) {
    notice.kind = ConcernNotice::kJoined;
    name = joined.concern().name();
    notice.joined_by = event.caused_by();
  } else if (v1::ConcernResolved resolved;
             event.payload().UnpackTo(&resolved)) {
    notice.kind = ConcernNotice::kResolved;
    name = resolved.concern().name();
  } else {
    return std::nullopt;
  }
  ASSIGN_OR_RETURN(ParsedName parsed, ParseConcernName(name, "concern.name"));
  absl::StatusOr<Stored> stored = Load(parsed.municipality, parsed.id);
  if (absl::IsNotFound(stored.status())) return std::nullopt;  // erased
  RETURN_IF_ERROR(stored.status());
  if (notice.kind != ConcernNotice::kResolved &&
      stored->resource.state() != v1::Concern::STATE_OPEN) {
    return std::nullopt;  // resolved since: the resolution is the news
  }
  notice.concern = WithEtag(stored->resource, stored->version);
  notice.recipients = ConcernRecipients(notice.kind, notice.concern,
                                        notice.joined_by, parsed.municipality);
  notice.event_id = event.id();
  return notice;
}

}  // namespace brobygger::notifications
