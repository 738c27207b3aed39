// Makes the broadcasts' due sendings in the background: every `interval`
// (5 s by default), for each municipality the service follows
// (NotificationsKeys::Municipalities), Broadcasts::SendDue. Every replica
// runs one; the due entries' leases let only one of them make each
// sending. Errors are logged and the sending is tried again on a later
// tick.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_SCHEDULER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_SCHEDULER_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/notifications/broadcasts.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/periodic_worker.h"

namespace brobygger::notifications {

struct BroadcastSchedulerOptions {
  absl::Duration interval = absl::Seconds(5);
  // Broadcasts claimed per SendDue call; a tick calls again while a call
  // fills its batch, so a backlog drains without waiting for more ticks.
  int batch = 50;
  // At most this many SendDue calls per municipality and tick, so one
  // municipality's backlog does not starve the others.
  int max_batches_per_tick = 20;
};

class BroadcastScheduler {
 public:
  BroadcastScheduler(NotificationsContext& ctx, Broadcasts& broadcasts,
                     BroadcastSchedulerOptions options = {})
      : ctx_(ctx),
        broadcasts_(broadcasts),
        options_(options),
        worker_(options.interval, [this] { (void)RunOnce(); }) {}
  ~BroadcastScheduler() { Stop(); }
  BroadcastScheduler(const BroadcastScheduler&) = delete;
  BroadcastScheduler& operator=(const BroadcastScheduler&) = delete;

  // One pass over every followed municipality (exposed for tests): how
  // many sendings were made. Errors are logged; a municipality's error
  // does not keep the others from being served, and the first is
  // returned at the end.
  absl::StatusOr<int> RunOnce();

  // Starts the background thread (a pass at once, then every interval).
  void Start() { worker_.Start(); }
  // Wakes the thread and waits for it: returns at once when it is
  // waiting, else when the SendDue call in progress has finished.
  void Stop() { worker_.Stop(); }

 private:
  NotificationsContext& ctx_;
  Broadcasts& broadcasts_;
  BroadcastSchedulerOptions options_;
  PeriodicWorker worker_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_SCHEDULER_H_
