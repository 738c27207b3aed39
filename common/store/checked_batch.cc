#include "common/store/checked_batch.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/lua_script.h"
#include "common/status/macros.h"
#include "common/store/document_store.h"

namespace brobygger::store {
namespace {

// KEYS: one per operation. ARGV: per operation its code, its argument
// count, its arguments. Checks run first (all of them, in order), writes
// after; a failed check returns {'FAIL', check index, kind, key, current}.
const redis::LuaScript& BatchScript() {
  static const auto* script =
      new redis::LuaScript(absl::StrCat(events::kLuaPublishEvent, R"lua(
local ops = {}
local at = 1
for k = 1, #KEYS do
  local code = ARGV[at]
  local n = tonumber(ARGV[at + 1])
  local args = {}
  for i = 1, n do args[i] = ARGV[at + 1 + i] end
  at = at + 2 + n
  ops[k] = {code = code, key = KEYS[k], args = args}
end

local check = -1
for _, op in ipairs(ops) do
  local key, a = op.key, op.args
  local c = op.code
  if c == 'version' or c == 'absent' or c == 'exists' or c == 'below' or
     c == 'claim' or c == 'unused' or c == 'fewer' then
    check = check + 1
    if c == 'version' then
      local current = redis.call('HGET', key, 'v')
      local expected = tonumber(a[1])
      if (expected == 0 and current) or
         (expected ~= 0 and (not current or tonumber(current) ~= expected)) then
        return {'FAIL', check, 'version', key, current or ''}
      end
    elseif c == 'absent' then
      if redis.call('EXISTS', key) == 1 then
        return {'FAIL', check, 'exists', key, ''}
      end
    elseif c == 'exists' then
      if redis.call('EXISTS', key) == 0 then
        return {'FAIL', check, 'missing', key, ''}
      end
    elseif c == 'below' then
      local count = tonumber(redis.call('HGET', key, a[1]) or '0')
      if count >= tonumber(a[2]) then
        return {'FAIL', check, 'limit', key, tostring(count)}
      end
    elseif c == 'claim' then
      local owner = redis.call('HGET', key, a[1])
      if owner and owner ~= a[2] then
        return {'FAIL', check, 'claimed', key, owner}
      end
    elseif c == 'unused' then
      local value = redis.call('GET', key)
      if value then return {'FAIL', check, 'replayed', key, value} end
    elseif c == 'fewer' then
      local count = redis.call('ZCARD', key)
      if count >= tonumber(a[1]) then
        return {'FAIL', check, 'limit', key, tostring(count)}
      end
    end
  end
end

-- The id of the entry the last publish wrote, and trail entries taken.
local last_entry = ''
local taken = {}
for _, op in ipairs(ops) do
  local key, a, c = op.key, op.args, op.code
  if c == 'put' then
    redis.call('HSET', key, 'd', a[1], 'v', a[2])
  elseif c == 'del' then
    redis.call('DEL', key)
  elseif c == 'incr' then
    if redis.call('HINCRBY', key, a[1], a[2]) <= 0 then
      redis.call('HDEL', key, a[1])
    end
  elseif c == 'zadd' then
    redis.call('ZADD', key, a[1], a[2])
  elseif c == 'zrem' then
    redis.call('ZREM', key, a[1])
  elseif c == 'hset' then
    redis.call('HSET', key, a[1], a[2])
  elseif c == 'hdelif' then
    if redis.call('HGET', key, a[1]) == a[2] then redis.call('HDEL', key, a[1]) end
  elseif c == 'setex' then
    redis.call('SET', key, a[1], 'PX', a[2])
  elseif c == 'set' then
    redis.call('SET', key, a[1])
  elseif c == 'counter' then
    redis.call('INCR', key)
  elseif c == 'xadd' then
    redis.call('XADD', key, 'MAXLEN', '~', a[1], '*', a[2], a[3])
  elseif c == 'publish' then
    last_entry = publish_event(key, a[1], a[2], a[3], a[4])
  elseif c == 'trail' then
    redis.call('RPUSH', key, last_entry)
    redis.call('LTRIM', key, -tonumber(a[1]), -1)
  elseif c == 'taketrail' then
    taken = redis.call('LRANGE', key, 0, -1)
    redis.call('DEL', key)
  elseif c == 'xdel' then
    for _, entry in ipairs(taken) do redis.call('XDEL', key, entry) end
  end
end
return {'OK'}
)lua"));
  return *script;
}

BatchRefusal::Kind RefusalKind(absl::string_view kind) {
  using Kind = BatchRefusal::Kind;
  if (kind == "exists") return Kind::kExists;
  if (kind == "missing") return Kind::kMissing;
  if (kind == "limit") return Kind::kLimitReached;
  if (kind == "claimed") return Kind::kClaimed;
  if (kind == "replayed") return Kind::kReplayed;
  return Kind::kVersionChanged;
}

}  // namespace

int CheckedBatch::AddCheck(Op op) {
  ops_.push_back(std::move(op));
  return checks_++;
}

int CheckedBatch::RequireVersion(std::string document_key, int64_t version) {
  return AddCheck(
      {"version", std::move(document_key), {absl::StrCat(version)}});
}

int CheckedBatch::RequireAbsent(std::string key) {
  return AddCheck({"absent", std::move(key), {}});
}

int CheckedBatch::RequireExists(std::string key) {
  return AddCheck({"exists", std::move(key), {}});
}

int CheckedBatch::RequireBelow(std::string hash, std::string field,
                               int64_t limit) {
  return AddCheck(
      {"below", std::move(hash), {std::move(field), absl::StrCat(limit)}});
}

int CheckedBatch::RequireClaimFree(std::string hash, std::string field,
                                   std::string owner) {
  return AddCheck(
      {"claim", std::move(hash), {std::move(field), std::move(owner)}});
}

int CheckedBatch::RequireUnused(std::string key) {
  return AddCheck({"unused", std::move(key), {}});
}

int CheckedBatch::RequireFewerMembers(std::string sorted_set, int64_t limit) {
  return AddCheck({"fewer", std::move(sorted_set), {absl::StrCat(limit)}});
}

void CheckedBatch::PutDocument(std::string document_key, std::string data,
                               int64_t version) {
  ops_.push_back({"put",
                  std::move(document_key),
                  {std::move(data), absl::StrCat(version)}});
}

void CheckedBatch::Delete(std::string key) {
  ops_.push_back({"del", std::move(key), {}});
}

void CheckedBatch::Increment(std::string hash, std::string field,
                             int64_t delta) {
  ops_.push_back(
      {"incr", std::move(hash), {std::move(field), absl::StrCat(delta)}});
}

void CheckedBatch::SortedSetAdd(std::string key, double score,
                                std::string member) {
  ops_.push_back(
      {"zadd", std::move(key), {FormatScore(score), std::move(member)}});
}

void CheckedBatch::SortedSetRemove(std::string key, std::string member) {
  ops_.push_back({"zrem", std::move(key), {std::move(member)}});
}

void CheckedBatch::HashSet(std::string hash, std::string field,
                           std::string value) {
  ops_.push_back(
      {"hset", std::move(hash), {std::move(field), std::move(value)}});
}

void CheckedBatch::HashDeleteIf(std::string hash, std::string field,
                                std::string value) {
  ops_.push_back(
      {"hdelif", std::move(hash), {std::move(field), std::move(value)}});
}

void CheckedBatch::SetWithExpiry(std::string key, std::string value,
                                 absl::Duration ttl) {
  ops_.push_back({"setex",
                  std::move(key),
                  {std::move(value), absl::StrCat(std::max<int64_t>(
                                         1, absl::ToInt64Milliseconds(ttl)))}});
}

void CheckedBatch::Set(std::string key, std::string value) {
  ops_.push_back({"set", std::move(key), {std::move(value)}});
}

void CheckedBatch::IncrementCounter(std::string key) {
  ops_.push_back({"counter", std::move(key), {}});
}

void CheckedBatch::StreamAdd(std::string stream, int64_t max_len,
                             std::string field, std::string value) {
  ops_.push_back({"xadd",
                  std::move(stream),
                  {absl::StrCat(max_len), std::move(field), std::move(value)}});
}

void CheckedBatch::Publish(std::string stream, const events::v1::Event& event,
                           events::StreamRetention retention,
                           std::string trail) {
  ops_.push_back({"publish",
                  std::move(stream),
                  {event.id(), event.type(), event.SerializeAsString(),
                   absl::StrCat(retention.max_len)}});
  if (!trail.empty()) {
    ops_.push_back({"trail", std::move(trail), {absl::StrCat(kMaxEventTrail)}});
  }
}

void CheckedBatch::EraseEventTrail(std::string stream, std::string trail) {
  ops_.push_back({"taketrail", std::move(trail), {}});
  ops_.push_back({"xdel", std::move(stream), {}});
}

absl::StatusOr<BatchOutcome> CheckedBatch::Run(redis::RedisPool& pool) const {
  std::vector<std::string> keys;
  std::vector<std::string> args;
  keys.reserve(ops_.size());
  for (const Op& op : ops_) {
    keys.push_back(op.key);
    args.push_back(op.code);
    args.push_back(absl::StrCat(op.args.size()));
    args.insert(args.end(), op.args.begin(), op.args.end());
  }
  ASSIGN_OR_RETURN(redis::Reply reply, BatchScript().Run(pool, keys, args));
  if (reply.is_error()) {
    return absl::InternalError(absl::StrCat("Redis batch: ", reply.str));
  }
  BatchOutcome outcome;
  if (!reply.elements.empty() && reply.elements[0].str == "OK") {
    outcome.applied = true;
    return outcome;
  }
  if (reply.elements.size() < 5) {
    return absl::InternalError("Redis batch: unexpected reply");
  }
  outcome.refusal.check = static_cast<int>(reply.elements[1].integer);
  outcome.refusal.kind = RefusalKind(reply.elements[2].str);
  outcome.refusal.key = reply.elements[3].str;
  outcome.refusal.current = reply.elements[4].str;
  return outcome;
}

}  // namespace brobygger::store
