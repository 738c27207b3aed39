// A TCP server on 127.0.0.1 with a free port, the base of test doubles for
// network peers (HttpReceiver, SmtpSink). It accepts on its own thread and
// serves each connection on a thread of its own with the handler given.
// The destructor stops accepting, wakes every handler blocked in a read or
// a Pause (they then see failures and return), and joins all threads.
#ifndef BROBYGGER_TESTS_SUPPORT_LOOPBACK_SERVER_H_
#define BROBYGGER_TESTS_SUPPORT_LOOPBACK_SERVER_H_

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace brobygger::test {

class LoopbackServer {
 public:
  // One accepted connection, seen from its handler.
  class Connection {
   public:
    Connection(int fd, int wake_fd) : fd_(fd), wake_fd_(wake_fd) {}
    // The next line including its "\n" (or what came before the peer
    // closed); false on end of stream, error, server stop, or a line
    // longer than `max_bytes`.
    bool ReadLine(std::string* line, size_t max_bytes);
    // Exactly `n` bytes; false if fewer came.
    bool ReadExactly(size_t n, std::string* out);
    bool Write(absl::string_view data);
    // Waits `duration`, or less if the server stops (then returns false).
    bool Pause(absl::Duration duration);

   private:
    // Reads more into buffer_; false on end, error or stop.
    bool Fill();

    int fd_;
    int wake_fd_;
    std::string buffer_;
  };
  using Handler = std::function<void(Connection&)>;

  // Listens at once; aborts the test binary if no loopback port can be
  // had (nothing else would work either).
  explicit LoopbackServer(Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void AcceptLoop();
  void ReapFinishedWorkers();

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  // A pipe whose read end becomes readable, for good, on shutdown: every
  // poll() in the server watches it.
  int wake_read_fd_ = -1;
  int wake_write_fd_ = -1;
  std::mutex workers_mutex_;
  std::list<Worker> workers_;
  std::thread accept_thread_;
};

// A loopback port that refuses connections: bound but never listening,
// and held for the object's lifetime so no other test takes it.
class ClosedPort {
 public:
  ClosedPort();
  ~ClosedPort();
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_LOOPBACK_SERVER_H_
