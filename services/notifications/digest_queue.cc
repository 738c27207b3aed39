#include "services/notifications/digest_queue.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/lua_script.h"
#include "common/status/macros.h"

namespace brobygger::notifications {
namespace {

// Helpers every script below starts with.
//   parse(entry) -> seq, due, about
//   unindex(list, actor, abouts, about_prefix): takes `actor` out of the
//     erasure index of each newcomer in the set `abouts` that no item left
//     in `list` mentions.
//   earliest_due(list) -> the smallest due of the items in `list`, or nil.
constexpr absl::string_view kPrelude = R"lua(
local function parse(entry)
  local a = string.find(entry, '|', 1, true)
  local b = string.find(entry, '|', a + 1, true)
  local c = string.find(entry, '|', b + 1, true)
  return tonumber(string.sub(entry, 1, a - 1)),
         tonumber(string.sub(entry, a + 1, b - 1)),
         string.sub(entry, b + 1, c - 1)
end
local function unindex(list, actor, abouts, about_prefix)
  if next(abouts) == nil then return end
  local still = {}
  for _, entry in ipairs(redis.call('LRANGE', list, 0, -1)) do
    local _, _, about = parse(entry)
    still[about] = true
  end
  for about in pairs(abouts) do
    if not still[about] then
      redis.call('SREM', about_prefix .. about, actor)
    end
  end
end
local function earliest_due(list)
  local earliest = nil
  for _, entry in ipairs(redis.call('LRANGE', list, 0, -1)) do
    local _, due = parse(entry)
    if earliest == nil or due < earliest then earliest = due end
  end
  return earliest
end
)lua";

redis::LuaScript* Script(absl::string_view body) {
  return new redis::LuaScript(absl::StrCat(kPrelude, body));
}

// KEYS: list, meta, due, seq counter, erasure index of `about`.
// ARGV: actor, due ms, about, payload, cap, erasure index prefix.
const redis::LuaScript& AddScript() {
  static const redis::LuaScript* script = Script(R"lua(
local seq = redis.call('INCR', KEYS[4])
redis.call('RPUSH', KEYS[1],
           seq .. '|' .. ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4])
if ARGV[3] ~= '' then redis.call('SADD', KEYS[5], ARGV[1]) end
local over = redis.call('LLEN', KEYS[1]) - tonumber(ARGV[5])
if over > 0 then
  local abouts = {}
  for i = 1, over do
    local _, _, about = parse(redis.call('LPOP', KEYS[1]))
    if about ~= '' then abouts[about] = true end
  end
  redis.call('HINCRBY', KEYS[2], 'dropped', over)
  unindex(KEYS[1], ARGV[1], abouts, ARGV[6])
end
if redis.call('HEXISTS', KEYS[2], 'lease') == 0 then
  redis.call('ZADD', KEYS[3], 'LT', ARGV[2], ARGV[1])
end
return seq
)lua");
  return *script;
}

// KEYS: due, seq counter. ARGV: now ms, lease end ms, limit, list prefix,
// meta prefix. Returns actor, token, actor, token, ...
const redis::LuaScript& ClaimScript() {
  static const redis::LuaScript* script = Script(R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1],
                       'LIMIT', 0, tonumber(ARGV[3]))
local claimed = {}
for _, actor in ipairs(due) do
  local list, meta = ARGV[4] .. actor, ARGV[5] .. actor
  if redis.call('LLEN', list) == 0 then
    redis.call('ZREM', KEYS[1], actor)
    redis.call('DEL', meta)
  else
    local token = redis.call('INCR', KEYS[2])
    redis.call('HSET', meta, 'lease', token)
    redis.call('ZADD', KEYS[1], ARGV[2], actor)
    table.insert(claimed, actor)
    table.insert(claimed, token)
  end
end
return claimed
)lua");
  return *script;
}

// KEYS: list, meta. Returns dropped count, then the items.
const redis::LuaScript& ReadScript() {
  static const redis::LuaScript* script = Script(R"lua(
local items = redis.call('LRANGE', KEYS[1], 0, -1)
table.insert(items, 1, tonumber(redis.call('HGET', KEYS[2], 'dropped') or 0))
return items
)lua");
  return *script;
}

// KEYS: list, meta, due. ARGV: actor, through seq, dropped reported, lease
// token, erasure index prefix. Returns the number of items removed.
const redis::LuaScript& CompleteScript() {
  static const redis::LuaScript* script = Script(R"lua(
local through = tonumber(ARGV[2])
local removed, abouts = 0, {}
while true do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head then break end
  local seq, _, about = parse(head)
  if seq > through then break end
  redis.call('LPOP', KEYS[1])
  removed = removed + 1
  if about ~= '' then abouts[about] = true end
end
unindex(KEYS[1], ARGV[1], abouts, ARGV[5])
local reported = tonumber(ARGV[3])
if reported > 0 and
   redis.call('HINCRBY', KEYS[2], 'dropped', -reported) <= 0 then
  redis.call('HDEL', KEYS[2], 'dropped')
end
if redis.call('HGET', KEYS[2], 'lease') == ARGV[4] then
  redis.call('HDEL', KEYS[2], 'lease')
  local earliest = earliest_due(KEYS[1])
  if earliest == nil then
    redis.call('ZREM', KEYS[3], ARGV[1])
    redis.call('DEL', KEYS[2])
  else
    redis.call('ZADD', KEYS[3], earliest, ARGV[1])
  end
end
return removed
)lua");
  return *script;
}

