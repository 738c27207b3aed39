#include "services/registry/newcomer_grants.h"

#include "absl/strings/str_cat.h"
#include "common/redis/lua_script.h"

namespace brobygger::registry {
namespace {

absl::Status CheckReply(const absl::StatusOr<redis::Reply>& reply) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    return absl::InternalError(absl::StrCat("Redis: ", reply->str));
  }
  return absl::OkStatus();
}

// KEYS: grants set, grant-matches hash. ARGV: volunteer, match id.
const redis::LuaScript& AcceptScript() {
  static const auto* script = new redis::LuaScript(R"lua(
if redis.call('HGET', KEYS[2], ARGV[2]) == '-' then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[1], ARGV[1])
return 1
)lua");
  return *script;
}

// KEYS: grants set, grant-matches hash. ARGV: volunteer, match id.
const redis::LuaScript& EndScript() {
  static const auto* script = new redis::LuaScript(R"lua(
redis.call('HSET', KEYS[2], ARGV[2], '-')
for _, volunteer in ipairs(redis.call('HVALS', KEYS[2])) do
  if volunteer == ARGV[1] then return 0 end
end
redis.call('SREM', KEYS[1], ARGV[1])
return 1
)lua");
  return *script;
}

}  // namespace

absl::Status NewcomerGrants::MatchAccepted(absl::string_view municipality,
                                           absl::string_view newcomer_id,
                                           absl::string_view volunteer,
                                           absl::string_view match_id) {
  return CheckReply(AcceptScript().Run(
      pool_,
      {keys_.NewcomerGrants(municipality, newcomer_id),
       keys_.NewcomerGrantMatches(municipality, newcomer_id)},
      {std::string(volunteer), std::string(match_id)}));
}

absl::Status NewcomerGrants::MatchEnded(absl::string_view municipality,
                                        absl::string_view newcomer_id,
                                        absl::string_view volunteer,
                                        absl::string_view match_id) {
  return CheckReply(
      EndScript().Run(pool_,
                      {keys_.NewcomerGrants(municipality, newcomer_id),
                       keys_.NewcomerGrantMatches(municipality, newcomer_id)},
                      {std::string(volunteer), std::string(match_id)}));
}

absl::Status NewcomerGrants::Grant(absl::string_view municipality,
                                   absl::string_view newcomer_id,
                                   absl::string_view volunteer) {
  return CheckReply(
      pool_.Run({"SADD", keys_.NewcomerGrants(municipality, newcomer_id),
                 std::string(volunteer)}));
}

absl::Status NewcomerGrants::Revoke(absl::string_view municipality,
                                    absl::string_view newcomer_id,
                                    absl::string_view volunteer) {
  return CheckReply(
      pool_.Run({"SREM", keys_.NewcomerGrants(municipality, newcomer_id),
                 std::string(volunteer)}));
}

absl::StatusOr<bool> NewcomerGrants::IsGranted(absl::string_view municipality,
                                               absl::string_view newcomer_id,
                                               absl::string_view volunteer) {
  auto reply =
      pool_.Run({"SISMEMBER", keys_.NewcomerGrants(municipality, newcomer_id),
                 std::string(volunteer)});
  if (auto status = CheckReply(reply); !status.ok()) return status;
  return reply->integer == 1;
}

absl::StatusOr<std::set<std::string>> NewcomerGrants::GrantedAmong(
    absl::string_view municipality,
    const std::vector<std::string>& newcomer_ids, absl::string_view volunteer) {
  std::set<std::string> granted;
  if (newcomer_ids.empty()) return granted;
  std::vector<redis::Command> commands;
  for (const std::string& id : newcomer_ids) {
    commands.push_back({"SISMEMBER", keys_.NewcomerGrants(municipality, id),
                        std::string(volunteer)});
  }
  auto replies = pool_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < newcomer_ids.size(); ++i) {
    if ((*replies)[i].is_integer() && (*replies)[i].integer == 1) {
      granted.insert(newcomer_ids[i]);
    }
  }
  return granted;
}

}  // namespace brobygger::registry
