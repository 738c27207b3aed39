#include "tests/support/child_guard.h"

#include <signal.h>

#include <atomic>
#include <mutex>

namespace brobygger::test {
namespace {

// Lock-free so the signal handler can read it: a slot holds a pid or 0.
constexpr int kMaxChildren = 64;
std::atomic<pid_t> children[kMaxChildren];

// SIGPIPE included: a test whose output pipe closes (`| head`) dies of it.
constexpr int kFatalSignals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE,  SIGILL,
                                 SIGTERM, SIGINT,  SIGHUP, SIGQUIT, SIGPIPE};
constexpr int kSignalCount = sizeof(kFatalSignals) / sizeof(kFatalSignals[0]);
struct sigaction previous_actions[kSignalCount];

// Only async-signal-safe calls: kill, sigaction, raise.
void KillChildrenAndDie(int signal_number) {
  for (std::atomic<pid_t>& slot : children) {
    const pid_t pid = slot.load(std::memory_order_relaxed);
    if (pid > 0) kill(pid, SIGKILL);
  }
  for (int i = 0; i < kSignalCount; ++i) {
    if (kFatalSignals[i] == signal_number) {
      sigaction(signal_number, &previous_actions[i], nullptr);
    }
  }
  // Die (or run the previous handler) the way the signal meant.
  raise(signal_number);
}

void InstallHandlersOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_handler = KillChildrenAndDie;
    sigemptyset(&action.sa_mask);
    // SA_RESETHAND is not used: the handler restores the previous action
    // itself, which may be another test framework's handler.
    action.sa_flags = SA_NODEFER;
    for (int i = 0; i < kSignalCount; ++i) {
      sigaction(kFatalSignals[i], nullptr, &previous_actions[i]);
      // An ignored signal does not end the process: leave it ignored.
      if (previous_actions[i].sa_handler == SIG_IGN) continue;
      sigaction(kFatalSignals[i], &action, nullptr);
    }
  });
}

}  // namespace

bool GuardChild(pid_t pid) {
  if (pid <= 0) return false;
  InstallHandlersOnce();
  for (std::atomic<pid_t>& slot : children) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pid)) return true;
  }
  return false;
}

void UnguardChild(pid_t pid) {
  if (pid <= 0) return;
  for (std::atomic<pid_t>& slot : children) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

}  // namespace brobygger::test
