#include "services/notifications/delivery_worker.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/log/log.h"
#include "common/status/macros.h"
#include "services/notifications/followed_municipalities.h"
#include "services/notifications/http_post.h"
#include "services/notifications/notification_names.h"
#include "services/notifications/webhook_delivery.h"

namespace brobygger::notifications {
namespace {

// Kept between the end of an attempt's timeout and the end of its lease,
// for the Redis writes that record the result.
constexpr absl::Duration kLeaseMargin = absl::Seconds(5);

// One printable line of at most kMaxReasonLength characters, like
// ClassifyWebhookAttempt's reasons.
std::string OneLine(absl::string_view text) {
  std::string out(text.substr(0, kMaxReasonLength));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = ' ';
  }
  return out;
}

// The delivery's fields fit for a log line: ids, never content.
log::Field F(absl::string_view name, absl::string_view value) {
  return {name, value};
}

}  // namespace

struct DeliveryWorker::EndpointCache {
  struct Entry {
    absl::Status status;  // of loading it
    v1::WebhookEndpoint endpoint;
    std::string secret;
    // Set once the circuit refused in this round.
    std::optional<absl::Time> refused_until;
  };
  absl::flat_hash_map<std::string, Entry> entries;
};

DeliveryWorker::DeliveryWorker(NotificationsContext& ctx, OutboundQueue& queue,
                               WebhookEndpoints& endpoints,
                               DeliveryWorkerOptions options)
    : ctx_(ctx),
      queue_(queue),
      endpoints_(endpoints),
      options_(std::move(options)),
      circuits_(ctx, options_.breaker),
      metrics_(options_.metrics) {
  options_.threads = std::max(1, options_.threads);
  options_.batch = std::max(1, options_.batch);
  absl::Duration longest = options_.http_timeout;
  if (options_.smtp_relay.has_value()) {
    longest = std::max(longest, options_.smtp_relay->connect_timeout +
                                    options_.smtp_relay->timeout);
  }
  options_.lease = std::max(options_.lease, longest + 2 * kLeaseMargin);
}

DeliveryWorker::~DeliveryWorker() { Stop(); }

void DeliveryWorker::Start() {
  absl::MutexLock lock(&mutex_);
  if (!threads_.empty()) return;
  stopping_ = false;
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this] { Loop(); });
  }
}

void DeliveryWorker::Stop() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  for (std::thread& thread : threads) thread.join();
}

bool DeliveryWorker::Stopping() {
  absl::MutexLock lock(&mutex_);
  return stopping_;
}

void DeliveryWorker::Loop() {
  while (!Stopping()) {
    int claimed = 0;
    absl::StatusOr<std::vector<std::string>> municipalities =
        FollowedMunicipalities(ctx_);
    if (!municipalities.ok()) {
      log::Warning("delivery worker cannot list municipalities",
                   {{"error", municipalities.status().message()}});
    } else {
      for (const std::string& m : *municipalities) {
        if (Stopping()) break;
        if (!api::IsValidMunicipalityId(m)) continue;
        absl::StatusOr<int> round = Round(m, /*stoppable=*/true);
        if (!round.ok()) {
          log::Warning(
              "delivery round failed",
              {{"municipality", m}, {"error", round.status().message()}});
          continue;
        }
        claimed += *round;
      }
    }
    if (claimed > 0) continue;
    absl::MutexLock lock(&mutex_);
    const auto stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return stopping_;
    };
    mutex_.AwaitWithTimeout(absl::Condition(&stop), options_.poll_interval);
  }
}

absl::Status DeliveryWorker::RunOnce(absl::string_view m) {
  return Round(m, /*stoppable=*/false).status();
}

absl::StatusOr<int> DeliveryWorker::Round(absl::string_view m, bool stoppable) {
  ASSIGN_OR_RETURN(
      std::vector<QueuedDelivery> claimed,
      queue_.Claim(m, options_.clock(), options_.batch, options_.lease));
  EndpointCache cache;
  absl::Status first_error;
  for (size_t i = 0; i < claimed.size(); ++i) {
    const QueuedDelivery& delivery = claimed[i];
    // Hand the rest back rather than start an attempt the lease may not
    // cover (another worker could claim it meanwhile) or delay a stop.
    if ((stoppable && Stopping()) ||
        options_.clock() + AttemptBudget(delivery) + kLeaseMargin >
            delivery.lease_until) {
      for (size_t j = i; j < claimed.size(); ++j) {
        absl::Status handed_back =
            queue_.Postpone(m, claimed[j].id, options_.clock());
        if (first_error.ok()) first_error = handed_back;
      }
      break;
    }
    absl::Status sent = Send(delivery, cache);
    if (!sent.ok()) {
      // Left leased: it is due again when the lease ends.
      log::Warning("delivery not handled; retried when its lease ends",
                   {F("municipality", m), F("delivery", delivery.id),
                    F("error", sent.message())});
      if (first_error.ok()) first_error = sent;
    }
  }
  if (!first_error.ok()) return first_error;
  return static_cast<int>(claimed.size());
}

