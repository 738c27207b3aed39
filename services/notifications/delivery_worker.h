// The delivery worker: sends what the outbound queue holds, on every
// replica at once (the queue's leases keep them apart).
//
// Each thread goes round the municipalities (NotificationsKeys::
// Municipalities), claims up to `batch` due deliveries of each and sends
// them one by one; when a round found nothing it waits `poll_interval`.
//
// Webhooks (webhook.proto):
// - deleted endpoint: the delivery is dropped (a log line, no dead letter:
//   its owner removed it on purpose);
// - paused endpoint: the delivery waits, checked again every
//   `paused_recheck`, without counting an attempt;
// - open circuit (webhook_circuits.h, shared by the replicas): it waits
//   until the breaker's retry time, without counting an attempt; when the
//   cool-down is over one delivery goes as the probe;
// - otherwise it is signed with the endpoint's secret and POSTed with the
//   same delivery id on every try, and ClassifyWebhookAttempt decides:
//   delivered -> done; retry -> again after RetryDelay(attempt), or dead-
//   lettered once ShouldGiveUp (24 h after the first attempt); give up
//   (410, an unusable request) -> dead-lettered at once. The result also
//   goes to the circuit breaker and the endpoint's last_error /
//   last_success_time.
// E-mails: sent through `smtp_relay` with the delivery id as Message-ID.
//   INVALID_ARGUMENT and FAILED_PRECONDITION (SMTP 5xx, e.g. 550 unknown
//   mailbox) dead-letter at once; UNAVAILABLE, DEADLINE_EXCEEDED and
//   PERMISSION_DENIED are retried with backoff like webhooks. Refused
//   credentials are retried rather than dead-lettered: fixing the relay
//   settings then sends the backlog by itself, where dead-lettering would
//   leave operators replaying every e-mail one by one.
//   Without a relay configured this replica leaves e-mails waiting
//   (postponed like a paused endpoint's deliveries), so that in a rolling
//   deployment a replica that has one still sends them.
// Waiting is bounded: a delivery that has waited without an attempt
// (paused, open circuit, no relay) for `backoff.give_up_after` since it
// was enqueued is dead-lettered with the reason, like one retried for that
// long. So nothing stays in the queue much longer than a day.
//
// A claimed delivery is only started while its lease has room for the
// attempt's timeout; the rest of a slow batch is handed back (due at
// once) for another thread or replica, and so is the rest of a batch when
// Stop() is called.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_WORKER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_WORKER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "prometheus/registry.h"
#include "services/notifications/circuit_breaker.h"
#include "services/notifications/delivery_metrics.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/outbound_queue.h"
#include "services/notifications/retry_backoff.h"
#include "services/notifications/smtp_mail.h"
#include "services/notifications/webhook_circuits.h"
#include "services/notifications/webhook_endpoints.h"

namespace brobygger::notifications {

struct DeliveryWorkerOptions {
  int threads = 2;
  // The wait after a round that found nothing to send.
  absl::Duration poll_interval = absl::Milliseconds(200);
  // How long a claimed delivery is exclusively this worker's. Must exceed
  // http_timeout and the relay's timeout (it is raised to that, plus a
  // margin, if not).
  absl::Duration lease = absl::Seconds(60);
  // Deliveries claimed per municipality and round.
  int batch = 50;
  BackoffPolicy backoff;
  CircuitBreakerPolicy breaker;
  // Where e-mails go; none: this replica sends no e-mail (see above).
  std::optional<SmtpRelay> smtp_relay;
  absl::Duration http_timeout = kWebhookTimeout;
  // How often a paused endpoint's (or relay-less) deliveries look again.
  absl::Duration paused_recheck = absl::Minutes(1);
  // The time for leases, backoff and signatures (tests move it).
  std::function<absl::Time()> clock = absl::Now;
  // The service's Prometheus registry; null: log lines only.
  std::shared_ptr<prometheus::Registry> metrics;
};

class DeliveryWorker {
 public:
  DeliveryWorker(NotificationsContext& ctx, OutboundQueue& queue,
                 WebhookEndpoints& endpoints, DeliveryWorkerOptions options);
  ~DeliveryWorker();  // Stop()s
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // Starts the threads; a no-op when running.
  void Start();
  // Asks the threads to stop and joins them: they finish the attempt in
  // flight (at most http_timeout), hand back the rest of their batch and
  // return.
  void Stop();

  // One claim-and-send round for a municipality, on the caller's thread.
  absl::Status RunOnce(absl::string_view m);

 private:
  // What one round remembers per endpoint, so a batch of deliveries to the
  // same endpoint loads it once and, once its circuit refused, asks no more.
  struct EndpointCache;

  void Loop();
  bool Stopping();
  // Claims and sends; how many deliveries were claimed. `stoppable`: the
  // rest of the batch is handed back once Stop() was called.
  absl::StatusOr<int> Round(absl::string_view m, bool stoppable);
  absl::Status Send(const QueuedDelivery& delivery, EndpointCache& cache);
  absl::Status SendWebhook(const QueuedDelivery& delivery,
                           EndpointCache& cache);
  absl::Status SendEmail(const QueuedDelivery& delivery);
  // Waits without an attempt until `until`, unless it has waited too long
  // already: then it is dead-lettered with `reason`.
  absl::Status Wait(const QueuedDelivery& delivery, absl::Time until,
                    absl::string_view reason);
  // After a failed attempt: retried with backoff, or dead-lettered once
  // retried for too long.
  absl::Status RetryOrGiveUp(const QueuedDelivery& delivery,
                             absl::string_view error);
  absl::Status GiveUp(const QueuedDelivery& delivery, absl::string_view error,
                      bool attempted);
  // The longest an attempt of the delivery's channel may take.
  absl::Duration AttemptBudget(const QueuedDelivery& delivery) const;

  NotificationsContext& ctx_;
  OutboundQueue& queue_;
  WebhookEndpoints& endpoints_;
  DeliveryWorkerOptions options_;
  WebhookCircuits circuits_;
  DeliveryMetrics metrics_;

  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_WORKER_H_
