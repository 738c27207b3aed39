// A background thread that runs a task every interval until stopped, and
// stops promptly (it waits on a condition variable, not a sleep).
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_PERIODIC_WORKER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_PERIODIC_WORKER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace brobygger::notifications {

class PeriodicWorker {
 public:
  // `tick` runs on the worker's thread; it logs its own errors.
  PeriodicWorker(absl::Duration interval, std::function<void()> tick)
      : interval_(interval), tick_(std::move(tick)) {}
  ~PeriodicWorker() { Stop(); }

  void Start();
  // Returns once the running tick (if any) finished.
  void Stop();
  // Whether Stop was called: long ticks check it between steps.
  bool stopping();

 private:
  const absl::Duration interval_;
  const std::function<void()> tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_PERIODIC_WORKER_H_
