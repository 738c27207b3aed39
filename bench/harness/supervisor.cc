#include "bench/harness/supervisor.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/time/clock.h"

namespace brobygger::bench {
namespace {

// SIGUSR1 is how the destructor wakes the watcher for a normal end.
sigset_t WatchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);
  return set;
}

}  // namespace

void Supervisor::BlockSignals() {
  const sigset_t set = WatchedSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

Supervisor::Supervisor(std::string program, absl::Duration limit)
    : program_(std::move(program)) {
  const absl::Time deadline = absl::Now() + limit;
  watcher_ = std::thread([this, deadline] { Watch(deadline); });
}

Supervisor::~Supervisor() {
  pthread_kill(watcher_.native_handle(), SIGUSR1);
  watcher_.join();
}

void Supervisor::WatchPid(pid_t pid) {
  absl::MutexLock lock(&mu_);
  pids_.insert(pid);
}

void Supervisor::ForgetPid(pid_t pid) {
  absl::MutexLock lock(&mu_);
  pids_.erase(pid);
}

void Supervisor::WatchDir(const std::string& dir) {
  absl::MutexLock lock(&mu_);
  dirs_.insert(dir);
}

void Supervisor::ForgetDir(const std::string& dir) {
  absl::MutexLock lock(&mu_);
  dirs_.erase(dir);
}

void Supervisor::Watch(absl::Time deadline) {
  const sigset_t set = WatchedSignals();
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      Abort("the run exceeded its time limit (--time_limit); stopped", 3);
    }
    const timespec timeout = absl::ToTimespec(left);
    siginfo_t info;
    const int signal_number = sigtimedwait(&set, &info, &timeout);
    if (signal_number == SIGUSR1) return;
    if (signal_number > 0) {
      Abort(std::string("interrupted by ") + strsignal(signal_number),
            128 + signal_number);
    }
    // EAGAIN (time is up) or EINTR: the loop checks the deadline.
  }
}

void Supervisor::Abort(const std::string& why, int exit_code) {
  std::fprintf(stderr, "\n%s: %s; stopping the servers\n", program_.c_str(),
               why.c_str());
  absl::MutexLock lock(&mu_);
  for (const pid_t pid : pids_) kill(pid, SIGKILL);
  for (const pid_t pid : pids_) {
    // Only our own children can be reaped; redis-server's pid is also
    // ours (forked by the harness), the others are spawned children.
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  for (const std::string& dir : dirs_) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::fflush(stdout);
  _exit(exit_code);
}

}  // namespace brobygger::bench
