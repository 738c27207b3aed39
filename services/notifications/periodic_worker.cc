#include "services/notifications/periodic_worker.h"

namespace brobygger::notifications {

void PeriodicWorker::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      lock.unlock();
      tick_();
      lock.lock();
      wake_.wait_for(lock, absl::ToChronoMilliseconds(interval_),
                     [this] { return stop_; });
    }
  });
}

void PeriodicWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool PeriodicWorker::stopping() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stop_;
}

}  // namespace brobygger::notifications
