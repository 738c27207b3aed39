// What the delivery worker counts, as Prometheus metrics when the
// service's registry is handed in (nothing is counted without one; the
// worker's log lines still say what happened):
//   notifications_deliveries_total{channel,outcome}
//       outcome: delivered, retried, dead_lettered, dropped, postponed
//   notifications_delivery_attempt_seconds{channel}   one attempt's time
//   notifications_delivery_latency_seconds{channel}   enqueued -> delivered
// channel: webhook or email. Every series exists from the start, so a
// dashboard's rate() sees the first event.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_METRICS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_METRICS_H_

#include <array>
#include <memory>

#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "services/notifications/delivery_record.h"

namespace brobygger::notifications {

enum class DeliveryOutcome {
  kDelivered,
  kRetried,
  kDeadLettered,
  kDropped,
  kPostponed
};

class DeliveryMetrics {
 public:
  // `registry` may be null: then nothing is counted.
  explicit DeliveryMetrics(std::shared_ptr<prometheus::Registry> registry);

  void Count(DeliveryChannel channel, DeliveryOutcome outcome);
  void Attempted(DeliveryChannel channel, absl::Duration took);
  void Delivered(DeliveryChannel channel, absl::Duration since_enqueued);

 private:
  static constexpr int kChannels = 2;
  static constexpr int kOutcomes = 5;

  std::shared_ptr<prometheus::Registry> registry_;
  std::array<std::array<prometheus::Counter*, kOutcomes>, kChannels>
      outcomes_{};
  std::array<prometheus::Histogram*, kChannels> attempt_seconds_{};
  std::array<prometheus::Histogram*, kChannels> latency_seconds_{};
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_METRICS_H_
