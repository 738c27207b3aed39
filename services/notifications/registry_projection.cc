#include "services/notifications/registry_projection.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "brobygger/matching/v1/events.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "brobygger/registry/v1/municipality.pb.h"
#include "common/redis/lua_script.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "common/text/fold.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;
namespace mv1 = ::brobygger::matching::v1;

// Index of the volunteers active in the whole municipality (no area).
constexpr char kWholeMunicipality[] = "*";
// The value of an ended match in a grants hash.
constexpr char kEnded[] = "-";

// KEYS: record, tombstones, state.
// ARGV: tombstone member, updated (Unix ms), data, event time (Unix ms),
// new index keys joined by "\n", placement signature.
// Stores the record unless it is tombstoned or the stored one is newer,
// moving the id between index sets ("ix" holds the previous ones). Returns
// {wrote (0/1), previous placement signature}.
const redis::LuaScript& PutScript() {
  static const auto* script = new redis::LuaScript(R"lua(
local current = tonumber(redis.call('HGET', KEYS[3], 'as_of') or '0')
if tonumber(ARGV[4]) > current then
  redis.call('HSET', KEYS[3], 'as_of', ARGV[4])
end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return {0, ''} end
local stored = tonumber(redis.call('HGET', KEYS[1], 'u') or '-1')
if stored > tonumber(ARGV[2]) then return {0, ''} end
local id = ARGV[7]
local old = redis.call('HGET', KEYS[1], 'ix') or ''
for key in string.gmatch(old, '[^\n]+') do redis.call('SREM', key, id) end
for key in string.gmatch(ARGV[5], '[^\n]+') do redis.call('SADD', key, id) end
local placed = redis.call('HGET', KEYS[1], 'p') or ''
redis.call('HSET', KEYS[1], 'u', ARGV[2], 'd', ARGV[3], 'ix', ARGV[5],
           'p', ARGV[6])
return {1, placed}
)lua");
  return *script;
}

// KEYS: record, tombstones, state. ARGV: tombstone member, event time,
// id. Removes the record and its index entries, and leaves a tombstone.
const redis::LuaScript& RemoveScript() {
  static const auto* script = new redis::LuaScript(R"lua(
local current = tonumber(redis.call('HGET', KEYS[3], 'as_of') or '0')
if tonumber(ARGV[2]) > current then
  redis.call('HSET', KEYS[3], 'as_of', ARGV[2])
end
local old = redis.call('HGET', KEYS[1], 'ix') or ''
for key in string.gmatch(old, '[^\n]+') do redis.call('SREM', key, ARGV[3]) end
redis.call('SADD', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])
)lua");
  return *script;
}

// KEYS: grants hash, tombstones. ARGV: match id, volunteer name or "-"
// for ended, the newcomer's tombstone member. An ended match stays ended,
// and an erased newcomer gets no grants back: matching's events arrive on
// another stream, so its MatchEnded (or a redelivered MatchAccepted) may
// come after the NewcomerErased that deleted the hash. Returns 1 if the
// grants changed.
const redis::LuaScript& GrantScript() {
  static const auto* script = new redis::LuaScript(R"lua(
if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 1 then return 0 end
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored == '-' or stored == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
)lua");
  return *script;
}

std::string Millis(absl::Time time) {
  return absl::StrCat(absl::ToUnixMillis(time));
}

absl::Time UpdateTimeOr(const google::protobuf::Timestamp& update_time,
                        const events::v1::Event& event) {
  return update_time.seconds() != 0 || update_time.nanos() != 0
             ? store::FromTimestamp(update_time)
             : store::FromTimestamp(event.time());
}

std::string StateKey(const NotificationsKeys& keys, absl::string_view m) {
  return keys.space().Key(m, {"registry", "state"});
}

// Whether a newcomer may be announced to local welcome contacts: they
// agreed to be contacted by volunteers and to the sharing of the redacted
// view.
bool MayBeAnnounced(const rv1::Actor& newcomer) {
  return newcomer.newcomer().consent().volunteer_contact() &&
         newcomer.newcomer().consent().data_sharing();
}

