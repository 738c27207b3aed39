#include "services/catalogue/registry_projection.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/redis/lua_script.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "common/text/fold.h"

namespace brobygger::catalogue {
namespace {

namespace rv1 = ::brobygger::registry::v1;

// KEYS: record, id set, tombstones. ARGV: id, updated (Unix ms), value.
// Stores "<updated>|<value>" unless the actor is tombstoned or the stored
// record is newer. Returns 1 if it wrote.
const redis::LuaScript& PutScript() {
  static const auto* script = new redis::LuaScript(R"lua(
if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 then return 0 end
local current = redis.call('GET', KEYS[1])
if current then
  local stored = tonumber(string.match(current, '^(%d+)|'))
  if stored and stored > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2] .. '|' .. ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
)lua");
  return *script;
}

// KEYS: record, id set, tombstones. ARGV: id. Returns 1 if it existed.
const redis::LuaScript& RemoveScript() {
  static const auto* script = new redis::LuaScript(R"lua(
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])
)lua");
  return *script;
}

constexpr char kListSeparator = '\x1f';
constexpr char kPartSeparator = '\x1e';

// The value after "<updated>|".
absl::string_view RecordValue(absl::string_view record) {
  const size_t bar = record.find('|');
  return bar == absl::string_view::npos ? "" : record.substr(bar + 1);
}

std::optional<Organiser> ParseOrganiser(absl::string_view municipality,
                                        absl::string_view id,
                                        absl::string_view record) {
  const absl::string_view value = RecordValue(record);
  const size_t bar = value.find('|');
  Organiser organiser;
  if (bar == absl::string_view::npos ||
      !absl::SimpleAtoi(value.substr(0, bar), &organiser.kind)) {
    return std::nullopt;
  }
  organiser.actor = absl::StrCat("municipalities/", municipality, "/actors/", id);
  organiser.display_name = std::string(value.substr(bar + 1));
  return organiser;
}

absl::Time UpdateTimeOf(const rv1::Actor& actor,
                        const events::v1::Event& event) {
  return actor.has_update_time() ? store::FromTimestamp(actor.update_time())
                                 : store::FromTimestamp(event.time());
}

}  // namespace

bool MayOrganise(int actor_kind) {
  switch (actor_kind) {
    case rv1::ACTOR_KIND_MUNICIPAL_EMPLOYEE:
    case rv1::ACTOR_KIND_VOLUNTEER:
    case rv1::ACTOR_KIND_NEWCOMER:
    case rv1::ACTOR_KIND_UNSPECIFIED:
      return false;
    default:
      return rv1::ActorKind_IsValid(actor_kind);
  }
}

std::string RegistryProjection::OrganiserKey(absl::string_view municipality,
                                             absl::string_view actor_id) const {
  return ctx_.keys.space().Key(municipality,
                               {"registry", "organiser", actor_id});
}

absl::StatusOr<ProjectionChange> RegistryProjection::Apply(
    const events::v1::Event& event) {
  const std::string& m = event.municipality();
  ProjectionChange change;
  change.municipality = m;
  const CatalogueKeys& keys = ctx_.keys;
  if (m.empty()) return change;

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
    if (actor->kind() == rv1::ACTOR_KIND_NEWCOMER) {
      // Areas as written (folded when counted), so that reports show
      // "Nørresundby" rather than "noerresundby".
      const std::string value = absl::StrCat(
          absl::StrJoin(actor->areas(), std::string(1, kListSeparator)),
          std::string(1, kPartSeparator),
          absl::StrJoin(actor->newcomer().needs(),
                        std::string(1, kListSeparator)));
      RETURN_IF_ERROR(Put(m,
                          ctx_.keys.space().Key(m, {"registry", "newcomer", id}),
                          keys.NewcomerNeeds(m), id,
                          UpdateTimeOf(*actor, event), value)
                          .status());
    } else if (MayOrganise(actor->kind())) {
      ASSIGN_OR_RETURN(
          bool wrote,
          Put(m, OrganiserKey(m, id), keys.Organisers(m), id,
              UpdateTimeOf(*actor, event),
              absl::StrCat(actor->kind(), "|", actor->display_name())));
      if (wrote) {
        change.kind = ProjectionChange::Kind::kOrganiserUpserted;
        change.display_name = actor->display_name();
      }
    }
  } else if (event.payload().UnpackTo(&deleted) ||
             event.payload().UnpackTo(&erased)) {
    const bool is_erasure = !erased.name().empty();
    const std::string& name = is_erasure ? erased.name() : deleted.name();
    const std::string id = store::IdOf(name);
    change.actor = name;
    if (is_erasure || deleted.kind() == rv1::ACTOR_KIND_NEWCOMER) {
      RETURN_IF_ERROR(
          Remove(m, ctx_.keys.space().Key(m, {"registry", "newcomer", id}),
                 keys.NewcomerNeeds(m), id)
              .status());
      change.kind = ProjectionChange::Kind::kNewcomerErased;
    } else if (MayOrganise(deleted.kind())) {
      RETURN_IF_ERROR(
          Remove(m, OrganiserKey(m, id), keys.Organisers(m), id).status());
      // Reported even when already removed, so a redelivery after a crash
      // still ends the organiser's activities.
      change.kind = ProjectionChange::Kind::kOrganiserRemoved;
    }
  }
  RETURN_IF_ERROR(Touch(m, store::FromTimestamp(event.time())));
  return change;
}

