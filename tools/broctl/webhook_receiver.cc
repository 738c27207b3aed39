#include "tools/broctl/webhook_receiver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "services/notifications/webhook_delivery.h"
#include "services/notifications/webhook_signature.h"

namespace brobygger::broctl {
namespace {

// Ordered: the lines keep the order of the header's comment, for people.
using Json = nlohmann::ordered_json;
using Progress = HttpRequestReader::Progress;

// Remembered delivery ids, for counting retries; forgotten all at once
// beyond this, which only restarts the count.
constexpr size_t kMaxRememberedDeliveries = 10'000;
// After answering, what the client still sends is read and dropped for
// this long (at most kMaxHttpBodyBytes), so that closing does not reset
// the connection before the client has read the answer.
constexpr absl::Duration kLinger = absl::Milliseconds(500);

absl::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string Response(int status, absl::string_view body) {
  std::string response = absl::StrCat(
      "HTTP/1.1 ", status, " ", ReasonPhrase(status),
      "\r\nConnection: close\r\nContent-Length: ", body.size(), "\r\n");
  if (status == 405) absl::StrAppend(&response, "Allow: POST\r\n");
  if (!body.empty()) {
    absl::StrAppend(&response, "Content-Type: text/plain; charset=utf-8\r\n");
  }
  absl::StrAppend(&response, "\r\n", body);
  return response;
}

bool SendAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

int MillisecondsUntil(absl::Time deadline) {
  const int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
  return static_cast<int>(std::clamp<int64_t>(ms, 0, 60'000));
}

// Reads and drops what the client still sends, for at most kLinger.
void Linger(int fd) {
  shutdown(fd, SHUT_WR);
  const absl::Time deadline = absl::Now() + kLinger;
  size_t dropped = 0;
  char buffer[4096];
  while (dropped < kMaxHttpBodyBytes) {
    pollfd waiting = {.fd = fd, .events = POLLIN, .revents = 0};
    if (poll(&waiting, 1, MillisecondsUntil(deadline)) <= 0) return;
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return;
    dropped += static_cast<size_t>(n);
  }
}

std::string StringField(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>()
                                               : std::string();
}

// One printable line, whatever bytes the client sent: invalid UTF-8 is
// replaced rather than making the line invalid JSON.
std::string JsonLine(const Json& line) {
  return line.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

absl::StatusOr<std::unique_ptr<WebhookReceiver>> WebhookReceiver::Listen(
    WebhookReceiverOptions options, std::ostream& out, std::ostream& err) {
  if (options.port < 0 || options.port > 65535) {
    return absl::InvalidArgumentError("--port must be from 1 to 65535");
  }
  if (options.secret.empty()) {
    return absl::InvalidArgumentError(
        "the receiver needs the endpoint's secret to check signatures");
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  }
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(options.port));
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) !=
          0 ||
      listen(fd, 16) != 0) {
    const std::string error = std::strerror(errno);
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot listen on 127.0.0.1:", options.port, ": ", error,
                     " (is another receiver running? choose another --port)"));
  }
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    close(fd);
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  return std::unique_ptr<WebhookReceiver>(
      new WebhookReceiver(std::move(options), fd, ntohs(address.sin_port),
                          pipe_fds[0], pipe_fds[1], out, err));
}

WebhookReceiver::WebhookReceiver(WebhookReceiverOptions options, int listen_fd,
                                 int port, int stop_read_fd, int stop_write_fd,
                                 std::ostream& out, std::ostream& err)
    : options_(std::move(options)),
      listen_fd_(listen_fd),
      port_(port),
      stop_read_fd_(stop_read_fd),
      stop_write_fd_(stop_write_fd),
      out_(out),
      err_(err) {}

WebhookReceiver::~WebhookReceiver() {
  close(listen_fd_);
  close(stop_read_fd_);
  close(stop_write_fd_);
}

void WebhookReceiver::Stop() {
  const char byte = 0;
  // Nonblocking: a full pipe already holds a wake-up.
  [[maybe_unused]] const ssize_t ignored = write(stop_write_fd_, &byte, 1);
}

