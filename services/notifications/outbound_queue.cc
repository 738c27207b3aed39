#include "services/notifications/outbound_queue.h"

#include <openssl/sha.h>

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/redis/lua_script.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "google/protobuf/util/json_util.h"

namespace brobygger::notifications {
namespace {

// Hex digits of SHA-256 kept in a delivery id: 128 bits, collision-free
// for any realistic number of deliveries.
constexpr size_t kIdHexDigits = 32;
// Deliveries one Claim leases at most, so that one script's work (and its
// reply, up to this many bodies) stays bounded.
constexpr int kMaxClaim = 500;

// KEYS: delivery hash, due set, about set.
// ARGV: id, due (Unix ms), "1" when about someone, "1" when a done marker
// may be replaced (a replay), then the hash's field/value pairs.
// Returns 1 when queued, 0 when the delivery exists (waiting, or done
// and not replaceable).
const redis::LuaScript& EnqueueScript() {
  static const auto* script = new redis::LuaScript(R"lua(
local state = redis.call('HGET', KEYS[1], 's')
if state == 'w' then return 0 end
if state and ARGV[4] ~= '1' then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
if ARGV[3] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) end
return 1
)lua");
  return *script;
}

// KEYS: due set. ARGV: now (Unix ms), limit, lease end (Unix ms), the
// prefix of delivery hash keys.
// Moves the due deliveries' scores to the lease end and returns them as
// [id, [field, value, ...], ...]; ids without a waiting hash are dropped
// from the set.
const redis::LuaScript& ClaimScript() {
  static const auto* script = new redis::LuaScript(R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1],
                       'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local key = ARGV[4] .. id
  if redis.call('HGET', key, 's') == 'w' then
    redis.call('ZADD', KEYS[1], ARGV[3], id)
    out[#out + 1] = id
    out[#out + 1] = redis.call('HGETALL', key)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
)lua");
  return *script;
}

// KEYS: delivery hash, due set. ARGV: id, due (Unix ms), "1" to count an
// attempt, its error, its time (Unix ms).
// Returns 1 when rescheduled, 0 when the delivery is no longer waiting.
const redis::LuaScript& RescheduleScript() {
  static const auto* script = new redis::LuaScript(R"lua(
if redis.call('HGET', KEYS[1], 's') ~= 'w' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
if ARGV[3] == '1' then
  redis.call('HINCRBY', KEYS[1], 'attempts', 1)
  redis.call('HSET', KEYS[1], 'error', ARGV[4])
  if tonumber(redis.call('HGET', KEYS[1], 'first') or '0') == 0 then
    redis.call('HSET', KEYS[1], 'first', ARGV[5])
  end
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
)lua");
  return *script;
}

// Leaves a waiting delivery's hash as a done marker. Lua, shared by the
// scripts below: (hash key, id, due set, about prefix, ttl ms).
constexpr char kLuaFinish[] = R"lua(
local function finish(key, id, due, about_prefix, ttl)
  redis.call('ZREM', due, id)
  if redis.call('HGET', key, 's') ~= 'w' then return 0 end
  local about = redis.call('HGET', key, 'about')
  if about and about ~= '' then redis.call('SREM', about_prefix .. about, id) end
  redis.call('DEL', key)
  redis.call('HSET', key, 's', 'd')
  redis.call('PEXPIRE', key, ttl)
  return 1
end
)lua";

// KEYS: delivery hash, due set. ARGV: id, about prefix, ttl (ms).
// Returns 1 when the delivery was waiting, else 0.
const redis::LuaScript& FinishScript() {
  static const auto* script = new redis::LuaScript(
      absl::StrCat(kLuaFinish,
                   "return finish(KEYS[1], ARGV[1], KEYS[2], "
                   "ARGV[2], ARGV[3])\n"));
  return *script;
}

// KEYS: about set, due set. ARGV: delivery prefix, about prefix, ttl (ms).
// Finishes every waiting delivery about the newcomer; returns how many.
const redis::LuaScript& EraseAboutScript() {
  static const auto* script =
      new redis::LuaScript(absl::StrCat(kLuaFinish, R"lua(
local erased = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  erased = erased + finish(ARGV[1] .. id, id, KEYS[2], ARGV[2], ARGV[3])
end
redis.call('DEL', KEYS[1])
return erased
)lua"));
  return *script;
}

absl::Status UnexpectedReply(const redis::Reply& reply) {
  return absl::UnavailableError(absl::StrCat(
      "unexpected reply from Redis: ", reply.is_error() ? reply.str : "shape"));
}

std::string Millis(absl::Time time) {
  return absl::StrCat(absl::ToUnixMillis(time));
}

std::string TtlMillis(absl::Duration ttl) {
  return absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(ttl)));
}

std::string HashedId(char prefix, absl::string_view identity) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(identity.data()),
         identity.size(), digest);
  return absl::StrCat(
      absl::string_view(&prefix, 1),
      absl::BytesToHexString(
          absl::string_view(reinterpret_cast<const char*>(digest),
                            sizeof(digest)))
          .substr(0, kIdHexDigits));
}

