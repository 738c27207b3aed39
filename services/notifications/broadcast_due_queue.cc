#include "services/notifications/broadcast_due_queue.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/lua_script.h"
#include "common/status/macros.h"

namespace brobygger::notifications {
namespace {

// KEYS[1] the due set; ARGV: now (ms), lease end (ms), limit.
const redis::LuaScript& ClaimScript() {
  static const auto* script = new redis::LuaScript(R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1],
                       'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
end
return ids
)lua");
  return *script;
}

// KEYS[1] the due set; ARGV: id, held score, new score. The score is the
// lease: only whoever set it may move it.
const redis::LuaScript& MoveScript() {
  static const auto* script = new redis::LuaScript(R"lua(
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not current or tonumber(current) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
return 1
)lua");
  return *script;
}

absl::Status ErrorOf(const redis::Reply& reply) {
  return reply.is_error() ? absl::UnavailableError(reply.str)
                          : absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<BroadcastLease>> BroadcastDueQueue::Claim(
    absl::string_view municipality, absl::Time now, absl::Duration lease,
    int limit) {
  const absl::Time until = now + lease;
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ClaimScript().Run(pool_, {keys_.BroadcastsDue(municipality)},
                        {absl::StrCat(ScoreOf(now)),
                         absl::StrCat(ScoreOf(until)), absl::StrCat(limit)}));
  RETURN_IF_ERROR(ErrorOf(reply));
  std::vector<BroadcastLease> leases;
  leases.reserve(reply.elements.size());
  for (const redis::Reply& id : reply.elements) {
    leases.push_back(BroadcastLease{id.str, until});
  }
  return leases;
}

absl::StatusOr<bool> BroadcastDueQueue::Move(absl::string_view municipality,
                                             BroadcastLease& lease,
                                             absl::Time score_time) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      MoveScript().Run(pool_, {keys_.BroadcastsDue(municipality)},
                       {lease.id, absl::StrCat(ScoreOf(lease.until)),
                        absl::StrCat(ScoreOf(score_time))}));
  RETURN_IF_ERROR(ErrorOf(reply));
  if (reply.integer != 1) return false;
  lease.until = score_time;
  return true;
}

absl::Status BroadcastDueQueue::Remove(absl::string_view municipality,
                                       absl::string_view id) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      pool_.Run({"ZREM", keys_.BroadcastsDue(municipality), std::string(id)}));
  return ErrorOf(reply);
}

absl::StatusOr<std::optional<absl::Time>> BroadcastDueQueue::DueTime(
    absl::string_view municipality, absl::string_view id) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   pool_.Run({"ZSCORE", keys_.BroadcastsDue(municipality),
                              std::string(id)}));
  RETURN_IF_ERROR(ErrorOf(reply));
  if (!reply.is_string()) return std::nullopt;
  double ms = 0;
  if (!absl::SimpleAtod(reply.str, &ms)) {
    return absl::DataLossError(
        absl::StrCat("due time of broadcast ", id, " is not a number"));
  }
  return absl::FromUnixMillis(static_cast<int64_t>(ms));
}

}  // namespace brobygger::notifications