void WebhookReceiver::Serve() {
  while (true) {
    pollfd waiting[2] = {{.fd = listen_fd_, .events = POLLIN, .revents = 0},
                         {.fd = stop_read_fd_, .events = POLLIN, .revents = 0}};
    if (poll(waiting, 2, -1) < 0) {
      if (errno == EINTR) continue;
      err_ << "broctl: poll: " << std::strerror(errno) << std::endl;
      return;
    }
    if (waiting[1].revents != 0) return;
    if (waiting[0].revents == 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors or memory: the connection stays queued, so
      // polling again at once would spin; a client that gave up is gone.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
          errno == ENOMEM) {
        absl::SleepFor(absl::Milliseconds(100));
      }
      continue;
    }
    ServeConnection(fd);
    close(fd);
  }
}

void WebhookReceiver::ServeConnection(int fd) {
  HttpRequestReader reader;
  const absl::Time deadline = absl::Now() + options_.read_timeout;
  bool continued = false;
  char buffer[16 * 1024];
  Progress progress = Progress::kNeedMore;
  while (progress == Progress::kNeedMore) {
    pollfd waiting[2] = {{.fd = fd, .events = POLLIN, .revents = 0},
                         {.fd = stop_read_fd_, .events = POLLIN, .revents = 0}};
    const int ready = poll(waiting, 2, MillisecondsUntil(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || waiting[1].revents != 0) return;
    if (ready == 0) {
      err_ << "broctl: a client sent no complete request within "
           << absl::FormatDuration(options_.read_timeout) << "; answered 408"
           << std::endl;
      SendAll(fd, Response(408, "the request took too long\n"));
      return;
    }
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client hung up before its request was in
    progress = reader.Feed(absl::string_view(buffer, static_cast<size_t>(n)));
    if (progress == Progress::kNeedMore && reader.headers_done() &&
        reader.expects_continue() && !continued) {
      continued = SendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n");
    }
  }
  if (progress == Progress::kFailed) {
    err_ << "broctl: an unreadable request answered " << reader.error_status()
         << ": " << reader.error() << std::endl;
    SendAll(fd, Response(reader.error_status(),
                         absl::StrCat(reader.error(), "\n")));
    Linger(fd);
    return;
  }
  const int status = Answer(reader.request());
  absl::string_view body;
  if (status == 401) body = "the Brobygger-Signature does not match\n";
  if (status == 503) body = "failing on purpose (--fail-first)\n";
  if (status == 405) body = "only POST is answered here\n";
  SendAll(fd, Response(status, body));
  Linger(fd);
}

int WebhookReceiver::CountAttempt(const std::string& delivery) {
  if (attempts_.size() >= kMaxRememberedDeliveries &&
      attempts_.count(delivery) == 0) {
    attempts_.clear();
  }
  return ++attempts_[delivery];
}

int WebhookReceiver::Answer(const HttpRequest& request) {
  if (request.method != "POST") {
    err_ << "broctl: " << request.method.substr(0, 16) << " "
         << request.target.substr(0, 200) << " answered 405 (only POST)"
         << std::endl;
    return 405;
  }
  Json line = Json::object();
  line["time"] =
      absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone());
  line["path"] = request.target;
  const std::string delivery = request.Header(notifications::kDeliveryHeader);
  line["delivery"] = delivery;
  if (!delivery.empty()) line["attempt"] = CountAttempt(delivery);
  const Json event = Json::parse(request.body, nullptr, false);
  const Json empty = Json::object();
  const Json& fields = event.is_object() ? event : empty;
  if (!event.is_object()) line["bodyError"] = "the body is not a JSON object";
  std::string event_type = request.Header(notifications::kEventTypeHeader);
  if (event_type.empty()) event_type = StringField(fields, "type");
  line["eventType"] = event_type;
  line["eventId"] = StringField(fields, "id");
  line["resource"] = StringField(fields, "resource");

  const std::string signature = request.Header(notifications::kSignatureHeader);
  const absl::Status verified =
      signature.empty()
          ? absl::UnauthenticatedError("no Brobygger-Signature header")
          : notifications::VerifyWebhookSignature(options_.secret, signature,
                                                  request.body, absl::Now(),
                                                  options_.signature_tolerance);
  line["signature"] = verified.ok() ? "ok" : "bad";
  if (!verified.ok()) line["signatureError"] = std::string(verified.message());

  int status = 204;
  if (!verified.ok()) {
    status = 401;
  } else if (failed_on_purpose_ < options_.fail_first) {
    ++failed_on_purpose_;
    status = 503;
  }
  line["status"] = status;
  out_ << JsonLine(line) << std::endl;
  return status;
}

}  // namespace brobygger::broctl
