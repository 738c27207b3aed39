#include "services/notifications/rate_limiter.h"

#include <algorithm>
#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/redis/lua_script.h"

namespace brobygger::notifications {
namespace {

// KEYS: the window's sorted set. ARGV: now (ms), window (ms), limit, a
// unique member. Entries at or before now - window have slid out.
const redis::LuaScript& AcquireScript() {
  static const auto* script = new redis::LuaScript(R"lua(
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 1
)lua");
  return *script;
}

// Two acquisitions in the same millisecond (several replicas, several
// threads) must be two members; 64 random bits keep them apart.
std::string UniqueMember(int64_t now_ms) {
  thread_local absl::BitGen gen;
  return absl::StrCat(now_ms, "-", absl::Hex(absl::Uniform<uint64_t>(gen)));
}

}  // namespace

std::string RecipientRateKey(absl::string_view municipality,
                             absl::string_view actor_id) {
  static const auto* keys = new redis::KeySpace("notifications");
  return keys->Key(municipality, {"rate", actor_id});
}

absl::StatusOr<bool> RateLimiter::TryAcquire(const std::string& key, int limit,
                                             absl::Duration window,
                                             absl::Time now) {
  if (window <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("rate limit window must be positive, got ",
                     absl::FormatDuration(window)));
  }
  if (limit <= 0) return false;
  const int64_t now_ms = absl::ToUnixMillis(now);
  // PEXPIRE needs at least 1 ms.
  const int64_t window_ms =
      std::max<int64_t>(1, absl::ToInt64Milliseconds(window));
  absl::StatusOr<redis::Reply> reply =
      AcquireScript().Run(pool_, {key},
                          {absl::StrCat(now_ms), absl::StrCat(window_ms),
                           absl::StrCat(limit), UniqueMember(now_ms)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    return absl::InternalError(
        absl::StrCat("Redis rate limiter on ", key, ": ", reply->str));
  }
  return reply->integer == 1;
}

}  // namespace brobygger::notifications