absl::Duration DeliveryWorker::AttemptBudget(
    const QueuedDelivery& delivery) const {
  if (delivery.channel == DeliveryChannel::kEmail &&
      options_.smtp_relay.has_value()) {
    return options_.smtp_relay->connect_timeout + options_.smtp_relay->timeout;
  }
  return options_.http_timeout;
}

absl::Status DeliveryWorker::Send(const QueuedDelivery& delivery,
                                  EndpointCache& cache) {
  return delivery.channel == DeliveryChannel::kWebhook
             ? SendWebhook(delivery, cache)
             : SendEmail(delivery);
}

absl::Status DeliveryWorker::SendWebhook(const QueuedDelivery& delivery,
                                         EndpointCache& cache) {
  const std::string& m = delivery.municipality;
  const std::string& webhook_id = delivery.target;
  auto [it, inserted] = cache.entries.try_emplace(webhook_id);
  EndpointCache::Entry& entry = it->second;
  if (inserted) {
    absl::StatusOr<v1::WebhookEndpoint> endpoint =
        endpoints_.ForDelivery(m, webhook_id);
    entry.status = endpoint.status();
    if (endpoint.ok()) {
      entry.endpoint = *std::move(endpoint);
      if (!entry.endpoint.paused()) {
        absl::StatusOr<std::string> secret = endpoints_.SecretOf(m, webhook_id);
        entry.status = secret.status();
        if (secret.ok()) entry.secret = *std::move(secret);
      }
    }
  }
  const auto drop = [&]() {
    log::Info("webhook delivery dropped: the endpoint was deleted",
              {F("municipality", m), F("delivery", delivery.id),
               F("webhook", WebhookName(m, webhook_id)),
               F("event_id", delivery.event_id)});
    metrics_.Count(delivery.channel, DeliveryOutcome::kDropped);
    return queue_.Complete(m, delivery.id);
  };
  if (absl::IsNotFound(entry.status)) return drop();
  RETURN_IF_ERROR(entry.status);

  const absl::Time now = options_.clock();
  if (entry.endpoint.paused()) {
    return Wait(delivery, now + options_.paused_recheck,
                "the webhook endpoint is paused");
  }
  const std::string circuit_open = absl::StrCat(
      "the webhook endpoint's circuit is open after repeated failures",
      delivery.last_error.empty() ? "" : " (last: ", delivery.last_error,
      delivery.last_error.empty() ? "" : ")");
  if (entry.refused_until.has_value()) {
    return Wait(delivery, *entry.refused_until, circuit_open);
  }
  absl::StatusOr<WebhookCircuits::Permission> permission =
      circuits_.Allow(m, webhook_id, now);
  if (absl::IsNotFound(permission.status())) return drop();
  RETURN_IF_ERROR(permission.status());
  if (!permission->allowed) {
    entry.refused_until =
        std::max(permission->retry_time, now + options_.poll_interval);
    return Wait(delivery, *entry.refused_until, circuit_open);
  }

  HttpPostRequest request =
      BuildWebhookRequest(entry.endpoint.url(), entry.secret, delivery.id,
                          delivery.event_type, delivery.body, now);
  request.timeout = options_.http_timeout;
  const absl::Time started = absl::Now();
  const WebhookAttempt attempt = ClassifyWebhookAttempt(HttpPost(request));
  metrics_.Attempted(delivery.channel, absl::Now() - started);

  const absl::Time done = options_.clock();
  if (absl::Status recorded = circuits_.Record(m, webhook_id, attempt, done);
      !recorded.ok()) {
    // The delivery's own outcome matters more than the breaker's count.
    log::Warning("webhook circuit not updated",
                 {F("webhook", WebhookName(m, webhook_id)),
                  F("error", recorded.message())});
  }
  switch (attempt.outcome) {
    case WebhookOutcome::kDelivered:
      RETURN_IF_ERROR(queue_.Complete(m, delivery.id));
      metrics_.Count(delivery.channel, DeliveryOutcome::kDelivered);
      metrics_.Delivered(delivery.channel, done - delivery.enqueued);
      log::Debug("webhook delivered",
                 {F("municipality", m),
                  F("delivery", delivery.id),
                  F("webhook", WebhookName(m, webhook_id)),
                  {"attempts", int64_t{delivery.attempts + 1}}});
      return absl::OkStatus();
    case WebhookOutcome::kGiveUp:
      return GiveUp(delivery, attempt.reason, /*attempted=*/true);
    case WebhookOutcome::kRetry:
      return RetryOrGiveUp(delivery, attempt.reason);
  }
  return absl::OkStatus();
}