std::vector<std::pair<std::string, std::string>> Pairs(
    const redis::Reply& array) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i + 1 < array.elements.size(); i += 2) {
    out.emplace_back(array.elements[i].str, array.elements[i + 1].str);
  }
  return out;
}

}  // namespace

OutboundQueue::OutboundQueue(NotificationsContext& ctx, Clock clock,
                             OutboundQueueOptions options)
    : ctx_(ctx), clock_(std::move(clock)), options_(options) {}

std::string OutboundQueue::WebhookDeliveryId(absl::string_view event_id,
                                             absl::string_view webhook_id) {
  return HashedId('w', absl::StrCat(event_id, "\n", webhook_id));
}

std::string OutboundQueue::EmailDeliveryId(absl::string_view dedupe_key,
                                           absl::string_view actor_id) {
  return HashedId('e', absl::StrCat(dedupe_key, "\n", actor_id, "\nemail"));
}

std::string OutboundQueue::DeliveryPrefix(absl::string_view m) const {
  std::string key = ctx_.keys.Delivery(m, "x");
  key.pop_back();
  return key;
}

std::string OutboundQueue::AboutPrefix(absl::string_view m) const {
  std::string key = ctx_.keys.DeliveriesAbout(m, "x");
  key.pop_back();
  return key;
}

namespace {

// Queues `delivery` due at `due`; `replace_done`: a replay may replace the
// done marker of an earlier run.
absl::Status Enqueue(NotificationsContext& ctx, const QueuedDelivery& delivery,
                     absl::Time due, bool replace_done) {
  RETURN_IF_ERROR(CheckDelivery(delivery));
  const std::string& m = delivery.municipality;
  std::vector<std::string> args = {delivery.id, Millis(due),
                                   delivery.about_newcomer.empty() ? "0" : "1",
                                   replace_done ? "1" : "0"};
  for (std::string& field : ToHashFields(delivery)) {
    args.push_back(std::move(field));
  }
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      EnqueueScript().Run(
          ctx.pool,
          {ctx.keys.Delivery(m, delivery.id), ctx.keys.DeliveriesDue(m),
           ctx.keys.DeliveriesAbout(m, delivery.about_newcomer.empty()
                                           ? "-"
                                           : delivery.about_newcomer)},
          args));
  if (!reply.is_integer()) return UnexpectedReply(reply);
  return absl::OkStatus();
}

}  // namespace

absl::Status OutboundQueue::EnqueueWebhook(absl::string_view m,
                                           absl::string_view webhook_id,
                                           const events::v1::Event& event,
                                           absl::string_view about_newcomer) {
  QueuedDelivery delivery;
  delivery.id = WebhookDeliveryId(event.id(), webhook_id);
  delivery.municipality = std::string(m);
  delivery.channel = DeliveryChannel::kWebhook;
  delivery.target = std::string(webhook_id);
  delivery.event_id = event.id();
  delivery.event_type = event.type();
  delivery.resource = event.resource();
  delivery.about_newcomer = std::string(about_newcomer);
  // The Any payload is written with its fields and "@type" through the
  // generated pool, which holds every Brobygger message.
  const auto json =
      google::protobuf::util::MessageToJsonString(event, &delivery.body);
  if (!json.ok()) {
    return InvalidFieldError(
        "event.payload",
        absl::StrCat("cannot be written as JSON (", json.ToString(),
                     "): is its type linked into the notification service?"));
  }
  const absl::Time now = clock_();
  delivery.enqueued = now;
  return Enqueue(ctx_, delivery, now, /*replace_done=*/false);
}

absl::Status OutboundQueue::EnqueueEmail(absl::string_view m,
                                         const OutboundEmail& email) {
  QueuedDelivery delivery;
  delivery.id = EmailDeliveryId(email.dedupe_key, email.actor_id);
  delivery.municipality = std::string(m);
  delivery.channel = DeliveryChannel::kEmail;
  delivery.target = email.actor_id;
  delivery.event_id = email.dedupe_key;
  delivery.event_type = email.event_type;
  delivery.resource = email.resource;
  delivery.about_newcomer = email.about_newcomer;
  delivery.email = email.message;
  const absl::Time now = clock_();
  delivery.enqueued = now;
  return Enqueue(ctx_, delivery, std::max(now, email.due),
                 /*replace_done=*/false);
}

absl::StatusOr<std::vector<QueuedDelivery>> OutboundQueue::Claim(
    absl::string_view m, absl::Time now, int limit, absl::Duration lease) {
  std::vector<QueuedDelivery> out;
  if (limit < 1) return out;
  limit = std::min(limit, kMaxClaim);
  const absl::Time lease_until = now + lease;
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ClaimScript().Run(ctx_.pool, {ctx_.keys.DeliveriesDue(m)},
                                     {Millis(now), absl::StrCat(limit),
                                      Millis(lease_until), DeliveryPrefix(m)}));
  if (!reply.is_array()) return UnexpectedReply(reply);
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    const std::string& id = reply.elements[i].str;
    absl::StatusOr<QueuedDelivery> delivery =
        FromHashFields(m, id, Pairs(reply.elements[i + 1]));
    if (!delivery.ok()) {
      // Not something any worker could send; keep it out of the way.
      log::Error("unreadable delivery dead-lettered",
                 {{"municipality", m},
                  {"delivery", id},
                  {"error", delivery.status().message()}});
      RETURN_IF_ERROR(GiveUp(m, id, delivery.status().message(), false));
      continue;
    }
    delivery->lease_until = lease_until;
    out.push_back(*std::move(delivery));
  }
  return out;
}