// KEYS: erasure index of the newcomer, due. ARGV: newcomer, list prefix,
// meta prefix. Returns the number of items removed.
const redis::LuaScript& RemoveAboutScript() {
  static const redis::LuaScript* script = Script(R"lua(
local removed = 0
for _, actor in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local list, meta = ARGV[2] .. actor, ARGV[3] .. actor
  local items = redis.call('LRANGE', list, 0, -1)
  local kept = {}
  for _, entry in ipairs(items) do
    local _, _, about = parse(entry)
    if about == ARGV[1] then
      removed = removed + 1
    else
      table.insert(kept, entry)
    end
  end
  if #kept ~= #items then
    redis.call('DEL', list)
    for i = 1, #kept, 100 do
      redis.call('RPUSH', list, unpack(kept, i, math.min(i + 99, #kept)))
    end
    -- A leased recipient is rescheduled by its Complete.
    if redis.call('HEXISTS', meta, 'lease') == 0 then
      local earliest = earliest_due(list)
      if earliest == nil then
        redis.call('ZREM', KEYS[2], actor)
        redis.call('DEL', meta)
      else
        redis.call('ZADD', KEYS[2], earliest, actor)
      end
    end
  end
end
redis.call('DEL', KEYS[1])
return removed
)lua");
  return *script;
}

// KEYS: list, meta, due. ARGV: actor, erasure index prefix.
const redis::LuaScript& RemoveRecipientScript() {
  static const redis::LuaScript* script = Script(R"lua(
local abouts = {}
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local _, _, about = parse(entry)
  if about ~= '' then abouts[about] = true end
end
redis.call('DEL', KEYS[1], KEYS[2])
unindex(KEYS[1], ARGV[1], abouts, ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
)lua");
  return *script;
}

absl::Status CheckReply(const absl::StatusOr<redis::Reply>& reply,
                        absl::string_view what) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    return absl::InternalError(
        absl::StrCat("Redis digest queue, ", what, ": ", reply->str));
  }
  return absl::OkStatus();
}

int64_t ToMillis(absl::Time time) { return absl::ToUnixMillis(time); }

// An item's sequence number and its notification (nullopt if the payload
// does not parse; the item still counts as read, so it is not retried
// forever).
struct ParsedItem {
  int64_t seq = 0;
  std::optional<v1::Notification> notification;
};

std::optional<ParsedItem> ParseItem(absl::string_view entry) {
  size_t cut[3];
  size_t from = 0;
  for (size_t& at : cut) {
    at = entry.find('|', from);
    if (at == absl::string_view::npos) return std::nullopt;
    from = at + 1;
  }
  ParsedItem parsed;
  if (!absl::SimpleAtoi(entry.substr(0, cut[0]), &parsed.seq)) {
    return std::nullopt;
  }
  v1::Notification notification;
  const absl::string_view payload = entry.substr(cut[2] + 1);
  if (notification.ParseFromArray(payload.data(),
                                  static_cast<int>(payload.size()))) {
    parsed.notification = std::move(notification);
  }
  return parsed;
}

}  // namespace

DigestQueue::DigestQueue(redis::RedisPool& pool, int max_items_per_recipient)
    : pool_(pool), max_items_(std::max(1, max_items_per_recipient)) {}

absl::Status DigestQueue::Add(absl::string_view municipality,
                              absl::string_view actor_id,
                              const v1::Notification& item, absl::Time due,
                              absl::string_view about_newcomer_id) {
  if (actor_id.empty()) {
    return absl::InvalidArgumentError("digest recipient actor id is empty");
  }
  if (absl::StrContains(about_newcomer_id, '|')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "newcomer id \"", about_newcomer_id, "\" must not contain '|'"));
  }
  std::string payload = item.SerializeAsString();
  if (payload.size() > kMaxDigestItemBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("notification for a digest is ", payload.size(),
                     " bytes; at most ", kMaxDigestItemBytes));
  }
  return CheckReply(
      AddScript().Run(
          pool_,
          {keys_.Key(municipality, {"digest", actor_id}),
           keys_.Key(municipality, {"digest_meta", actor_id}),
           keys_.Key(municipality, {"digest_due"}),
           keys_.Key(municipality, {"digest_seq"}),
           keys_.Key(municipality, {"digest_about", about_newcomer_id})},
          {std::string(actor_id), absl::StrCat(ToMillis(due)),
           std::string(about_newcomer_id), std::move(payload),
           absl::StrCat(max_items_),
           keys_.Key(municipality, {"digest_about", ""})}),
      "add");
}