// Where a newcomer is placed, as far as announcing goes: their folded
// towns while they may be announced, else "".
std::string PlacementSignature(const rv1::Actor& actor) {
  if (actor.kind() != rv1::ACTOR_KIND_NEWCOMER || !MayBeAnnounced(actor)) {
    return "";
  }
  std::vector<std::string> areas;
  for (const std::string& area : actor.areas()) {
    areas.push_back(text::FoldForSearch(area));
  }
  std::sort(areas.begin(), areas.end());
  return absl::StrJoin(areas, ",");
}

template <typename Message>
absl::StatusOr<std::optional<Message>> ParseRecord(const redis::Reply& reply,
                                                   absl::string_view what) {
  if (!reply.is_string()) return std::nullopt;
  Message message;
  if (!message.ParseFromString(reply.str)) {
    return absl::DataLossError(
        absl::StrCat("stored ", what, " does not parse"));
  }
  return message;
}

std::vector<std::string> SortedIds(const redis::Reply& reply) {
  std::vector<std::string> ids;
  for (const redis::Reply& element : reply.elements) ids.push_back(element.str);
  std::sort(ids.begin(), ids.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() != b.size() ? a.size() < b.size() : a < b;
            });
  return ids;
}

}  // namespace

rv1::Actor RegistryProjection::Minimised(const rv1::Actor& actor) {
  rv1::Actor out;
  out.set_name(actor.name());
  out.set_kind(actor.kind());
  *out.mutable_areas() = actor.areas();
  *out.mutable_update_time() = actor.update_time();
  if (actor.kind() == rv1::ACTOR_KIND_NEWCOMER) {
    // The redacted view and the consent, as the registry discloses it to a
    // matched volunteer (registry/disclosure.cc).
    out.set_display_name(actor.newcomer().first_name());
    *out.mutable_languages() = actor.languages();
    rv1::NewcomerProfile* newcomer = out.mutable_newcomer();
    newcomer->set_first_name(actor.newcomer().first_name());
    *newcomer->mutable_needs() = actor.newcomer().needs();
    *newcomer->mutable_consent() = actor.newcomer().consent();
    out.set_view(rv1::DISCLOSURE_VIEW_REDACTED);
    return out;
  }
  out.set_display_name(actor.display_name());
  out.set_parent(actor.parent());
  out.set_view(rv1::DISCLOSURE_VIEW_PUBLIC);
  return out;
}

