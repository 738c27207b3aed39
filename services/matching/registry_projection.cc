#include "services/matching/registry_projection.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/redis/lua_script.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"

namespace brobygger::matching {
namespace {

namespace rv1 = ::brobygger::registry::v1;

// The candidate-change stream keeps about this many entries; an index
// further behind reloads everything.
constexpr int64_t kChangeStreamMaxLen = 100'000;

// Moves the projection's "as of" forward (never back: a redelivered old
// event must not make the projection look older).
constexpr char kLuaTouch[] = R"lua(
local function touch(state, event_ms)
  local current = tonumber(redis.call('HGET', state, 'as_of') or '0')
  if tonumber(event_ms) > current then
    redis.call('HSET', state, 'as_of', event_ms)
  end
end
)lua";

// KEYS: record, id set, tombstones, change stream, state.
// ARGV: id, updated (Unix ms), serialized actor, is volunteer ("1"/"0"),
// event time (Unix ms), change stream max length.
// Stores the record unless the actor is tombstoned or the stored record is
// newer. Returns 1 if it wrote.
const redis::LuaScript& PutScript() {
  static const auto* script =
      new redis::LuaScript(absl::StrCat(kLuaTouch, R"lua(
touch(KEYS[5], ARGV[5])
if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 then return 0 end
local stored = tonumber(redis.call('HGET', KEYS[1], 'u') or '-1')
if stored > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'u', ARGV[2], 'd', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
if ARGV[4] == '1' then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[6], '*', 'v', ARGV[1])
end
return 1
)lua"));
  return *script;
}

// KEYS: record, id set, tombstones, change stream, state.
// ARGV: id, is volunteer, event time (Unix ms), change stream max length.
const redis::LuaScript& RemoveScript() {
  static const auto* script =
      new redis::LuaScript(absl::StrCat(kLuaTouch, R"lua(
touch(KEYS[5], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
local existed = redis.call('DEL', KEYS[1])
if ARGV[2] == '1' then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[4], '*', 'v', ARGV[1])
end
return existed
)lua"));
  return *script;
}

absl::Time UpdateTimeOf(const rv1::Actor& actor,
                        const events::v1::Event& event) {
  return actor.has_update_time() ? store::FromTimestamp(actor.update_time())
                                 : store::FromTimestamp(event.time());
}

std::string Millis(absl::Time time) {
  return absl::StrCat(absl::ToUnixMillis(time));
}

}  // namespace

rv1::Actor RegistryProjection::Minimised(const rv1::Actor& actor) {
  rv1::Actor out;
  out.set_name(actor.name());
  out.set_kind(actor.kind());
  *out.mutable_areas() = actor.areas();
  *out.mutable_languages() = actor.languages();
  *out.mutable_interests() = actor.interests();
  *out.mutable_availability() = actor.availability();
  *out.mutable_update_time() = actor.update_time();
  if (actor.kind() == rv1::ACTOR_KIND_VOLUNTEER) {
    out.set_display_name(actor.display_name());
    out.set_parent(actor.parent());
    *out.mutable_competences() = actor.competences();
    *out.mutable_volunteer() = actor.volunteer();
  } else if (actor.kind() == rv1::ACTOR_KIND_NEWCOMER) {
    rv1::NewcomerProfile* newcomer = out.mutable_newcomer();
    *newcomer->mutable_needs() = actor.newcomer().needs();
    *newcomer->mutable_household() = actor.newcomer().household();
    *newcomer->mutable_consent() = actor.newcomer().consent();
    newcomer->set_gender(actor.newcomer().gender());
  }
  return out;
}

absl::StatusOr<ProjectionChange> RegistryProjection::Apply(
    const events::v1::Event& event) {
  const std::string& m = event.municipality();
  ProjectionChange change;
  change.municipality = m;
  if (m.empty()) return change;
  const MatchingKeys& keys = ctx_.keys;
  const absl::Time event_time = store::FromTimestamp(event.time());

  rv1::ActorCreated created;
  rv1::ActorUpdated updated;
  rv1::ActorDeleted deleted;
  rv1::NewcomerErased erased;
  const rv1::Actor* actor = nullptr;
  if (event.payload().UnpackTo(&created)) {
    actor = &created.actor();
  } else if (event.payload().UnpackTo(&updated)) {
    actor = &updated.actor();
  }
  if (actor != nullptr) {
    const std::string id = store::IdOf(actor->name());
    change.actor = actor->name();
    if (actor->kind() == rv1::ACTOR_KIND_VOLUNTEER) {
      ASSIGN_OR_RETURN(bool wrote,
                       Put(m, keys.Volunteer(m, id), keys.Volunteers(m), id,
                           UpdateTimeOf(*actor, event), *actor,
                           /*is_volunteer=*/true, event_time));
      if (wrote) change.kind = ProjectionChange::Kind::kVolunteerUpserted;
    } else if (actor->kind() == rv1::ACTOR_KIND_NEWCOMER) {
      ASSIGN_OR_RETURN(bool wrote,
                       Put(m, keys.Newcomer(m, id), keys.Newcomers(m), id,
                           UpdateTimeOf(*actor, event), *actor,
                           /*is_volunteer=*/false, event_time));
      if (wrote) {
        change.kind = ProjectionChange::Kind::kNewcomerUpserted;
        change.consents = actor->newcomer().consent().volunteer_contact();
      }
    }
    return change;
  }
  if (event.payload().UnpackTo(&deleted) || event.payload().UnpackTo(&erased)) {
    const bool is_erasure = !erased.name().empty();
    const std::string& name = is_erasure ? erased.name() : deleted.name();
    const std::string id = store::IdOf(name);
    change.actor = name;
    if (is_erasure || deleted.kind() == rv1::ACTOR_KIND_NEWCOMER) {
      RETURN_IF_ERROR(Remove(m, keys.Newcomer(m, id), id,
                             /*is_volunteer=*/false, event_time));
      // Reported even when already removed, so a redelivery after a crash
      // still erases what matching holds about the newcomer.
      change.kind = ProjectionChange::Kind::kNewcomerErased;
    } else if (deleted.kind() == rv1::ACTOR_KIND_VOLUNTEER) {
      RETURN_IF_ERROR(Remove(m, keys.Volunteer(m, id), id,
                             /*is_volunteer=*/true, event_time));
      change.kind = ProjectionChange::Kind::kVolunteerRemoved;
    }
  }
  return change;
}

absl::StatusOr<int> RegistryProjection::ApplySnapshot(
    absl::string_view municipality, const std::vector<rv1::Actor>& actors,
    absl::Time read_time) {
  const MatchingKeys& keys = ctx_.keys;
  int written = 0;
  for (const rv1::Actor& actor : actors) {
    const std::string id = store::IdOf(actor.name());
    const absl::Time updated = actor.has_update_time()
                                   ? store::FromTimestamp(actor.update_time())
                                   : read_time;
    bool wrote = false;
    if (actor.kind() == rv1::ACTOR_KIND_VOLUNTEER) {
      ASSIGN_OR_RETURN(wrote,
                       Put(municipality, keys.Volunteer(municipality, id),
                           keys.Volunteers(municipality), id, updated, actor,
                           /*is_volunteer=*/true, read_time));
    } else if (actor.kind() == rv1::ACTOR_KIND_NEWCOMER) {
      ASSIGN_OR_RETURN(wrote, Put(municipality, keys.Newcomer(municipality, id),
                                  keys.Newcomers(municipality), id, updated,
                                  actor, /*is_volunteer=*/false, read_time));
    }
    if (wrote) ++written;
  }
  return written;
}

absl::StatusOr<bool> RegistryProjection::Put(
    absl::string_view municipality, const std::string& key,
    const std::string& set, absl::string_view id, absl::Time updated,
    const rv1::Actor& actor, bool is_volunteer, absl::Time event_time) {
  const MatchingKeys& keys = ctx_.keys;
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      PutScript().Run(
          ctx_.pool,
          {key, set, keys.Tombstones(municipality),
           keys.CandidateChanges(municipality),
           keys.ProjectionState(municipality)},
          {std::string(id), Millis(updated),
           Minimised(actor).SerializeAsString(), is_volunteer ? "1" : "0",
           Millis(event_time), absl::StrCat(kChangeStreamMaxLen)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  return reply.integer == 1;
}

absl::Status RegistryProjection::Remove(absl::string_view municipality,
                                        const std::string& key,
                                        absl::string_view id, bool is_volunteer,
                                        absl::Time event_time) {
  const MatchingKeys& keys = ctx_.keys;
  const std::string set = is_volunteer ? keys.Volunteers(municipality)
                                       : keys.Newcomers(municipality);
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      RemoveScript().Run(
          ctx_.pool,
          {key, set, keys.Tombstones(municipality),
           keys.CandidateChanges(municipality),
           keys.ProjectionState(municipality)},
          {std::string(id), is_volunteer ? "1" : "0", Millis(event_time),
           absl::StrCat(kChangeStreamMaxLen)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<rv1::Actor>> RegistryProjection::Find(
    const std::string& key) {
  ASSIGN_OR_RETURN(redis::Reply reply, ctx_.pool.Run({"HGET", key, "d"}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  if (!reply.is_string()) return std::nullopt;
  rv1::Actor actor;
  if (!actor.ParseFromString(reply.str)) {
    return absl::DataLossError(
        absl::StrCat("projected actor ", key, " does not parse"));
  }
  return actor;
}

absl::StatusOr<std::optional<rv1::Actor>> RegistryProjection::FindVolunteer(
    absl::string_view municipality, absl::string_view actor_id) {
  return Find(ctx_.keys.Volunteer(municipality, actor_id));
}

absl::StatusOr<std::optional<rv1::Actor>> RegistryProjection::FindNewcomer(
    absl::string_view municipality, absl::string_view actor_id) {
  return Find(ctx_.keys.Newcomer(municipality, actor_id));
}

absl::StatusOr<std::vector<VolunteerRecord>> RegistryProjection::Volunteers(
    absl::string_view municipality, const std::vector<std::string>& ids) {
  std::vector<VolunteerRecord> out;
  if (ids.empty()) return out;
  std::vector<redis::Command> commands;
  commands.reserve(ids.size());
  for (const std::string& id : ids) {
    commands.push_back({"HGET", ctx_.keys.Volunteer(municipality, id), "d"});
  }
  ASSIGN_OR_RETURN(std::vector<redis::Reply> replies,
                   ctx_.pool.Pipeline(commands));
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!replies[i].is_string()) continue;
    VolunteerRecord record;
    record.id = ids[i];
    if (!record.actor.ParseFromString(replies[i].str)) {
      return absl::DataLossError(
          absl::StrCat("projected volunteer ", ids[i], " does not parse"));
    }
    out.push_back(std::move(record));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RegistryProjection::VolunteerIds(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"SMEMBERS", ctx_.keys.Volunteers(municipality)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  std::vector<std::string> out;
  out.reserve(reply.elements.size());
  for (const redis::Reply& member : reply.elements) out.push_back(member.str);
  return out;
}

absl::StatusOr<std::optional<absl::Time>> RegistryProjection::AsOf(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run(
          {"HGET", ctx_.keys.ProjectionState(municipality), "as_of"}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  int64_t millis = 0;
  if (!reply.is_string() || !absl::SimpleAtoi(reply.str, &millis)) {
    return std::nullopt;
  }
  return absl::FromUnixMillis(millis);
}

}  // namespace brobygger::matching
