#include "common/store/document_store_lua.h"

namespace brobygger::store {

// KEYS: doc, request key, stream, event trail, then the lists described by
// ARGV[12..18] in this order: must_exist, must_be_empty, take-claim hashes,
// release-claim hashes, indexes to add to, indexes to remove from, keys to
// delete.
// ARGV: op, id, expected version, data, request ttl seconds (0 = none),
// advisory claims ('1'), has event ('1'), event id, event type, event
// bytes, stream maxlen, the seven list lengths, then the take-claim
// fields, the release-claim fields, the index scores, and last: has event
// trail ('1'), erase event trail ('1'), trail cap.
//
// The script is appended to events::kLuaPublishEvent, which defines
// publish_event().
//
// Every check runs before the first write: Redis does not roll a script
// back, so a script that wrote and then failed would leave half a change.
const char kDocumentWriteLua[] = R"lua(
local op = ARGV[1]
local id = ARGV[2]
local expected = tonumber(ARGV[3])
local data = ARGV[4]
local request_ttl = tonumber(ARGV[5])
local advisory = ARGV[6] == '1'
local has_event = ARGV[7] == '1'
local n = {}
for i = 1, 7 do n[i] = tonumber(ARGV[11 + i]) end
local doc, request_key, stream, trail = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

local key_at = 5
local function take_keys(count)
  local out = {}
  for i = 1, count do out[i] = KEYS[key_at]; key_at = key_at + 1 end
  return out
end
local must_exist = take_keys(n[1])
local must_be_empty = take_keys(n[2])
local take_hashes = take_keys(n[3])
local release_hashes = take_keys(n[4])
local add_indexes = take_keys(n[5])
local remove_indexes = take_keys(n[6])
local also_delete = take_keys(n[7])

local arg_at = 19
local function take_args(count)
  local out = {}
  for i = 1, count do out[i] = ARGV[arg_at]; arg_at = arg_at + 1 end
  return out
end
local take_fields = take_args(n[3])
local release_fields = take_args(n[4])
local scores = take_args(n[5])
local has_trail = ARGV[arg_at] == '1'
local erase_trail = ARGV[arg_at + 1] == '1'
local trail_cap = tonumber(ARGV[arg_at + 2])

-- Checks.
if request_ttl > 0 then
  local previous = redis.call('GET', request_key)
  if previous then return {'REQUEST', previous} end
end
local version = 0
if op == 'create' then
  if redis.call('EXISTS', doc) == 1 then return {'EXISTS', id} end
else
  local current = redis.call('HGET', doc, 'v')
  if not current then return {'NOTFOUND', id} end
  version = tonumber(current)
  if version ~= expected then return {'CONFLICT', id, current} end
end
for _, key in ipairs(must_exist) do
  if redis.call('EXISTS', key) == 0 then return {'MISSING', key} end
end
for _, key in ipairs(must_be_empty) do
  if redis.call('ZCARD', key) > 0 then return {'NOT_EMPTY', key} end
end
if not advisory then
  for i, key in ipairs(take_hashes) do
    local owner = redis.call('HGET', key, take_fields[i])
    if owner and owner ~= id then return {'DUPLICATE', owner} end
  end
end

-- Writes.
for i, key in ipairs(release_hashes) do
  if redis.call('HGET', key, release_fields[i]) == id then
    redis.call('HDEL', key, release_fields[i])
  end
end
for _, key in ipairs(remove_indexes) do redis.call('ZREM', key, id) end
if op == 'delete' then
  redis.call('DEL', doc)
  for _, key in ipairs(also_delete) do redis.call('DEL', key) end
else
  version = version + 1
  redis.call('HSET', doc, 'd', data, 'v', version)
  for i, key in ipairs(take_hashes) do
    redis.call('HSETNX', key, take_fields[i], id)
  end
  for i, key in ipairs(add_indexes) do
    redis.call('ZADD', key, scores[i], id)
  end
end
if request_ttl > 0 then
  redis.call('SET', request_key, id, 'EX', request_ttl)
end
if has_trail and erase_trail then
  for _, entry_id in ipairs(redis.call('LRANGE', trail, 0, -1)) do
    redis.call('XDEL', stream, entry_id)
  end
  redis.call('DEL', trail)
end
if has_event then
  local entry_id = publish_event(stream, ARGV[8], ARGV[9], ARGV[10], ARGV[11])
  if has_trail and not erase_trail then
    redis.call('RPUSH', trail, entry_id)
    redis.call('LTRIM', trail, -trail_cap, -1)
  end
end
return {'OK', id, tostring(version)}
)lua";

}  // namespace brobygger::store
