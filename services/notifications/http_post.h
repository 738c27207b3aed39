// One HTTP POST with libcurl, as webhook deliveries need it: bounded in
// time and in what is read back, never following redirects, verifying
// TLS, and telling transport failures (no answer) apart from answers.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_HTTP_POST_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_HTTP_POST_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace brobygger::notifications {

struct HttpPostRequest {
  std::string url;
  // Sent as given, in order. Names must be HTTP tokens; values must not
  // contain CR, LF or NUL (they would let a value inject headers).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // For the whole exchange, connecting included.
  absl::Duration timeout = absl::Seconds(10);
  absl::Duration connect_timeout = absl::Seconds(5);
};

struct HttpPostResult {
  int status_code = 0;
  // The first kKeptBodyBytes of the response body, for error messages.
  std::string body;
  // Whether the response body was longer than what `body` keeps.
  bool body_truncated = false;
  // Empty for 2xx; otherwise one line for WebhookEndpoint.last_error,
  // e.g. "HTTP 503: <start of the body>" or, for a redirect, where it
  // pointed.
  std::string error;

  bool ok() const { return status_code >= 200 && status_code <= 299; }
};

inline constexpr size_t kKeptBodyBytes = 4 * 1024;
// Reading stops here; the answer is still returned with its status code.
inline constexpr size_t kMaxReadBodyBytes = 64 * 1024;

// POSTs `request.body` to `request.url` and returns the answer, whatever
// its status code: an HTTP error is an answer, not a transport failure.
// Only http and https are spoken. Redirects are returned as they are
// (3xx), never followed: the body is signed for the endpoint its owner
// registered, following would re-send it (and its signature) to a URL
// nobody validated (possibly an internal address), and a moved endpoint is
// something the owner should fix by updating the URL.
// Errors: INVALID_ARGUMENT for a bad header or a URL curl cannot use;
// DEADLINE_EXCEEDED when the timeout passes; UNAVAILABLE when no answer
// came (refused, DNS, TLS, connection lost), with curl's message.
// Proxies come from the environment (https_proxy, no_proxy) as libcurl
// reads them. Addresses are not filtered: an https URL naming a private
// address is connected to.
absl::StatusOr<HttpPostResult> HttpPost(const HttpPostRequest& request);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_HTTP_POST_H_