absl::StatusOr<ProjectionChange> RegistryProjection::Apply(
    const events::v1::Event& event) {
  const std::string& m = event.municipality();
  ProjectionChange change;
  change.municipality = m;
  if (m.empty()) return change;
  const NotificationsKeys& keys = ctx_.keys;
  const absl::Time event_time = store::FromTimestamp(event.time());
  const google::protobuf::Any& payload = event.payload();

  if (rv1::ActorCreated created; payload.UnpackTo(&created)) {
    return PutActor(event, created.actor());
  }
  if (rv1::ActorUpdated updated; payload.UnpackTo(&updated)) {
    return PutActor(event, updated.actor());
  }
  if (rv1::ActorDeleted deleted; payload.UnpackTo(&deleted)) {
    return RemoveActor(event, deleted.name(), /*erased=*/false);
  }
  if (rv1::NewcomerErased erased; payload.UnpackTo(&erased)) {
    return RemoveActor(event, erased.name(), /*erased=*/true);
  }

  rv1::ContactPoint contact_point;
  if (rv1::ContactPointCreated created; payload.UnpackTo(&created)) {
    contact_point = created.contact_point();
  } else if (rv1::ContactPointUpdated updated; payload.UnpackTo(&updated)) {
    contact_point = updated.contact_point();
  }
  if (!contact_point.name().empty()) {
    const std::string id = store::IdOf(contact_point.name());
    RETURN_IF_ERROR(
        PutRecord(m, keys.ContactPoint(m, id),
                  keys.ContactPointsOfTopic(m, contact_point.topic()), id,
                  UpdateTimeOr(contact_point.update_time(), event),
                  contact_point.SerializeAsString(), event_time));
    return change;
  }
  if (rv1::ContactPointDeleted deleted; payload.UnpackTo(&deleted)) {
    const std::string id = store::IdOf(deleted.name());
    RETURN_IF_ERROR(RemoveRecord(m, keys.ContactPoint(m, id), id, event_time));
    return change;
  }

  rv1::Forum forum;
  if (rv1::ForumCreated created; payload.UnpackTo(&created)) {
    forum = created.forum();
  } else if (rv1::ForumUpdated updated; payload.UnpackTo(&updated)) {
    forum = updated.forum();
  } else if (rv1::ForumDissolved dissolved; payload.UnpackTo(&dissolved)) {
    forum = dissolved.forum();
  }
  if (!forum.name().empty()) {
    const std::string id = store::IdOf(forum.name());
    RETURN_IF_ERROR(PutRecord(m, keys.Forum(m, id), "", id,
                              UpdateTimeOr(forum.update_time(), event),
                              forum.SerializeAsString(), event_time));
    return change;
  }
  if (rv1::ForumDeleted deleted; payload.UnpackTo(&deleted)) {
    const std::string id = store::IdOf(deleted.name());
    RETURN_IF_ERROR(RemoveRecord(m, keys.Forum(m, id), id, event_time));
    return change;
  }

  rv1::Municipality municipality;
  if (rv1::MunicipalityCreated created; payload.UnpackTo(&created)) {
    municipality = created.municipality();
  } else if (rv1::MunicipalityUpdated updated; payload.UnpackTo(&updated)) {
    municipality = updated.municipality();
  }
  if (!municipality.name().empty()) {
    RETURN_IF_ERROR(PutRecord(m, keys.Municipality(m), "", "municipality",
                              UpdateTimeOr(municipality.update_time(), event),
                              municipality.SerializeAsString(), event_time));
    return change;
  }

  mv1::Match match;
  bool granted = false;
  if (mv1::MatchAccepted accepted; payload.UnpackTo(&accepted)) {
    match = accepted.match();
    granted = true;
  } else if (mv1::MatchActivated activated; payload.UnpackTo(&activated)) {
    match = activated.match();
    granted = true;
  } else if (mv1::MatchEnded ended; payload.UnpackTo(&ended)) {
    match = ended.match();
  }
  if (!match.name().empty() && !match.newcomer().empty()) {
    return ApplyGrant(event, store::IdOf(match.name()),
                      store::IdOf(match.newcomer()), match.volunteer(),
                      granted);
  }
  return change;
}

absl::StatusOr<ProjectionChange> RegistryProjection::PutActor(
    const events::v1::Event& event, const rv1::Actor& actor) {
  const std::string& m = event.municipality();
  const NotificationsKeys& keys = ctx_.keys;
  const std::string id = store::IdOf(actor.name());
  std::vector<std::string> indexes = {
      keys.ActorsOfKind(m, static_cast<int>(actor.kind()))};
  if (actor.kind() == rv1::ACTOR_KIND_VOLUNTEER) {
    if (actor.areas().empty()) {
      indexes.push_back(keys.VolunteersInArea(m, kWholeMunicipality));
    }
    for (const std::string& area : actor.areas()) {
      indexes.push_back(keys.VolunteersInArea(m, text::FoldForSearch(area)));
    }
  }
  if (actor.kind() != rv1::ACTOR_KIND_NEWCOMER && !actor.parent().empty()) {
    indexes.push_back(keys.Members(m, store::IdOf(actor.parent())));
  }
  const std::string placement = PlacementSignature(actor);
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      PutScript().Run(
          ctx_.pool,
          {keys.Actor(m, id), keys.ActorTombstones(m), StateKey(keys, m)},
          {keys.Actor(m, id), Millis(UpdateTimeOr(actor.update_time(), event)),
           Minimised(actor).SerializeAsString(),
           Millis(store::FromTimestamp(event.time())),
           absl::StrJoin(indexes, "\n"), placement, id}));
  if (reply.is_error()) {
    return absl::UnavailableError(
        absl::StrCat("cannot store actor: ", reply.str));
  }
  ProjectionChange change;
  change.municipality = m;
  change.actor = actor.name();
  if (reply.elements.size() != 2 || reply.elements[0].integer != 1) {
    return change;
  }
  change.kind = ProjectionChange::Kind::kActorUpserted;
  if (!placement.empty() && placement != reply.elements[1].str) {
    change.kind = ProjectionChange::Kind::kNewcomerPlaced;
  }
  return change;
}

