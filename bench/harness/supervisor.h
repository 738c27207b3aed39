// Keeps a benchmark run bounded and tidy: whatever happens (Ctrl-C,
// SIGTERM, a hang past the time limit), the processes and directories it
// created are removed before it exits.
//
// SIGINT, SIGTERM and SIGHUP are blocked in every thread (BlockSignals()
// must run first in main(), before gRPC starts its threads) and consumed by
// one watcher thread with sigtimedwait, which then kills the registered
// children, removes the registered directories and exits. A crash (SIGSEGV,
// SIGABRT) is handled by the child guard of the test harness, and the
// private redis-server dies with the process (PR_SET_PDEATHSIG).
#ifndef BROBYGGER_BENCH_HARNESS_SUPERVISOR_H_
#define BROBYGGER_BENCH_HARNESS_SUPERVISOR_H_

#include <pthread.h>
#include <sys/types.h>

#include <set>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace brobygger::bench {

class Supervisor {
 public:
  // Blocks the signals the watcher consumes in the calling thread; threads
  // created afterwards inherit the mask. Children started with
  // SpawnAttributes() (child_service.h) get a clean mask back.
  static void BlockSignals();

  // Starts the watcher: after `limit` the run is aborted. `program` names
  // the benchmark in the message it prints then.
  Supervisor(std::string program, absl::Duration limit);
  // Stops the watcher (the run ended by itself).
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Processes to SIGKILL and directories to remove if the run is aborted.
  void WatchPid(pid_t pid);
  void ForgetPid(pid_t pid);
  void WatchDir(const std::string& dir);
  void ForgetDir(const std::string& dir);

 private:
  void Watch(absl::Time deadline);
  [[noreturn]] void Abort(const std::string& why, int exit_code);

  const std::string program_;
  absl::Mutex mu_;
  std::set<pid_t> pids_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> dirs_ ABSL_GUARDED_BY(mu_);
  std::thread watcher_;
};

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_SUPERVISOR_H_
