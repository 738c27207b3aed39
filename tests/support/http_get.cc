#include "tests/support/http_get.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace brobygger::test {
namespace {

constexpr size_t kMaxResponseBytes = 16 * 1024 * 1024;

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

absl::Status Errno(const char* what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::string> HttpExchange(int port, absl::string_view request) {
  Socket socket;
  if (socket.fd() < 0) return Errno("socket");
  timeval timeout{5, 0};
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.fd(), reinterpret_cast<sockaddr*>(&address),
                sizeof address) != 0) {
    return Errno(absl::StrCat("connect to 127.0.0.1:", port).c_str());
  }
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(socket.fd(), request.data() + sent,
                             request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    // A server may answer (e.g. 413) and close before reading everything.
    if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) break;
    if (n <= 0) return Errno("send");
    sent += static_cast<size_t>(n);
  }
  std::string response;
  char buffer[16384];
  while (true) {
    const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    // A reset after a complete answer (server closed with unread request
    // bytes) still leaves a usable response.
    if (n < 0 && errno == ECONNRESET && !response.empty()) break;
    if (n < 0) return Errno("recv");
    if (n == 0) break;
    response.append(buffer, static_cast<size_t>(n));
    if (response.size() > kMaxResponseBytes) {
      return absl::ResourceExhaustedError("HTTP response over 16 MiB");
    }
  }
  return response;
}

absl::StatusOr<HttpReply> ParseHttpReply(absl::string_view response) {
  const size_t line_end = response.find("\r\n");
  const size_t body_start = response.find("\r\n\r\n");
  if (line_end == absl::string_view::npos ||
      body_start == absl::string_view::npos ||
      !absl::StartsWith(response, "HTTP/")) {
    return absl::DataLossError(
        absl::StrCat("not an HTTP response: ", response.substr(0, 200)));
  }
  HttpReply reply;
  reply.status_line = std::string(response.substr(0, line_end));
  const std::vector<absl::string_view> status_parts =
      absl::StrSplit(reply.status_line, absl::MaxSplits(' ', 2));
  if (status_parts.size() < 2 ||
      !absl::SimpleAtoi(status_parts[1], &reply.status)) {
    return absl::DataLossError(
        absl::StrCat("bad HTTP status line: ", reply.status_line));
  }
  const absl::string_view header_block =
      response.substr(line_end + 2, body_start - line_end - 2);
  for (absl::string_view line : absl::StrSplit(header_block, "\r\n")) {
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) {
      return absl::DataLossError(absl::StrCat("bad HTTP header: ", line));
    }
    reply.headers.emplace_back(
        std::string(absl::StripAsciiWhitespace(line.substr(0, colon))),
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  }
  reply.body = std::string(response.substr(body_start + 4));
  return reply;
}

absl::StatusOr<HttpReply> HttpFetch(int port, const HttpCall& call) {
  std::string request = absl::StrCat(call.method, " ", call.path,
                                     " HTTP/1.0\r\nHost: 127.0.0.1:", port,
                                     "\r\nConnection: close\r\n");
  for (const auto& [name, value] : call.headers) {
    absl::StrAppend(&request, name, ": ", value, "\r\n");
  }
  if (!call.body.empty()) {
    absl::StrAppend(&request, "Content-Length: ", call.body.size(), "\r\n");
  }
  absl::StrAppend(&request, "\r\n", call.body);
  absl::StatusOr<std::string> response = HttpExchange(port, request);
  if (!response.ok()) return response.status();
  return ParseHttpReply(*response);
}

std::optional<std::string> HttpReply::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

int HttpReply::HeaderCount(absl::string_view name) const {
  int count = 0;
  for (const auto& header : headers) {
    if (absl::EqualsIgnoreCase(header.first, name)) ++count;
  }
  return count;
}

absl::StatusOr<std::string> HttpGet(int port, const std::string& path) {
  HttpCall call;
  call.path = path;
  absl::StatusOr<HttpReply> reply = HttpFetch(port, call);
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("GET ", path, " answered ", reply->status_line));
  }
  return std::move(reply->body);
}

}  // namespace brobygger::test