absl::StatusOr<ProjectionChange> RegistryProjection::RemoveActor(
    const events::v1::Event& event, absl::string_view name, bool erased) {
  const std::string& m = event.municipality();
  const std::string id = store::IdOf(name);
  RETURN_IF_ERROR(RemoveRecord(m, ctx_.keys.Actor(m, id), id,
                               store::FromTimestamp(event.time())));
  ProjectionChange change;
  change.municipality = m;
  change.actor = std::string(name);
  change.kind = ProjectionChange::Kind::kActorRemoved;
  if (erased) {
    // Reported even when already removed, so a redelivery after a crash
    // still erases everything held about the newcomer.
    ASSIGN_OR_RETURN(redis::Reply reply,
                     ctx_.pool.Run({"DEL", ctx_.keys.Grants(m, id)}));
    if (reply.is_error()) return absl::UnavailableError(reply.str);
    change.kind = ProjectionChange::Kind::kNewcomerErased;
  }
  return change;
}

absl::Status RegistryProjection::PutRecord(
    absl::string_view municipality, const std::string& key,
    const std::string& set, absl::string_view id, absl::Time updated,
    const std::string& data, absl::Time event_time) {
  const NotificationsKeys& keys = ctx_.keys;
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      PutScript().Run(ctx_.pool,
                      {key, keys.ActorTombstones(municipality),
                       StateKey(keys, municipality)},
                      {key, Millis(updated), data, Millis(event_time), set, "",
                       std::string(id)}));
  if (reply.is_error()) {
    return absl::UnavailableError(
        absl::StrCat("cannot store registry record: ", reply.str));
  }
  return absl::OkStatus();
}

absl::Status RegistryProjection::RemoveRecord(absl::string_view municipality,
                                              const std::string& key,
                                              absl::string_view id,
                                              absl::Time event_time) {
  const NotificationsKeys& keys = ctx_.keys;
  // The tombstone is the record's key: one set serves actors, contact
  // points and fora.
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      RemoveScript().Run(ctx_.pool,
                         {key, keys.ActorTombstones(municipality),
                          StateKey(keys, municipality)},
                         {key, Millis(event_time), std::string(id)}));
  if (reply.is_error()) {
    return absl::UnavailableError(
        absl::StrCat("cannot remove registry record: ", reply.str));
  }
  return absl::OkStatus();
}

absl::StatusOr<ProjectionChange> RegistryProjection::ApplyGrant(
    const events::v1::Event& event, absl::string_view match,
    absl::string_view newcomer, absl::string_view volunteer, bool granted) {
  const std::string& m = event.municipality();
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      GrantScript().Run(
          ctx_.pool,
          {ctx_.keys.Grants(m, newcomer), ctx_.keys.ActorTombstones(m)},
          {std::string(match), granted ? std::string(volunteer) : kEnded,
           ctx_.keys.Actor(m, newcomer)}));
  if (reply.is_error()) {
    return absl::UnavailableError(
        absl::StrCat("cannot store grant: ", reply.str));
  }
  ProjectionChange change;
  change.municipality = m;
  change.actor = ActorName(m, newcomer);
  change.volunteer = std::string(volunteer);
  if (reply.integer == 1) {
    change.kind = granted ? ProjectionChange::Kind::kGrantAdded
                          : ProjectionChange::Kind::kGrantRemoved;
  }
  return change;
}

