#include "tools/broctl/stop_signals.h"

#include <pthread.h>

#include <cstdlib>
#include <utility>

namespace brobygger::broctl {
namespace {

// 128 + SIGINT, what shells report for a process ended by Ctrl-C.
constexpr int kExitInterrupted = 130;

}  // namespace

StopSignals::StopSignals() {
  sigemptyset(&stop_set_);
  sigaddset(&stop_set_, SIGINT);
  sigaddset(&stop_set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_set_, &old_mask_);
}

StopSignals::~StopSignals() {
  if (waiter_.joinable()) {
    {
      absl::MutexLock lock(&mutex_);
      closing_ = true;
    }
    // Wakes the waiter's sigwait; it sees closing_ and returns.
    pthread_kill(waiter_.native_handle(), SIGTERM);
    waiter_.join();
  }
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

void StopSignals::Start(std::function<void()> on_stop) {
  on_stop_ = std::move(on_stop);
  waiter_ = std::thread([this] { Wait(); });
}

void StopSignals::Wait() {
  bool stopped = false;
  while (true) {
    int signal_number = 0;
    if (sigwait(&stop_set_, &signal_number) != 0) continue;
    {
      absl::MutexLock lock(&mutex_);
      if (closing_) return;
    }
    if (stopped) std::_Exit(kExitInterrupted);
    stopped = true;
    on_stop_();
  }
}

}  // namespace brobygger::broctl