absl::Status DeliveryWorker::SendEmail(const QueuedDelivery& delivery) {
  const absl::Time now = options_.clock();
  if (!options_.smtp_relay.has_value()) {
    return Wait(delivery, now + options_.paused_recheck,
                "no SMTP relay is configured");
  }
  const absl::Time started = absl::Now();
  const absl::Status sent =
      SendMail(*options_.smtp_relay, delivery.email, delivery.id, now);
  metrics_.Attempted(delivery.channel, absl::Now() - started);
  if (sent.ok()) {
    RETURN_IF_ERROR(queue_.Complete(delivery.municipality, delivery.id));
    metrics_.Count(delivery.channel, DeliveryOutcome::kDelivered);
    metrics_.Delivered(delivery.channel, options_.clock() - delivery.enqueued);
    log::Debug("e-mail delivered",
               {F("municipality", delivery.municipality),
                F("delivery", delivery.id),
                {"attempts", int64_t{delivery.attempts + 1}}});
    return absl::OkStatus();
  }
  const std::string reason = OneLine(sent.ToString());
  switch (sent.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
      return GiveUp(delivery, reason, /*attempted=*/true);
    default:
      return RetryOrGiveUp(delivery, reason);
  }
}

absl::Status DeliveryWorker::Wait(const QueuedDelivery& delivery,
                                  absl::Time until, absl::string_view reason) {
  const absl::Time now = options_.clock();
  const absl::Time waiting_since =
      delivery.first_attempt.value_or(delivery.enqueued);
  if (ShouldGiveUp(options_.backoff, waiting_since, now)) {
    return GiveUp(delivery,
                  OneLine(absl::StrCat(
                      reason, " for longer than ",
                      absl::FormatDuration(options_.backoff.give_up_after))),
                  /*attempted=*/false);
  }
  metrics_.Count(delivery.channel, DeliveryOutcome::kPostponed);
  return queue_.Postpone(delivery.municipality, delivery.id,
                         std::max(until, now + options_.poll_interval));
}

absl::Status DeliveryWorker::RetryOrGiveUp(const QueuedDelivery& delivery,
                                           absl::string_view error) {
  const absl::Time now = options_.clock();
  if (ShouldGiveUp(options_.backoff, delivery.first_attempt.value_or(now),
                   now)) {
    return GiveUp(delivery, error, /*attempted=*/true);
  }
  thread_local absl::BitGen random;
  const absl::Duration delay =
      RetryDelay(options_.backoff, delivery.attempts + 1, random);
  RETURN_IF_ERROR(
      queue_.Retry(delivery.municipality, delivery.id, now + delay, error));
  metrics_.Count(delivery.channel, DeliveryOutcome::kRetried);
  log::Debug("delivery retried", {F("municipality", delivery.municipality),
                                  F("delivery", delivery.id),
                                  F("channel", ChannelName(delivery.channel)),
                                  {"attempts", int64_t{delivery.attempts + 1}},
                                  {"delay_s", absl::ToDoubleSeconds(delay)},
                                  F("error", error)});
  return absl::OkStatus();
}

absl::Status DeliveryWorker::GiveUp(const QueuedDelivery& delivery,
                                    absl::string_view error, bool attempted) {
  RETURN_IF_ERROR(
      queue_.GiveUp(delivery.municipality, delivery.id, error, attempted));
  metrics_.Count(delivery.channel, DeliveryOutcome::kDeadLettered);
  log::Warning("delivery dead-lettered",
               {F("municipality", delivery.municipality),
                F("delivery", delivery.id),
                F("channel", ChannelName(delivery.channel)),
                F("target", delivery.target),
                F("event_id", delivery.event_id),
                {"attempts", int64_t{delivery.attempts + (attempted ? 1 : 0)}},
                F("error", error)});
  return absl::OkStatus();
}

}  // namespace brobygger::notifications
