#include "services/notifications/delivery_metrics.h"

#include <algorithm>
#include <string>
#include <utility>

namespace brobygger::notifications {
namespace {

constexpr DeliveryChannel kAllChannels[] = {DeliveryChannel::kWebhook,
                                            DeliveryChannel::kEmail};
constexpr DeliveryOutcome kAllOutcomes[] = {
    DeliveryOutcome::kDelivered, DeliveryOutcome::kRetried,
    DeliveryOutcome::kDeadLettered, DeliveryOutcome::kDropped,
    DeliveryOutcome::kPostponed};

const char* OutcomeName(DeliveryOutcome outcome) {
  switch (outcome) {
    case DeliveryOutcome::kDelivered:
      return "delivered";
    case DeliveryOutcome::kRetried:
      return "retried";
    case DeliveryOutcome::kDeadLettered:
      return "dead_lettered";
    case DeliveryOutcome::kDropped:
      return "dropped";
    case DeliveryOutcome::kPostponed:
      return "postponed";
  }
  return "unknown";
}

// An attempt: a fast local receiver to the 10 s timeout (60 s for SMTP).
const prometheus::Histogram::BucketBoundaries& AttemptBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return *buckets;
}

// Enqueued to delivered: at once, after retries, up to the 24 h limit.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600};
  return *buckets;
}

}  // namespace

DeliveryMetrics::DeliveryMetrics(std::shared_ptr<prometheus::Registry> registry)
    : registry_(std::move(registry)) {
  if (registry_ == nullptr) return;
  auto& outcomes = prometheus::BuildCounter()
                       .Name("notifications_deliveries_total")
                       .Help(
                           "Outbound deliveries handled, by channel and "
                           "what became of them.")
                       .Register(*registry_);
  auto& attempts = prometheus::BuildHistogram()
                       .Name("notifications_delivery_attempt_seconds")
                       .Help("Time of one delivery attempt, in seconds.")
                       .Register(*registry_);
  auto& latency = prometheus::BuildHistogram()
                      .Name("notifications_delivery_latency_seconds")
                      .Help(
                          "Time from enqueueing a delivery to its "
                          "successful attempt, in seconds.")
                      .Register(*registry_);
  for (DeliveryChannel channel : kAllChannels) {
    const int c = static_cast<int>(channel);
    const std::string name(ChannelName(channel));
    for (DeliveryOutcome outcome : kAllOutcomes) {
      outcomes_[c][static_cast<int>(outcome)] =
          &outcomes.Add({{"channel", name}, {"outcome", OutcomeName(outcome)}});
    }
    attempt_seconds_[c] = &attempts.Add({{"channel", name}}, AttemptBuckets());
    latency_seconds_[c] = &latency.Add({{"channel", name}}, LatencyBuckets());
  }
}

void DeliveryMetrics::Count(DeliveryChannel channel, DeliveryOutcome outcome) {
  if (registry_ == nullptr) return;
  outcomes_[static_cast<int>(channel)][static_cast<int>(outcome)]->Increment();
}

void DeliveryMetrics::Attempted(DeliveryChannel channel, absl::Duration took) {
  if (registry_ == nullptr) return;
  attempt_seconds_[static_cast<int>(channel)]->Observe(
      absl::ToDoubleSeconds(took));
}

void DeliveryMetrics::Delivered(DeliveryChannel channel,
                                absl::Duration since_enqueued) {
  if (registry_ == nullptr) return;
  latency_seconds_[static_cast<int>(channel)]->Observe(
      absl::ToDoubleSeconds(std::max(absl::ZeroDuration(), since_enqueued)));
}

}  // namespace brobygger::notifications
