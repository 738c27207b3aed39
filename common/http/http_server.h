// A small plain-HTTP server for read-only feeds (calendar programs poll an
// iCalendar URL), built on libmicrohttpd with an internal thread pool.
//
// What it does for every handler:
// - Only GET and HEAD reach the handler. Any other method gets 405 with
//   "Allow: GET, HEAD"; a request that announces a body (Content-Length > 0
//   or any Transfer-Encoding) gets 413; a request target longer than
//   `max_request_line` gets 414. HEAD answers carry the GET headers
//   (including Content-Length) without the body.
// - Conditional GET: when the handler answers 2xx with an etag and the
//   request's If-None-Match lists it (weak comparison, so W/"x" matches "x",
//   as RFC 9110 prescribes for If-None-Match) or is "*", the answer becomes
//   304 without body, keeping ETag, Cache-Control and the handler's headers.
// - Every answer carries Content-Type (304 excepted, as RFC 9110 asks),
//   Content-Length, ETag when given, "Cache-Control: no-cache" unless the
//   handler set its own Cache-Control, and "X-Content-Type-Options: nosniff".
// - A handler that throws, or answers something that cannot be sent (bad
//   status, malformed etag, header injection, a header the server owns),
//   yields 500 with a short text body and an error log line; the server
//   keeps serving.
//
// Paths are NOT percent-decoded: HttpRequest::path and ::query are the raw
// bytes of the request target, split at the first '?'. The handler decides
// how to decode (a calendar token must be compared as sent, and decoding
// "%2F" before routing would let a client forge path segments). An
// absolute-form target ("http://host/x") is reduced to its path ("/x").
//
// Logs never contain the query string or more than the first path segment,
// since feed URLs carry secret tokens.
#ifndef BROBYGGER_COMMON_HTTP_HTTP_SERVER_H_
#define BROBYGGER_COMMON_HTTP_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace brobygger::http {
namespace internal {
struct ServerCore;  // state shared with the libmicrohttpd callbacks
}  // namespace internal

struct HttpRequest {
  std::string method;  // "GET" or "HEAD"
  std::string path;    // raw path, no query, not percent-decoded
  std::string query;   // raw query string without '?', not decoded
  // All If-None-Match header values, joined by ", "; empty if none.
  std::string if_none_match;
};

struct HttpResponse {
  int status = 200;  // 200..599
  // Defaults to "text/plain; charset=utf-8" when empty.
  std::string content_type;
  std::string body;
  // Optional entity-tag including its quotes: "\"v42\"" (or W/"v42").
  std::string etag;
  // Extra headers. Content-Type, Content-Length, ETag, Transfer-Encoding,
  // Connection and Date belong to the server and are refused (500).
  std::vector<std::pair<std::string, std::string>> headers;
};

// Called concurrently from the pool threads; must be thread-safe. May throw.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  // host:port. host: an IPv4 literal, "0.0.0.0" (all interfaces),
  // "localhost" (= 127.0.0.1) or a bracketed IPv6 literal ("[::1]").
  // Port 0 picks a free port (see HttpServer::port()).
  std::string address = "127.0.0.1:8088";
  int threads = 4;  // MHD thread pool size, 1..64
  // Concurrent connections, threads..10000; beyond it MHD refuses.
  int max_connections = 256;
  // Idle time after which a connection is closed, 1 s..1 h (whole seconds,
  // rounded up).
  absl::Duration connection_timeout = absl::Seconds(15);
  // Longer request targets (path + query) get 414; 64..1 MiB.
  size_t max_request_line = 8192;
  // How long Stop() lets in-flight requests finish, 0..5 min.
  absl::Duration drain_timeout = absl::Seconds(5);
};

class HttpServer {
 public:
  // Binds, starts the pool and returns once the server accepts connections.
  // INVALID_ARGUMENT (naming the option) for bad options or a bad address;
  // UNAVAILABLE with the reason when the address cannot be bound (e.g. the
  // port is in use).
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      HttpServerOptions options, HttpHandler handler);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();  // calls Stop()

  // The bound port (the real one when the address asked for port 0).
  int port() const;

  // Stops accepting (new connections are refused at once), lets requests
  // already being received or answered finish for up to drain_timeout
  // (they are answered with "Connection: close"), then closes everything.
  // Idempotent and thread-safe; concurrent callers return once stopped.
  void Stop();

 private:
  explicit HttpServer(std::unique_ptr<internal::ServerCore> core);

  std::unique_ptr<internal::ServerCore> core_;
};

}  // namespace brobygger::http

#endif  // BROBYGGER_COMMON_HTTP_HTTP_SERVER_H_
