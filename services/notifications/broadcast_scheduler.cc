#include "services/notifications/broadcast_scheduler.h"

#include <string>

#include "common/log/log.h"

namespace brobygger::notifications {

bool BroadcastScheduler::Stopping() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stop_;
}

absl::StatusOr<int> BroadcastScheduler::RunOnce() {
  absl::StatusOr<redis::Reply> municipalities =
      ctx_.pool.Run({"ZRANGE", ctx_.keys.Municipalities(), "0", "-1"});
  if (municipalities.ok() && municipalities->is_error()) {
    municipalities = absl::UnavailableError(municipalities->str);
  }
  if (!municipalities.ok()) {
    log::Warning(
        "reading the followed municipalities failed; retried next "
        "tick",
        {{"error", municipalities.status().ToString()}});
    return municipalities.status();
  }
  int sent = 0;
  absl::Status first_error;
  for (const redis::Reply& municipality : municipalities->elements) {
    for (int batch = 0; batch < options_.max_batches_per_tick; ++batch) {
      if (Stopping()) return sent;
      absl::StatusOr<int> made =
          broadcasts_.SendDue(municipality.str, options_.batch);
      if (!made.ok()) {
        log::Warning("sending due broadcasts failed; retried next tick",
                     {{"municipality", municipality.str},
                      {"error", made.status().ToString()}});
        first_error.Update(made.status());
        break;
      }
      sent += *made;
      if (*made < options_.batch) break;
    }
  }
  if (!first_error.ok()) return first_error;
  return sent;
}

void BroadcastScheduler::Start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread_.joinable()) return;
    stop_ = false;
  }
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      lock.unlock();
      // Errors were logged per municipality; the next tick retries.
      (void)RunOnce();
      lock.lock();
      wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.interval),
                     [this] { return stop_; });
    }
  });
}

void BroadcastScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace brobygger::notifications
