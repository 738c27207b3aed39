// SIGTERM/SIGINT handling with the self-pipe pattern: the handler only
// sets an atomic flag and writes one byte (both async-signal-safe); a
// watcher thread turns the byte into a mutex-protected state change that
// wakes every waiting ServiceHost::Wait().
#include "common/server/shutdown_signal.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "common/log/log.h"
#include "common/server/service_host.h"

namespace brobygger::server {
namespace {

std::atomic<bool> signal_flag{false};
int pipe_write_fd = -1;

void OnSignal(int signal_number) {
  const int saved_errno = errno;
  signal_flag.store(true, std::memory_order_release);
  const unsigned char byte = static_cast<unsigned char>(signal_number);
  // Non-blocking: if the pipe is full a wake-up is already pending.
  [[maybe_unused]] ssize_t ignored = ::write(pipe_write_fd, &byte, 1);
  errno = saved_errno;
}

void WatchSignals(int read_fd) {
  while (true) {
    unsigned char byte = 0;
    const ssize_t n = ::read(read_fd, &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    log::Info("shutdown requested by signal",
              {{"signal", static_cast<int64_t>(byte)},
               {"name", byte == SIGTERM ? "SIGTERM" : "SIGINT"}});
    // Taking the mutex is what makes waiting Await()s re-check the flag.
    absl::MutexLock lock(&internal::ShutdownMutex());
  }
}

}  // namespace

namespace internal {

absl::Mutex& ShutdownMutex() {
  static absl::Mutex* mu = new absl::Mutex();
  return *mu;
}

bool SignalReceived() { return signal_flag.load(std::memory_order_acquire); }

}  // namespace internal

void InstallSignalHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      log::Error(
          "cannot create the signal pipe; SIGTERM will kill the "
          "process without draining",
          {{"error", std::strerror(errno)}});
      return;
    }
    ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
    pipe_write_fd = fds[1];
    std::thread(WatchSignals, fds[0]).detach();

    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = OnSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
  });
}

bool ShutdownRequested() { return internal::SignalReceived(); }

}  // namespace brobygger::server
