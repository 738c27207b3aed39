#include "services/notifications/inbox_scripts.h"

#include "absl/strings/str_cat.h"

namespace brobygger::notifications::inbox_scripts {
namespace {

// Helpers every inbox script shares. Ids reach the scripts in canonical
// form (CanonicalEntryId), so comparing the digit strings by length and
// then by text is numeric order, exact for 64-bit parts (Lua numbers are
// doubles and are not).
//
// Read state of an inbox: entries at or before the read-up-to mark are
// read; after it, those in the read hash. The meta hash's "unread" holds
// how many entries are neither and "removed" the newest id trimmed or
// erased; every script that adds, trims, erases or marks entries keeps
// both so.
constexpr char kCommon[] = R"lua(
local function num_lt(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end
local function id_lt(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  if am ~= bm then return num_lt(am, bm) end
  return num_lt(as, bs)
end
local function is_unread(id, upto, read_key)
  if upto and not id_lt(upto, id) then return false end
  return redis.call('HEXISTS', read_key, id) == 0
end
-- '' unread, 'm' read by the mark (its time comes from the marks hash),
-- otherwise the time it was read one by one (Unix ms).
local function read_state(id, upto, read_key)
  if upto and not id_lt(upto, id) then return 'm' end
  return redis.call('HGET', read_key, id) or ''
end
local function field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then return fields[i + 1] end
  end
  return ''
end
local function stream_info(stream)
  if redis.call('EXISTS', stream) == 0 then return nil end
  local flat = redis.call('XINFO', 'STREAM', stream)
  local info = {}
  for i = 1, #flat, 2 do info[flat[i]] = flat[i + 1] end
  return info
end
-- Records that entries up to `id` were removed (never moves back).
local function removed_through(meta_key, id)
  local removed = redis.call('HGET', meta_key, 'removed')
  if not removed or id_lt(removed, id) then
    redis.call('HSET', meta_key, 'removed', id)
  end
end
local function unread_count(meta_key)
  return tonumber(redis.call('HGET', meta_key, 'unread') or '0')
end
-- Entries as {id, payload, read state}, and the marks when one needs them.
local function with_read_state(entries, upto, read_key, marks_key)
  local out = {}
  local need_marks = false
  for i, e in ipairs(entries) do
    local state = read_state(e[1], upto, read_key)
    if state == 'm' then need_marks = true end
    out[i] = {e[1], field(e[2], 'n'), state}
  end
  local marks = {}
  if need_marks then marks = redis.call('HGETALL', marks_key) end
  return out, marks
end
)lua";

}  // namespace

// KEYS, per delivery (6): inbox stream, delivered marker, about set (the
// stream again when the delivery is about nobody), read-up-to mark, read
// hash, meta hash.
// ARGV: marker TTL (ms), max entries per inbox, then per delivery (3):
// serialized notification, newcomer id or '', inbox id.
// Returns the new entry ids, '' for deliveries made before.
const redis::LuaScript& Deliver() {
  static const auto* script = new redis::LuaScript(absl::StrCat(kCommon, R"lua(
local ttl = ARGV[1]
local max_len = tonumber(ARGV[2])
local out = {}
for i = 1, #KEYS / 6 do
  local k = (i - 1) * 6
  local stream, marker, about_set = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
  local upto_key, read_key, meta_key = KEYS[k + 4], KEYS[k + 5], KEYS[k + 6]
  local a = 2 + (i - 1) * 3
  local payload, about, inbox = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  if redis.call('EXISTS', marker) == 1 then
    out[i] = ''
  else
    -- The entries the exact MAXLEN below trims: account for their read
    -- state first.
    local excess = redis.call('XLEN', stream) + 1 - max_len
    if excess > 0 then
      local upto = redis.call('GET', upto_key)
      local old = redis.call('XRANGE', stream, '-', '+', 'COUNT', excess)
      for _, e in ipairs(old) do
        if is_unread(e[1], upto, read_key) then
          redis.call('HINCRBY', meta_key, 'unread', -1)
        end
        redis.call('HDEL', read_key, e[1])
      end
      if #old > 0 then removed_through(meta_key, old[#old][1]) end
    end
    local id = redis.call('XADD', stream, 'MAXLEN', max_len, '*',
                          'n', payload, 'about', about)
    -- A new id is after every mark (marks never pass the last id).
    redis.call('HINCRBY', meta_key, 'unread', 1)
    redis.call('SET', marker, id, 'PX', ttl)
    if about ~= '' then redis.call('SADD', about_set, inbox .. '/' .. id) end
    out[i] = id
  end
end
return out
)lua"));
  return *script;
}

// KEYS: inbox stream, read-up-to mark, read hash, meta hash, marks.
// ARGV: exclusive upper bound (an entry id, '' for the newest), how many
// entries at most, '1' for unread entries only.
// Returns {unread count, marks (flat hash), {{id, payload, read state}...}}.
const redis::LuaScript& List() {
  static const auto* script = new redis::LuaScript(absl::StrCat(kCommon, R"lua(
local stream, upto_key, read_key = KEYS[1], KEYS[2], KEYS[3]
local meta_key, marks_key = KEYS[4], KEYS[5]
local limit = tonumber(ARGV[2])
local upto = redis.call('GET', upto_key)
local top = '+'
if ARGV[1] ~= '' then top = '(' .. ARGV[1] end
local entries = {}
if ARGV[3] ~= '1' then
  entries = redis.call('XREVRANGE', stream, top, '-', 'COUNT', limit)
else
  -- Unread entries are all after the mark; skip the ones read one by one.
  -- At most the inbox's length is scanned.
  local bottom = '-'
  if upto then bottom = '(' .. upto end
  while #entries < limit do
    local batch = redis.call('XREVRANGE', stream, top, bottom, 'COUNT', limit)
    if #batch == 0 then break end
    for _, e in ipairs(batch) do
      if redis.call('HEXISTS', read_key, e[1]) == 0 then
        entries[#entries + 1] = e
        if #entries == limit then break end
      end
    end
    top = '(' .. batch[#batch][1]
  end
end
local out, marks = with_read_state(entries, upto, read_key, marks_key)
return {unread_count(meta_key), marks, out}
)lua"));
  return *script;
}

// KEYS: inbox stream, read-up-to mark, read hash, meta hash, marks.
// ARGV: now (Unix ms), all-up-to entry id or '', then entry ids to mark.
// Returns {marked, unread left}, or {-1} when all-up-to is after the
// newest id the inbox ever had.
const redis::LuaScript& MarkRead() {
  static const auto* script = new redis::LuaScript(absl::StrCat(kCommon, R"lua(
local stream, upto_key, read_key = KEYS[1], KEYS[2], KEYS[3]
local meta_key, marks_key = KEYS[4], KEYS[5]
local now, all_up_to = ARGV[1], ARGV[2]
local upto = redis.call('GET', upto_key)
local marked = 0
if all_up_to ~= '' then
  local info = stream_info(stream)
  if not info or id_lt(info['last-generated-id'], all_up_to) then
    return {-1}
  end
  if not upto or id_lt(upto, all_up_to) then
    local from = '-'
    if upto then from = '(' .. upto end
    for _, e in ipairs(redis.call('XRANGE', stream, from, all_up_to)) do
      if redis.call('HEXISTS', read_key, e[1]) == 0 then marked = marked + 1 end
    end
    -- Compaction: the mark now covers these.
    for _, id in ipairs(redis.call('HKEYS', read_key)) do
      if not id_lt(all_up_to, id) then redis.call('HDEL', read_key, id) end
    end
    redis.call('SET', upto_key, all_up_to)
    redis.call('HSET', marks_key, all_up_to, now)
    -- A mark before the oldest retained entry covers nothing any more.
    local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
    for _, mark in ipairs(redis.call('HKEYS', marks_key)) do
      if mark ~= all_up_to and (#first == 0 or id_lt(mark, first[1][1])) then
        redis.call('HDEL', marks_key, mark)
      end
    end
  end
else
  for i = 3, #ARGV do
    local id = ARGV[i]
    if is_unread(id, upto, read_key) and
       #redis.call('XRANGE', stream, id, id) == 1 then
      redis.call('HSET', read_key, id, now)
      marked = marked + 1
    end
  end
end
if marked > 0 then redis.call('HINCRBY', meta_key, 'unread', -marked) end
return {marked, unread_count(meta_key)}
)lua"));
  return *script;
}

// KEYS, per inbox (5): inbox stream, read-up-to mark, read hash, marks,
// meta hash.
// ARGV, per inbox (2): cursor (an entry id), how many entries at most.
// Returns per inbox {removed through, marks (flat hash), {{id, payload,
// read state}...}}: `removed through` is the newest id ever trimmed or
// erased ('0-0' for none), '' when no entries were found (an idle poll
// costs one XRANGE).
const redis::LuaScript& ReadAfter() {
  static const auto* script = new redis::LuaScript(absl::StrCat(kCommon, R"lua(
local result = {}
for i = 1, #KEYS / 5 do
  local k = (i - 1) * 5
  local stream, upto_key = KEYS[k + 1], KEYS[k + 2]
  local read_key, marks_key, meta_key = KEYS[k + 3], KEYS[k + 4], KEYS[k + 5]
  local cursor, count = ARGV[(i - 1) * 2 + 1], ARGV[(i - 1) * 2 + 2]
  local entries = redis.call('XRANGE', stream, '(' .. cursor, '+',
                             'COUNT', count)
  if #entries == 0 then
    result[i] = {'', {}, {}}
  else
    local upto = redis.call('GET', upto_key)
    local out, marks = with_read_state(entries, upto, read_key, marks_key)
    local removed = redis.call('HGET', meta_key, 'removed') or '0-0'
    result[i] = {removed, marks, out}
  end
end
return result
)lua"));
  return *script;
}

// KEYS: about set, then per inbox (4): inbox stream, read-up-to mark, read
// hash, meta hash.
// ARGV: newcomer id, then the about-set members to remove.
// Rewrites each inbox without the entries about the newcomer and returns
// how many were removed.
//
// Why rewrite rather than XDEL: XDEL (and trimming) only flag an entry as
// deleted inside its listpack node; the bytes stay in memory, in DUMP and
// in RDB snapshots (the AOF preamble too) until every entry of the node
// is gone. An erasure must not leave the newcomer's name there, so the
// stream is written anew from its live entries, with its ids, its
// last-generated id and its entries-added count kept (XSETID), and the
// erased ids recorded as removed so that watchers see the gap.
const redis::LuaScript& EraseAbout() {
  static const auto* script = new redis::LuaScript(absl::StrCat(kCommon, R"lua(
local newcomer = ARGV[1]
local erased = 0
for i = 0, (#KEYS - 1) / 4 - 1 do
  local stream, upto_key = KEYS[2 + i * 4], KEYS[3 + i * 4]
  local read_key, meta_key = KEYS[4 + i * 4], KEYS[5 + i * 4]
  local info = stream_info(stream)
  if info then
    local upto = redis.call('GET', upto_key)
    local keep = {}
    for _, e in ipairs(redis.call('XRANGE', stream, '-', '+')) do
      if field(e[2], 'about') == newcomer then
        if is_unread(e[1], upto, read_key) then
          redis.call('HINCRBY', meta_key, 'unread', -1)
        end
        redis.call('HDEL', read_key, e[1])
        removed_through(meta_key, e[1])
        erased = erased + 1
      else
        keep[#keep + 1] = e
      end
    end
    local last = info['last-generated-id']
    redis.call('DEL', stream)
    for _, e in ipairs(keep) do
      redis.call('XADD', stream, e[1], unpack(e[2]))
    end
    if #keep == 0 then
      -- XSETID needs the key: an empty stream is one entry added and
      -- deleted (its node goes with it).
      redis.call('XADD', stream, last, 'n', '')
      redis.call('XDEL', stream, last)
    end
    redis.call('XSETID', stream, last, 'ENTRIESADDED', info['entries-added'],
               'MAXDELETEDID', info['max-deleted-entry-id'])
  end
end
for i = 2, #ARGV do redis.call('SREM', KEYS[1], ARGV[i]) end
return erased
)lua"));
  return *script;
}

}  // namespace brobygger::notifications::inbox_scripts