absl::StatusOr<std::vector<ClaimedDigest>> DigestQueue::Claim(
    absl::string_view municipality, absl::Time now, int limit,
    absl::Duration lease) {
  if (limit < 1 || limit > kMaxDigestClaimBatch) {
    return absl::InvalidArgumentError(absl::StrCat(
        "claim limit is ", limit, "; give 1-", kMaxDigestClaimBatch));
  }
  if (lease <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("digest lease must be positive");
  }
  absl::StatusOr<redis::Reply> reply = ClaimScript().Run(
      pool_,
      {keys_.Key(municipality, {"digest_due"}),
       keys_.Key(municipality, {"digest_seq"})},
      {absl::StrCat(ToMillis(now)), absl::StrCat(ToMillis(now + lease)),
       absl::StrCat(limit), keys_.Key(municipality, {"digest", ""}),
       keys_.Key(municipality, {"digest_meta", ""})});
  RETURN_IF_ERROR(CheckReply(reply, "claim"));
  std::vector<ClaimedDigest> claimed;
  const std::vector<redis::Reply>& pairs = reply->elements;
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
    ASSIGN_OR_RETURN(ClaimedDigest digest,
                     Read(municipality, pairs[i].str, pairs[i + 1].integer));
    claimed.push_back(std::move(digest));
  }
  return claimed;
}

absl::StatusOr<ClaimedDigest> DigestQueue::Read(absl::string_view municipality,
                                                const std::string& actor_id,
                                                int64_t lease_token) {
  absl::StatusOr<redis::Reply> reply =
      ReadScript().Run(pool_,
                       {keys_.Key(municipality, {"digest", actor_id}),
                        keys_.Key(municipality, {"digest_meta", actor_id})},
                       {});
  RETURN_IF_ERROR(CheckReply(reply, "read"));
  ClaimedDigest digest;
  digest.actor_id = actor_id;
  digest.lease_token = lease_token;
  const std::vector<redis::Reply>& elements = reply->elements;
  if (!elements.empty()) digest.older_dropped = elements[0].integer;
  for (size_t i = 1; i < elements.size(); ++i) {
    std::optional<ParsedItem> item = ParseItem(elements[i].str);
    if (!item.has_value()) continue;
    digest.through_sequence = std::max(digest.through_sequence, item->seq);
    if (item->notification.has_value()) {
      digest.items.push_back(*std::move(item->notification));
    }
  }
  return digest;
}

absl::Status DigestQueue::Complete(absl::string_view municipality,
                                   const ClaimedDigest& claimed) {
  return CheckReply(
      CompleteScript().Run(
          pool_,
          {keys_.Key(municipality, {"digest", claimed.actor_id}),
           keys_.Key(municipality, {"digest_meta", claimed.actor_id}),
           keys_.Key(municipality, {"digest_due"})},
          {claimed.actor_id, absl::StrCat(claimed.through_sequence),
           absl::StrCat(claimed.older_dropped),
           absl::StrCat(claimed.lease_token),
           keys_.Key(municipality, {"digest_about", ""})}),
      "complete");
}

absl::StatusOr<int64_t> DigestQueue::RemoveAbout(
    absl::string_view municipality, absl::string_view newcomer_id) {
  if (newcomer_id.empty()) {
    return absl::InvalidArgumentError("newcomer id is empty");
  }
  absl::StatusOr<redis::Reply> reply = RemoveAboutScript().Run(
      pool_,
      {keys_.Key(municipality, {"digest_about", newcomer_id}),
       keys_.Key(municipality, {"digest_due"})},
      {std::string(newcomer_id), keys_.Key(municipality, {"digest", ""}),
       keys_.Key(municipality, {"digest_meta", ""})});
  RETURN_IF_ERROR(CheckReply(reply, "remove about newcomer"));
  return reply->integer;
}

absl::Status DigestQueue::RemoveRecipient(absl::string_view municipality,
                                          absl::string_view actor_id) {
  return CheckReply(RemoveRecipientScript().Run(
                        pool_,
                        {keys_.Key(municipality, {"digest", actor_id}),
                         keys_.Key(municipality, {"digest_meta", actor_id}),
                         keys_.Key(municipality, {"digest_due"})},
                        {std::string(actor_id),
                         keys_.Key(municipality, {"digest_about", ""})}),
                    "remove recipient");
}

absl::StatusOr<std::optional<absl::Time>> DigestQueue::DueTime(
    absl::string_view municipality, absl::string_view actor_id) {
  absl::StatusOr<redis::Reply> reply =
      pool_.Run({"ZSCORE", keys_.Key(municipality, {"digest_due"}),
                 std::string(actor_id)});
  RETURN_IF_ERROR(CheckReply(reply, "due time"));
  if (reply->is_nil()) return std::optional<absl::Time>();
  int64_t millis = 0;
  if (!absl::SimpleAtoi(reply->str, &millis)) {
    double score = 0;
    if (!absl::SimpleAtod(reply->str, &score)) {
      return absl::InternalError(
          absl::StrCat("digest due time is not a number: ", reply->str));
    }
    millis = static_cast<int64_t>(score);
  }
  return std::optional<absl::Time>(absl::FromUnixMillis(millis));
}

}  // namespace brobygger::notifications
