// Ctrl-C for broctl's long-running commands (notifications watch,
// webhook-receiver): SIGINT and SIGTERM become a call on a thread of its
// own, where stopping a gRPC stream or an accept loop is allowed (neither
// is async-signal-safe, so a signal handler could not do it).
//
//   std::optional<InboxWatcher> watcher;  // outlives the waiter
//   StopSignals signals;                  // before gRPC starts threads
//   watcher.emplace(...);
//   signals.Start([&] { watcher->Stop(); });
//
// The signals are blocked in the constructing thread, and so in every
// thread started after it, and taken with sigwait by the waiter. A second
// signal ends the process at once (exit status 130) for when stopping
// hangs.
#ifndef BROBYGGER_TOOLS_BROCTL_STOP_SIGNALS_H_
#define BROBYGGER_TOOLS_BROCTL_STOP_SIGNALS_H_

#include <signal.h>

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace brobygger::broctl {

class StopSignals {
 public:
  StopSignals();
  // Stops the waiter and restores the signal mask.
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Calls `on_stop` at the first SIGINT or SIGTERM (once; at once if one
  // came since construction). Call at most once.
  void Start(std::function<void()> on_stop);

 private:
  void Wait();

  sigset_t stop_set_;
  sigset_t old_mask_;
  std::function<void()> on_stop_;
  absl::Mutex mutex_;
  bool closing_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread waiter_;
};

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_STOP_SIGNALS_H_
