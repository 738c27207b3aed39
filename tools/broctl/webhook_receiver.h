// broctl webhook-receiver: a small local endpoint to show webhook
// deliveries in a demo (an NGO's app receiving what its subscription
// asked for). It listens on 127.0.0.1 only, checks every POST's
// Brobygger-Signature with the endpoint's secret, prints one JSON line per
// delivery and answers 204, 401 when the signature is bad, or 503 for the
// first N good deliveries to show the service's retries.
//
// It speaks just enough HTTP/1.1 for that (http_request_reader.h), over
// plain sockets: one request per connection (it answers "Connection:
// close"), "Expect: 100-continue" honoured. Connections are served one at
// a time, each given at most `read_timeout` to send its request: enough
// for a demo, not for production traffic.
#ifndef BROBYGGER_TOOLS_BROCTL_WEBHOOK_RECEIVER_H_
#define BROBYGGER_TOOLS_BROCTL_WEBHOOK_RECEIVER_H_

#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/broctl/http_request_reader.h"

namespace brobygger::broctl {

struct WebhookReceiverOptions {
  // On 127.0.0.1; 0 for any free port.
  int port = 0;
  // The endpoint's signing secret, as CreateWebhookEndpoint returned it.
  std::string secret;
  // Answer 503 to the first this many well-signed deliveries.
  int fail_first = 0;
  // How far a signature's time may be from now (replays are older).
  absl::Duration signature_tolerance = absl::Minutes(5);
  // How long a connection may take to send its request.
  absl::Duration read_timeout = absl::Seconds(10);
};

class WebhookReceiver {
 public:
  // Binds and listens; FAILED_PRECONDITION when the port is taken.
  static absl::StatusOr<std::unique_ptr<WebhookReceiver>> Listen(
      WebhookReceiverOptions options, std::ostream& out, std::ostream& err);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }

  // Answers connections until Stop(). `out` gets one JSON line per POST:
  //   {"time", "path", "delivery", "attempt", "eventType", "eventId",
  //    "resource", "signature": "ok"|"bad", "signatureError", "status"}
  // (attempt counts the deliveries with the same id seen so far); `err`
  // gets a line for every request that was not a readable POST.
  void Serve();
  // From any thread (a signal waiter): Serve returns soon.
  void Stop();

  // The answer to one complete request, with its line printed: what Serve
  // does once a request is read.
  int Answer(const HttpRequest& request);

 private:
  WebhookReceiver(WebhookReceiverOptions options, int listen_fd, int port,
                  int stop_read_fd, int stop_write_fd, std::ostream& out,
                  std::ostream& err);
  void ServeConnection(int fd);
  // The attempt number of this delivery id (1 for the first).
  int CountAttempt(const std::string& delivery);

  const WebhookReceiverOptions options_;
  const int listen_fd_;
  const int port_;
  // A pipe: Stop() writes to it to wake Serve's poll.
  const int stop_read_fd_;
  const int stop_write_fd_;
  std::ostream& out_;
  std::ostream& err_;
  int failed_on_purpose_ = 0;
  std::map<std::string, int> attempts_;
};

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_WEBHOOK_RECEIVER_H_