absl::StatusOr<bool> RegistryProjection::Put(absl::string_view municipality,
                                             absl::string_view key,
                                             absl::string_view set,
                                             absl::string_view id,
                                             absl::Time updated,
                                             absl::string_view value) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      PutScript().Run(
          ctx_.pool,
          {std::string(key), std::string(set),
           ctx_.keys.space().Key(municipality, {"registry", "deleted"})},
          {std::string(id), absl::StrCat(absl::ToUnixMillis(updated)),
           std::string(value)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  return reply.integer == 1;
}

absl::StatusOr<bool> RegistryProjection::Remove(absl::string_view municipality,
                                                absl::string_view key,
                                                absl::string_view set,
                                                absl::string_view id) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      RemoveScript().Run(
          ctx_.pool,
          {std::string(key), std::string(set),
           ctx_.keys.space().Key(municipality, {"registry", "deleted"})},
          {std::string(id)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  return reply.integer == 1;
}

absl::Status RegistryProjection::Touch(absl::string_view municipality,
                                       absl::Time event_time) {
  // HSET only when newer: a redelivered old event must not move it back.
  static const auto* script = new redis::LuaScript(R"lua(
local current = tonumber(redis.call('HGET', KEYS[1], 'as_of') or '0')
if tonumber(ARGV[1]) > current then
  redis.call('HSET', KEYS[1], 'as_of', ARGV[1])
end
return 1
)lua");
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      script->Run(ctx_.pool, {ctx_.keys.ProjectionState(municipality)},
                  {absl::StrCat(absl::ToUnixMillis(event_time))}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Organiser>> RegistryProjection::FindOrganiser(
    absl::string_view municipality, absl::string_view actor_id) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"GET", OrganiserKey(municipality, actor_id)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  if (!reply.is_string()) return std::nullopt;
  return ParseOrganiser(municipality, actor_id, reply.str);
}

absl::StatusOr<std::map<std::string, Organiser>> RegistryProjection::Organisers(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(redis::Reply ids,
                   ctx_.pool.Run({"SMEMBERS", ctx_.keys.Organisers(municipality)}));
  if (ids.is_error()) return absl::InternalError(ids.str);
  std::map<std::string, Organiser> out;
  if (ids.elements.empty()) return out;
  std::vector<std::string> command = {"MGET"};
  for (const redis::Reply& id : ids.elements) {
    command.push_back(OrganiserKey(municipality, id.str));
  }
  ASSIGN_OR_RETURN(redis::Reply records, ctx_.pool.Run(command));
  if (records.is_error()) return absl::InternalError(records.str);
  for (size_t i = 0; i < records.elements.size() && i < ids.elements.size();
       ++i) {
    if (!records.elements[i].is_string()) continue;
    if (auto organiser = ParseOrganiser(municipality, ids.elements[i].str,
                                        records.elements[i].str)) {
      out.emplace(organiser->actor, std::move(*organiser));
    }
  }
  return out;
}

absl::StatusOr<bool> RegistryProjection::HasNewcomer(
    absl::string_view municipality, absl::string_view actor_id) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"SISMEMBER",
                                  ctx_.keys.NewcomerNeeds(municipality),
                                  std::string(actor_id)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  return reply.integer == 1;
}

absl::StatusOr<std::map<std::string, std::map<std::string, int>>>
RegistryProjection::NeedsByArea(
    absl::string_view municipality,
    std::map<std::string, std::string>* area_names) {
  ASSIGN_OR_RETURN(redis::Reply ids,
                   ctx_.pool.Run({"SMEMBERS",
                                  ctx_.keys.NewcomerNeeds(municipality)}));
  if (ids.is_error()) return absl::InternalError(ids.str);
  std::map<std::string, std::map<std::string, int>> out;
  if (ids.elements.empty()) return out;
  std::vector<std::string> command = {"MGET"};
  for (const redis::Reply& id : ids.elements) {
    command.push_back(
        ctx_.keys.space().Key(municipality, {"registry", "newcomer", id.str}));
  }
  ASSIGN_OR_RETURN(redis::Reply records, ctx_.pool.Run(command));
  if (records.is_error()) return absl::InternalError(records.str);
  for (const redis::Reply& record : records.elements) {
    if (!record.is_string()) continue;
    const std::vector<absl::string_view> parts =
        absl::StrSplit(RecordValue(record.str), kPartSeparator);
    if (parts.size() != 2) continue;
    for (absl::string_view area :
         absl::StrSplit(parts[0], kListSeparator, absl::SkipEmpty())) {
      const std::string folded = text::FoldForSearch(area);
      if (area_names != nullptr) area_names->emplace(folded, area);
      for (absl::string_view need :
           absl::StrSplit(parts[1], kListSeparator, absl::SkipEmpty())) {
        ++out[folded][std::string(need)];
      }
    }
  }
  return out;
}

absl::StatusOr<std::optional<absl::Time>> RegistryProjection::AsOf(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"HGET", ctx_.keys.ProjectionState(municipality),
                                  "as_of"}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  int64_t millis = 0;
  if (!reply.is_string() || !absl::SimpleAtoi(reply.str, &millis)) {
    return std::nullopt;
  }
  return absl::FromUnixMillis(millis);
}

}  // namespace brobygger::catalogue
