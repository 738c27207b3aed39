#include "services/notifications/webhook_circuits.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/lua_script.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "services/notifications/notification_names.h"
#include "services/notifications/notifications_keys.h"

namespace brobygger::notifications {
namespace {

constexpr char kBreakerField[] = "b";
constexpr char kErrorField[] = "e";
constexpr char kSuccessField[] = "s";
// Compare-and-set conflicts happen only when replicas record results for
// the same endpoint at the same moment; a handful of rounds settles them.
constexpr int kMaxCasAttempts = 20;

// KEYS: circuit hash, the endpoint's document.
// ARGV: expected breaker line ("" = none stored), new line, last error
// ("" = keep), last success in Unix ms ("" = keep).
// Returns 1 when written, 0 when the breaker changed meanwhile, -1 when
// the endpoint no longer exists.
const redis::LuaScript& CompareAndSetScript() {
  static const auto* script = new redis::LuaScript(R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
local current = redis.call('HGET', KEYS[1], 'b') or ''
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'b', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'e', ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 's', ARGV[4]) end
return 1
)lua");
  return *script;
}

absl::Status UnexpectedReply(const redis::Reply& reply) {
  return absl::UnavailableError(absl::StrCat(
      "unexpected reply from Redis: ", reply.is_error() ? reply.str : "shape"));
}

// The stored line as a breaker; a missing or unreadable line is a closed
// circuit (the worst it costs is a few extra attempts).
CircuitBreaker BreakerOf(absl::string_view line,
                         const CircuitBreakerPolicy& policy) {
  absl::StatusOr<CircuitBreaker> parsed = CircuitBreaker::Parse(line, policy);
  return parsed.ok() ? *std::move(parsed) : CircuitBreaker(policy);
}

}  // namespace

void PresentHealth(const WebhookHealth& health, v1::WebhookEndpoint* endpoint) {
  endpoint->set_circuit_state(ToProtoCircuitState(health.state));
  if (health.state == BreakerState::kClosed) {
    endpoint->clear_circuit_retry_time();
  } else {
    *endpoint->mutable_circuit_retry_time() =
        store::ToTimestamp(health.retry_time);
  }
  endpoint->set_last_error(health.last_error);
  if (health.last_success.has_value()) {
    *endpoint->mutable_last_success_time() =
        store::ToTimestamp(*health.last_success);
  } else {
    endpoint->clear_last_success_time();
  }
}

template <typename Change>
absl::StatusOr<CircuitBreaker> WebhookCircuits::Update(
    absl::string_view m, absl::string_view webhook_id, Change change,
    absl::string_view last_error, std::optional<absl::Time> success) {
  const std::string key = ctx_.keys.WebhookCircuit(m, webhook_id);
  const std::string document =
      ctx_.store.DocumentKey(m, kWebhookCollection, webhook_id);
  const std::string success_ms =
      success.has_value() ? absl::StrCat(absl::ToUnixMillis(*success)) : "";
  for (int attempt = 1; attempt <= kMaxCasAttempts; ++attempt) {
    ASSIGN_OR_RETURN(redis::Reply stored,
                     ctx_.pool.Run({"HGET", key, kBreakerField}));
    if (stored.is_error()) return UnexpectedReply(stored);
    const std::string expected = stored.is_string() ? stored.str : "";
    CircuitBreaker breaker = BreakerOf(expected, policy_);
    change(breaker);
    const std::string line = breaker.Serialize();
    if (line == expected && last_error.empty() && success_ms.empty()) {
      return breaker;  // nothing to write
    }
    ASSIGN_OR_RETURN(
        redis::Reply written,
        CompareAndSetScript().Run(
            ctx_.pool, {key, document},
            {expected, line, std::string(last_error), success_ms}));
    if (!written.is_integer()) return UnexpectedReply(written);
    if (written.integer == -1) {
      return ResourceNotFoundError(kWebhookType, WebhookName(m, webhook_id));
    }
    if (written.integer == 1) return breaker;
  }
  return absl::AbortedError(absl::StrCat(
      "the circuit of ", WebhookName(m, webhook_id),
      " kept changing concurrently; the delivery will be retried"));
}

absl::StatusOr<WebhookCircuits::Permission> WebhookCircuits::Allow(
    absl::string_view m, absl::string_view webhook_id, absl::Time now) {
  bool allowed = false;
  ASSIGN_OR_RETURN(CircuitBreaker breaker, Update(
                                               m, webhook_id,
                                               [&](CircuitBreaker& b) {
                                                 allowed = b.AllowRequest(now);
                                               },
                                               "", std::nullopt));
  return Permission{allowed,
                    allowed ? absl::InfinitePast() : breaker.RetryTime()};
}

absl::Status WebhookCircuits::Record(absl::string_view m,
                                     absl::string_view webhook_id,
                                     const WebhookAttempt& attempt,
                                     absl::Time now) {
  auto change = [&](CircuitBreaker& b) {
    switch (attempt.circuit) {
      case CircuitEffect::kSuccess:
        b.RecordSuccess();
        break;
      case CircuitEffect::kFailure:
        b.RecordFailure(now);
        break;
      case CircuitEffect::kNone:
        break;
    }
  };
  const std::optional<absl::Time> success =
      attempt.outcome == WebhookOutcome::kDelivered ? std::optional(now)
                                                    : std::nullopt;
  absl::StatusOr<CircuitBreaker> written =
      Update(m, webhook_id, change, attempt.reason, success);
  // An endpoint deleted while its delivery was in flight has no health to
  // keep.
  if (absl::IsNotFound(written.status())) return absl::OkStatus();
  return written.status();
}

absl::StatusOr<std::vector<WebhookHealth>> WebhookCircuits::Health(
    absl::string_view m, const std::vector<std::string>& webhook_ids) {
  std::vector<WebhookHealth> out;
  if (webhook_ids.empty()) return out;
  std::vector<redis::Command> commands;
  commands.reserve(webhook_ids.size());
  for (const std::string& id : webhook_ids) {
    commands.push_back({"HMGET", ctx_.keys.WebhookCircuit(m, id), kBreakerField,
                        kErrorField, kSuccessField});
  }
  ASSIGN_OR_RETURN(std::vector<redis::Reply> replies,
                   ctx_.pool.Pipeline(commands));
  for (const redis::Reply& reply : replies) {
    if (!reply.is_array() || reply.elements.size() != 3) {
      return UnexpectedReply(reply);
    }
    WebhookHealth health;
    const CircuitBreaker breaker = BreakerOf(reply.elements[0].str, policy_);
    health.state = breaker.state();
    health.retry_time = breaker.RetryTime();
    health.last_error = reply.elements[1].str;
    int64_t success_ms = 0;
    if (absl::SimpleAtoi(reply.elements[2].str, &success_ms) &&
        success_ms > 0) {
      health.last_success = absl::FromUnixMillis(success_ms);
    }
    out.push_back(std::move(health));
  }
  return out;
}

}  // namespace brobygger::notifications
