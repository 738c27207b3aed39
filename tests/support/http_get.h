// A minimal HTTP client over a plain socket, for scraping /metrics and
// testing HTTP servers without an HTTP client library. Every exchange is one
// connection; the response ends when the server closes it.
#ifndef BROBYGGER_TESTS_SUPPORT_HTTP_GET_H_
#define BROBYGGER_TESTS_SUPPORT_HTTP_GET_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace brobygger::test {

// GET http://127.0.0.1:<port><path>; the body on status 200, otherwise an
// error naming the status line. Gives up after 5 s or 16 MiB.
absl::StatusOr<std::string> HttpGet(int port, const std::string& path);

// A request to send with HttpFetch.
struct HttpCall {
  std::string method = "GET";
  std::string path = "/";  // request target, sent as is
  // Extra request headers (Host and Connection are always sent).
  std::vector<std::pair<std::string, std::string>> headers;
  // Sent with a Content-Length header when not empty.
  std::string body;
};

// A parsed response.
struct HttpReply {
  int status = 0;
  std::string status_line;  // "HTTP/1.1 200 OK"
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::string body;  // everything after the header block

  // The first value of header `name` (case-insensitive), if present.
  std::optional<std::string> Header(absl::string_view name) const;
  // How many times header `name` occurs (case-insensitive).
  int HeaderCount(absl::string_view name) const;
};

// Sends the raw bytes `request` (one or several pipelined requests) to
// 127.0.0.1:<port> and returns every byte received until the server closes.
absl::StatusOr<std::string> HttpExchange(int port, absl::string_view request);

// Parses one response: status line, headers, and everything after the
// header block as the body.
absl::StatusOr<HttpReply> ParseHttpReply(absl::string_view response);

// Sends `call` to http://127.0.0.1:<port> as HTTP/1.0 with "Connection:
// close" and returns the response, whatever its status. UNAVAILABLE if the
// connection fails, DATA_LOSS if the answer is not HTTP. Gives up after 5 s or
// 16 MiB.
absl::StatusOr<HttpReply> HttpFetch(int port, const HttpCall& call);

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_HTTP_GET_H_