absl::StatusOr<std::optional<rv1::Actor>> RegistryProjection::FindActor(
    absl::string_view municipality, absl::string_view actor_id) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"HGET", ctx_.keys.Actor(municipality, actor_id), "d"}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  return ParseRecord<rv1::Actor>(reply, "actor");
}

absl::StatusOr<std::vector<rv1::Actor>> RegistryProjection::FindActors(
    absl::string_view municipality, const std::vector<std::string>& ids) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(ids.size());
  for (const std::string& id : ids) {
    commands.push_back({"HGET", ctx_.keys.Actor(municipality, id), "d"});
  }
  ASSIGN_OR_RETURN(std::vector<redis::Reply> replies,
                   ctx_.pool.Pipeline(commands));
  std::vector<rv1::Actor> actors;
  actors.reserve(replies.size());
  for (const redis::Reply& reply : replies) {
    if (reply.is_error()) return absl::UnavailableError(reply.str);
    ASSIGN_OR_RETURN(std::optional<rv1::Actor> actor,
                     ParseRecord<rv1::Actor>(reply, "actor"));
    if (actor.has_value()) actors.push_back(*std::move(actor));
  }
  return actors;
}

absl::StatusOr<std::vector<std::string>> RegistryProjection::Granted(
    absl::string_view municipality, absl::string_view newcomer_id) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"HVALS", ctx_.keys.Grants(municipality, newcomer_id)}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  std::vector<std::string> volunteers;
  for (const redis::Reply& element : reply.elements) {
    if (element.str == kEnded) continue;
    if (std::find(volunteers.begin(), volunteers.end(), element.str) ==
        volunteers.end()) {
      volunteers.push_back(element.str);
    }
  }
  std::sort(volunteers.begin(), volunteers.end());
  return volunteers;
}

absl::StatusOr<bool> RegistryProjection::IsGranted(
    absl::string_view municipality, absl::string_view newcomer_id,
    absl::string_view volunteer) {
  ASSIGN_OR_RETURN(std::vector<std::string> volunteers,
                   Granted(municipality, newcomer_id));
  return std::find(volunteers.begin(), volunteers.end(), volunteer) !=
         volunteers.end();
}

absl::StatusOr<std::vector<std::string>> RegistryProjection::ActorIdsOfKind(
    absl::string_view municipality, rv1::ActorKind kind) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"SMEMBERS", ctx_.keys.ActorsOfKind(
                                     municipality, static_cast<int>(kind))}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  return SortedIds(reply);
}

absl::StatusOr<std::vector<std::string>> RegistryProjection::VolunteerIdsInArea(
    absl::string_view municipality, absl::string_view area) {
  if (area.empty()) {
    return ActorIdsOfKind(municipality, rv1::ACTOR_KIND_VOLUNTEER);
  }
  const NotificationsKeys& keys = ctx_.keys;
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run(
          {"SUNION",
           keys.VolunteersInArea(municipality, text::FoldForSearch(area)),
           keys.VolunteersInArea(municipality, kWholeMunicipality)}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  return SortedIds(reply);
}

absl::StatusOr<std::vector<std::string>> RegistryProjection::MemberIds(
    absl::string_view municipality, absl::string_view organisation_id) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run(
          {"SMEMBERS", ctx_.keys.Members(municipality, organisation_id)}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  return SortedIds(reply);
}

absl::StatusOr<std::optional<rv1::Forum>> RegistryProjection::FindForum(
    absl::string_view municipality, absl::string_view forum_id) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"HGET", ctx_.keys.Forum(municipality, forum_id), "d"}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  return ParseRecord<rv1::Forum>(reply, "forum");
}

