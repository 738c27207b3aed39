#include "tests/support/loopback_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace brobygger::test {
namespace {

[[noreturn]] void Die(const char* what) {
  std::perror(what);
  std::abort();
}

// Binds a TCP socket to 127.0.0.1 on a free port; returns the fd and sets
// *port.
int BindLoopback(int* port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Die("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    Die("bind 127.0.0.1:0");
  }
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    Die("getsockname");
  }
  *port = ntohs(address.sin_port);
  return fd;
}

// Waits until `fd` is readable (true) or the wake fd fires or `timeout_ms`
// passes (false). -1 waits without limit.
bool WaitReadable(int fd, int wake_fd, int timeout_ms) {
  pollfd fds[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  while (true) {
    const int n = ::poll(fds, 2, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (fds[1].revents != 0) return false;
    return fds[0].revents != 0;
  }
}

}  // namespace

bool LoopbackServer::Connection::Fill() {
  if (!WaitReadable(fd_, wake_fd_, -1)) return false;
  char chunk[16384];
  while (true) {
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

bool LoopbackServer::Connection::ReadLine(std::string* line, size_t max_bytes) {
  while (true) {
    const size_t newline = buffer_.find('\n');
    if (newline != std::string::npos && newline < max_bytes) {
      *line = buffer_.substr(0, newline + 1);
      buffer_.erase(0, newline + 1);
      return true;
    }
    if (buffer_.size() >= max_bytes || !Fill()) return false;
  }
}

bool LoopbackServer::Connection::ReadExactly(size_t n, std::string* out) {
  while (buffer_.size() < n) {
    if (!Fill()) return false;
  }
  *out = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return true;
}

bool LoopbackServer::Connection::Write(absl::string_view data) {
  // Non-blocking sends between polls, so a peer that stops reading cannot
  // keep the server from shutting down.
  while (!data.empty()) {
    pollfd fds[2] = {{fd_, POLLOUT, 0}, {wake_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0 || fds[1].revents != 0) return false;
    const ssize_t n =
        ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool LoopbackServer::Connection::Pause(absl::Duration duration) {
  pollfd wake = {wake_fd_, POLLIN, 0};
  const absl::Time end = absl::Now() + duration;
  while (true) {
    const int64_t left = absl::ToInt64Milliseconds(end - absl::Now());
    if (left <= 0) return true;
    const int n = ::poll(&wake, 1, static_cast<int>(left));
    if (n > 0) return false;
  }
}

LoopbackServer::LoopbackServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = BindLoopback(&port_);
  if (::listen(listen_fd_, 64) != 0) Die("listen");
  int wake[2];
  if (::pipe2(wake, O_CLOEXEC) != 0) Die("pipe2");
  wake_read_fd_ = wake[0];
  wake_write_fd_ = wake[1];
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

LoopbackServer::~LoopbackServer() {
  const char byte = 0;
  while (::write(wake_write_fd_, &byte, 1) < 0 && errno == EINTR) {
  }
  accept_thread_.join();
  {
    std::lock_guard<std::mutex> lock(workers_mutex_);
    for (Worker& worker : workers_) worker.thread.join();
    workers_.clear();
  }
  ::close(listen_fd_);
  ::close(wake_read_fd_);
  ::close(wake_write_fd_);
}

void LoopbackServer::AcceptLoop() {
  while (WaitReadable(listen_fd_, wake_read_fd_, -1)) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ReapFinishedWorkers();
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::lock_guard<std::mutex> lock(workers_mutex_);
    workers_.push_back(Worker{std::thread([this, fd, done] {
                                Connection connection(fd, wake_read_fd_);
                                handler_(connection);
                                // Send what is left, then close without
                                // resetting the peer.
                                ::shutdown(fd, SHUT_WR);
                                ::close(fd);
                                done->store(true);
                              }),
                              done});
  }
}

void LoopbackServer::ReapFinishedWorkers() {
  std::lock_guard<std::mutex> lock(workers_mutex_);
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

ClosedPort::ClosedPort() { fd_ = BindLoopback(&port_); }

ClosedPort::~ClosedPort() { ::close(fd_); }

}  // namespace brobygger::test