absl::StatusOr<bool> OutboundQueue::Finish(absl::string_view m,
                                           absl::string_view id) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      FinishScript().Run(
          ctx_.pool, {ctx_.keys.Delivery(m, id), ctx_.keys.DeliveriesDue(m)},
          {std::string(id), AboutPrefix(m), TtlMillis(options_.done_ttl)}));
  if (!reply.is_integer()) return UnexpectedReply(reply);
  return reply.integer == 1;
}

absl::Status OutboundQueue::Complete(absl::string_view m,
                                     absl::string_view id) {
  return Finish(m, id).status();
}

absl::Status OutboundQueue::Retry(absl::string_view m, absl::string_view id,
                                  absl::Time next_due,
                                  absl::string_view error) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      RescheduleScript().Run(
          ctx_.pool, {ctx_.keys.Delivery(m, id), ctx_.keys.DeliveriesDue(m)},
          {std::string(id), Millis(next_due), "1", std::string(error),
           Millis(clock_())}));
  if (!reply.is_integer()) return UnexpectedReply(reply);
  return absl::OkStatus();
}

absl::Status OutboundQueue::Postpone(absl::string_view m, absl::string_view id,
                                     absl::Time due) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      RescheduleScript().Run(
          ctx_.pool, {ctx_.keys.Delivery(m, id), ctx_.keys.DeliveriesDue(m)},
          {std::string(id), Millis(due), "0", "", "0"}));
  if (!reply.is_integer()) return UnexpectedReply(reply);
  return absl::OkStatus();
}

absl::Status OutboundQueue::GiveUp(absl::string_view m, absl::string_view id,
                                   absl::string_view error, bool attempted) {
  ASSIGN_OR_RETURN(redis::Reply stored,
                   ctx_.pool.Run({"HGETALL", ctx_.keys.Delivery(m, id)}));
  if (!stored.is_array()) return UnexpectedReply(stored);
  const std::vector<std::pair<std::string, std::string>> fields = Pairs(stored);
  absl::StatusOr<QueuedDelivery> delivery = FromHashFields(m, id, fields);
  if (!delivery.ok()) {
    bool waiting = false;
    for (const auto& [field, value] : fields) {
      waiting = waiting || (field == "s" && value == "w");
    }
    // Already ended (another worker finished it): nothing to give up.
    if (!waiting) return absl::OkStatus();
    // Waiting but unreadable: keep what there is so operators see it.
    QueuedDelivery unreadable;
    unreadable.id = std::string(id);
    unreadable.municipality = std::string(m);
    delivery = std::move(unreadable);
  }
  const int attempts = delivery->attempts + (attempted ? 1 : 0);
  std::vector<std::string> xadd = {"XADD",
                                   ctx_.keys.DeadLetters(),
                                   "MAXLEN",
                                   "~",
                                   absl::StrCat(options_.dead_letter_max_len),
                                   "*"};
  for (std::string& field : DeadLetterFields(*delivery, error, attempts)) {
    xadd.push_back(std::move(field));
  }
  // Copy first (another hash tag, so not in the same script), then remove:
  // a crash in between duplicates the dead letter, never loses it.
  ASSIGN_OR_RETURN(redis::Reply added, ctx_.pool.Run(xadd));
  if (!added.is_string()) return UnexpectedReply(added);
  ASSIGN_OR_RETURN(const bool was_waiting, Finish(m, id));
  if (!was_waiting) {
    // Completed, or erased with its newcomer, while we copied it: the dead
    // letter must not outlive it.
    ASSIGN_OR_RETURN(
        redis::Reply removed,
        ctx_.pool.Run({"XDEL", ctx_.keys.DeadLetters(), added.str}));
    if (removed.is_error()) return UnexpectedReply(removed);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> OutboundQueue::EraseAbout(absl::string_view m,
                                              absl::string_view newcomer_id) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      EraseAboutScript().Run(
          ctx_.pool,
          {ctx_.keys.DeliveriesAbout(m, newcomer_id),
           ctx_.keys.DeliveriesDue(m)},
          {DeliveryPrefix(m), AboutPrefix(m), TtlMillis(options_.done_ttl)}));
  if (!reply.is_integer()) return UnexpectedReply(reply);
  return static_cast<int>(reply.integer);
}

absl::Status OutboundQueue::Requeue(const events::StreamEntry& dead_letter) {
  ASSIGN_OR_RETURN(QueuedDelivery delivery,
                   FromReplayJson(dead_letter.Field("delivery")));
  const absl::Time now = clock_();
  delivery.enqueued = now;
  return Enqueue(ctx_, delivery, now, /*replace_done=*/true);
}

}  // namespace brobygger::notifications