absl::StatusOr<ResolvedContact> RegistryProjection::ResolveContact(
    absl::string_view municipality, absl::string_view topic,
    absl::string_view area) {
  const NotificationsKeys& keys = ctx_.keys;
  ASSIGN_OR_RETURN(redis::Reply ids,
                   ctx_.pool.Run({"SMEMBERS", keys.ContactPointsOfTopic(
                                                  municipality, topic)}));
  if (ids.is_error()) return absl::UnavailableError(ids.str);
  std::vector<std::vector<std::string>> commands;
  for (const std::string& id : SortedIds(ids)) {
    commands.push_back({"HGET", keys.ContactPoint(municipality, id), "d"});
  }
  ASSIGN_OR_RETURN(std::vector<redis::Reply> replies,
                   ctx_.pool.Pipeline(commands));
  const std::string folded_area = text::FoldForSearch(area);
  // Candidates in order of preference, ids ascending within each kind, as
  // the registry orders them.
  std::vector<rv1::ContactPoint> for_area;
  std::vector<rv1::ContactPoint> for_topic;
  for (const redis::Reply& reply : replies) {
    if (reply.is_error()) return absl::UnavailableError(reply.str);
    ASSIGN_OR_RETURN(std::optional<rv1::ContactPoint> point,
                     ParseRecord<rv1::ContactPoint>(reply, "contact point"));
    // A record moved to another topic stays in the old set only until its
    // update is applied; the record itself says where it belongs.
    if (!point.has_value() || point->topic() != topic) continue;
    if (point->areas().empty()) {
      for_topic.push_back(*std::move(point));
      continue;
    }
    if (folded_area.empty()) continue;
    for (const std::string& covered : point->areas()) {
      if (text::FoldForSearch(covered) == folded_area) {
        for_area.push_back(*std::move(point));
        break;
      }
    }
  }
  std::vector<rv1::ContactPoint> candidates = std::move(for_area);
  for (rv1::ContactPoint& point : for_topic) {
    candidates.push_back(std::move(point));
  }
  std::vector<std::string> contact_ids;
  for (const rv1::ContactPoint& point : candidates) {
    contact_ids.push_back(store::IdOf(point.contact()));
  }
  ASSIGN_OR_RETURN(std::vector<rv1::Actor> contacts,
                   FindActors(municipality, contact_ids));
  // Like the registry, a contact point whose contact is not (or no longer)
  // an actor is passed over rather than named.
  for (const rv1::ContactPoint& point : candidates) {
    for (const rv1::Actor& actor : contacts) {
      if (actor.name() != point.contact()) continue;
      ResolvedContact resolved;
      resolved.contact_point = point.name();
      resolved.contact = point.contact();
      resolved.contact_display_name = actor.display_name();
      return resolved;
    }
  }

  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"HGET", keys.Municipality(municipality), "d"}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  ASSIGN_OR_RETURN(std::optional<rv1::Municipality> record,
                   ParseRecord<rv1::Municipality>(reply, "municipality"));
  std::optional<rv1::Actor> coordinator;
  if (record.has_value() && !record->coordinator().empty()) {
    ASSIGN_OR_RETURN(
        coordinator,
        FindActor(municipality, store::IdOf(record->coordinator())));
  }
  if (!coordinator.has_value()) {
    return PreconditionError(
        "NO_CONTACT", MunicipalityName(municipality),
        absl::StrCat("the municipality has no contact point for \"", topic,
                     "\" and no coordinator in the registry: ask a caseworker "
                     "to create a contact point for the topic or set the "
                     "municipality's coordinator"));
  }
  ResolvedContact resolved;
  resolved.contact = coordinator->name();
  resolved.contact_display_name = coordinator->display_name();
  return resolved;
}

absl::StatusOr<absl::Time> RegistryProjection::AsOf(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"HGET", StateKey(ctx_.keys, municipality), "as_of"}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  int64_t millis = 0;
  if (!reply.is_string() || !absl::SimpleAtoi(reply.str, &millis)) {
    return absl::InfinitePast();
  }
  return absl::FromUnixMillis(millis);
}

}  // namespace brobygger::notifications
