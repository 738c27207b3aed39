// A WatchHub listener for tests: drains its watch into a list as soon as
// the hub says messages wait, and lets the test wait for what it expects.
#ifndef BROBYGGER_TESTS_NOTIFICATIONS_WATCH_COLLECTOR_H_
#define BROBYGGER_TESTS_NOTIFICATIONS_WATCH_COLLECTOR_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/notifications/watch_hub.h"

namespace brobygger::notifications {

class WatchCollector : public WatchHub::Listener {
 public:
  // `drain` false: the test pops itself (a client that does not read).
  explicit WatchCollector(bool drain = true) : drain_(drain) {}

  void Attach(std::shared_ptr<WatchHub::Watch> watch) {
    absl::MutexLock lock(&mu_);
    watch_ = std::move(watch);
    DrainLocked();
  }

  void OnReady() override {
    absl::MutexLock lock(&mu_);
    ++ready_calls_;
    DrainLocked();
  }
  void OnStopped() override {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }

  // Waits (at most `limit`, so that a broken hub fails the test instead of
  // hanging it) until `done` holds for the messages received so far.
  bool WaitFor(const std::function<bool(
                   const std::vector<v1::WatchNotificationsResponse>&)>& done,
               absl::Duration limit = absl::Seconds(20)) {
    absl::MutexLock lock(&mu_);
    const auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return done(received_);
    };
    return mu_.AwaitWithTimeout(absl::Condition(&ready), limit);
  }
  bool WaitForNotifications(size_t count) {
    return WaitFor([count](const auto& received) {
      return Notifications(received).size() >= count;
    });
  }
  bool WaitForReadyCalls(int count) {
    absl::MutexLock lock(&mu_);
    const auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return ready_calls_ >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&ready), absl::Seconds(20));
  }

  int ready_calls() {
    absl::MutexLock lock(&mu_);
    return ready_calls_;
  }
  std::vector<v1::WatchNotificationsResponse> received() {
    absl::MutexLock lock(&mu_);
    return received_;
  }
  bool stopped() {
    absl::MutexLock lock(&mu_);
    return stopped_;
  }

  static std::vector<v1::WatchNotificationsResponse> Notifications(
      const std::vector<v1::WatchNotificationsResponse>& all) {
    std::vector<v1::WatchNotificationsResponse> out;
    for (const auto& r : all) {
      if (r.has_notification()) out.push_back(r);
    }
    return out;
  }

 private:
  void DrainLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!drain_ || watch_ == nullptr) return;
    while (auto next = watch_->Pop()) received_.push_back(*std::move(next));
  }

  const bool drain_;
  absl::Mutex mu_;
  std::shared_ptr<WatchHub::Watch> watch_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::WatchNotificationsResponse> received_ ABSL_GUARDED_BY(mu_);
  int ready_calls_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_TESTS_NOTIFICATIONS_WATCH_COLLECTOR_H_
