#include "common/http/http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <new>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace brobygger::http {
namespace internal {

struct ServerCore {
  ServerCore(HttpServerOptions server_options, HttpHandler request_handler)
      : options(std::move(server_options)),
        handler(std::move(request_handler)) {}

  const HttpServerOptions options;
  const HttpHandler handler;
  int port = 0;
  // Set by Stop(): answers then carry "Connection: close".
  std::atomic<bool> stopping{false};

  absl::Mutex mu;
  // Requests whose request line has arrived and whose answer is not yet
  // sent; Stop() waits for this to reach zero.
  int active_requests ABSL_GUARDED_BY(mu) = 0;
  // While Start() runs, libmicrohttpd's messages are collected here (rather
  // than logged) to become the reason in Start's error.
  bool capturing_start_log ABSL_GUARDED_BY(mu) = false;
  std::string start_log ABSL_GUARDED_BY(mu);

  absl::Mutex stop_mu;  // serialises Stop()
  MHD_Daemon* daemon ABSL_GUARDED_BY(stop_mu) = nullptr;
};

}  // namespace internal

namespace {

using internal::ServerCore;

constexpr size_t kMaxAddressBytes = 300;
constexpr int kMaxThreads = 64;
constexpr int kMaxConnections = 10000;
constexpr size_t kMinRequestLine = 64;
constexpr size_t kMaxRequestLine = 1024 * 1024;
// libmicrohttpd keeps a request's line and headers in a per-connection
// pool; headers get this much room next to the longest allowed target.
constexpr size_t kHeaderRoomBytes = 24 * 1024;
constexpr size_t kMinConnectionMemory = 32 * 1024;  // MHD's own default
constexpr size_t kMaxStartLogBytes = 2048;
// Limits on what a handler may answer; beyond them it is a handler bug.
constexpr size_t kMaxBodyBytes = 64 * 1024 * 1024;
constexpr size_t kMaxEtagBytes = 256;
constexpr size_t kMaxHeaders = 64;
constexpr size_t kMaxHeaderNameBytes = 256;
constexpr size_t kMaxHeaderValueBytes = 8192;
constexpr size_t kMaxRouteBytes = 64;

constexpr char kTextPlain[] = "text/plain; charset=utf-8";

// ---- Options and address ---------------------------------------------------

struct ListenAddress {
  sockaddr_storage storage{};
  bool ipv6 = false;
  uint16_t port = 0;
};

absl::Status AddressError(absl::string_view address,
                          absl::string_view problem) {
  return InvalidFieldError(
      "address", absl::StrCat("'", address, "' ", problem,
                              "; expected host:port such as 127.0.0.1:8088, "
                              "0.0.0.0:8088, localhost:8088 or [::1]:8088"));
}

absl::StatusOr<uint16_t> ParsePort(absl::string_view address,
                                   absl::string_view text) {
  uint32_t port = 0;
  if (text.empty() || text.size() > 5 ||
      !std::all_of(text.begin(), text.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(text, &port) || port > 65535) {
    return AddressError(address,
                        "has no valid port (0..65535; 0 picks a free port)");
  }
  return static_cast<uint16_t>(port);
}

// Host names other than "localhost" are refused rather than resolved: a
// listen address is configuration, and resolving it at start-up would make
// the bound interface depend on DNS.
absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view address) {
  if (address.size() > kMaxAddressBytes) {
    return InvalidFieldError(
        "address", absl::StrCat("is longer than ", kMaxAddressBytes,
                                " characters; expected host:port such as "
                                "127.0.0.1:8088"));
  }
  ListenAddress result;
  absl::string_view host;
  absl::string_view port_text;
  if (absl::StartsWith(address, "[")) {
    const size_t close = address.find(']');
    if (close == absl::string_view::npos) {
      return AddressError(address, "opens '[' without a closing ']'");
    }
    host = address.substr(1, close - 1);
    absl::string_view rest = address.substr(close + 1);
    if (!absl::ConsumePrefix(&rest, ":")) {
      return AddressError(address, "has no ':port' after the bracketed host");
    }
    port_text = rest;
    result.ipv6 = true;
  } else {
    const size_t colon = address.rfind(':');
    if (colon == absl::string_view::npos) {
      return AddressError(address, "has no ':port'");
    }
    host = address.substr(0, colon);
    port_text = address.substr(colon + 1);
    if (absl::StrContains(host, ':')) {
      return AddressError(address,
                          "looks like an IPv6 address without brackets");
    }
  }
  if (host.empty()) {
    return AddressError(address,
                        "has no host (use 0.0.0.0 for all interfaces)");
  }
  ASSIGN_OR_RETURN(result.port, ParsePort(address, port_text));
  if (result.ipv6) {
    auto* ipv6 = reinterpret_cast<sockaddr_in6*>(&result.storage);
    ipv6->sin6_family = AF_INET6;
    ipv6->sin6_port = htons(result.port);
    if (::inet_pton(AF_INET6, std::string(host).c_str(), &ipv6->sin6_addr) !=
        1) {
      return AddressError(address, "has no valid IPv6 literal in brackets");
    }
    return result;
  }
  const std::string ipv4 = absl::EqualsIgnoreCase(host, "localhost")
                               ? "127.0.0.1"
                               : std::string(host);
  auto* ipv4_address = reinterpret_cast<sockaddr_in*>(&result.storage);
  ipv4_address->sin_family = AF_INET;
  ipv4_address->sin_port = htons(result.port);
  if (::inet_pton(AF_INET, ipv4.c_str(), &ipv4_address->sin_addr) != 1) {
    return AddressError(address,
                        "has a host that is neither an IPv4 literal, "
                        "localhost nor a bracketed IPv6 literal (host names "
                        "are not resolved)");
  }
  return result;
}

absl::Status ValidateOptions(const HttpServerOptions& options,
                             const HttpHandler& handler) {
  FieldViolations violations;
  if (!handler) {
    violations.Add("handler", "is empty; pass the function that answers");
  }
  if (options.threads < 1 || options.threads > kMaxThreads) {
    violations.Add("threads", absl::StrCat("is ", options.threads, "; use 1..",
                                           kMaxThreads));
  }
  if (options.max_connections < std::max(options.threads, 1) ||
      options.max_connections > kMaxConnections) {
    violations.Add(
        "max_connections",
        absl::StrCat("is ", options.max_connections,
                     "; use at least `threads` and at most ", kMaxConnections));
  }
  if (options.connection_timeout < absl::Seconds(1) ||
      options.connection_timeout > absl::Hours(1)) {
    violations.Add(
        "connection_timeout",
        absl::StrCat("is ", absl::FormatDuration(options.connection_timeout),
                     "; use 1s..1h"));
  }
  if (options.max_request_line < kMinRequestLine ||
      options.max_request_line > kMaxRequestLine) {
    violations.Add("max_request_line",
                   absl::StrCat("is ", options.max_request_line, "; use ",
                                kMinRequestLine, "..", kMaxRequestLine));
  }
  if (options.drain_timeout < absl::ZeroDuration() ||
      options.drain_timeout > absl::Minutes(5)) {
    violations.Add(
        "drain_timeout",
        absl::StrCat("is ", absl::FormatDuration(options.drain_timeout),
                     "; use 0s..5m"));
  }
  return violations.ToStatus();
}

// ---- Checking what the handler answered ------------------------------------

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::StrContains("!#$%&'*+-.^_`|~", c);
}

// RFC 9110 field-value: no CR, LF, NUL or other controls except HTAB.
bool IsFieldValue(absl::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7F;
  });
}

// RFC 9110 entity-tag: [W/] DQUOTE *etagc DQUOTE.
bool IsEntityTag(absl::string_view etag) {
  absl::ConsumePrefix(&etag, "W/");
  if (etag.size() < 2 || etag.front() != '"' || etag.back() != '"') {
    return false;
  }
  etag = etag.substr(1, etag.size() - 2);
  return std::all_of(etag.begin(), etag.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == 0x21 || (u >= 0x23 && u != 0x7F);
  });
}

// Headers the server sets itself; a handler setting them would produce
// duplicates or a lying Content-Length.
bool IsServerHeader(absl::string_view name) {
  for (absl::string_view owned : {"Content-Type", "Content-Length", "ETag",
                                  "Transfer-Encoding", "Connection", "Date"}) {
    if (absl::EqualsIgnoreCase(name, owned)) return true;
  }
  return false;
}

// Empty if `response` can be sent, otherwise what is wrong with it.
std::string ResponseProblem(const HttpResponse& response) {
  if (response.status < 200 || response.status > 599) {
    return absl::StrCat("status ", response.status, " is outside 200..599");
  }
  if (response.body.size() > kMaxBodyBytes) {
    return absl::StrCat("body of ", response.body.size(), " bytes is over ",
                        kMaxBodyBytes);
  }
  if (response.content_type.size() > kMaxHeaderValueBytes ||
      !IsFieldValue(response.content_type)) {
    return "content_type is not a valid header value";
  }
  if (!response.etag.empty() &&
      (response.etag.size() > kMaxEtagBytes || !IsEntityTag(response.etag))) {
    return "etag is not a quoted entity-tag such as \"v1\"";
  }
  if (response.headers.size() > kMaxHeaders) {
    return absl::StrCat(response.headers.size(), " headers are over ",
                        kMaxHeaders);
  }
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || name.size() > kMaxHeaderNameBytes ||
        !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      return "a header name is not an HTTP token";
    }
    if (IsServerHeader(name)) {
      return absl::StrCat("header ", name,
                          " is set by the server (use the response fields)");
    }
    if (value.size() > kMaxHeaderValueBytes || !IsFieldValue(value)) {
      return absl::StrCat("header ", name, " has an invalid value");
    }
  }
  return "";
}

// ---- Conditional requests --------------------------------------------------

// Weak comparison (RFC 9110 13.1.2): the opaque tags must be equal, W/
// prefixes ignored. Malformed list members are skipped.
bool IfNoneMatchMatches(absl::string_view header, absl::string_view etag) {
  absl::ConsumePrefix(&etag, "W/");
  absl::string_view rest = header;
  while (true) {
    while (!rest.empty() && (rest.front() == ',' || rest.front() == ' ' ||
                             rest.front() == '\t')) {
      rest.remove_prefix(1);
    }
    if (rest.empty()) return false;
    if (rest.front() == '*') return true;
    absl::ConsumePrefix(&rest, "W/");
    if (!rest.empty() && rest.front() == '"') {
      const size_t close = rest.find('"', 1);
      if (close == absl::string_view::npos) return false;
      if (rest.substr(0, close + 1) == etag) return true;
      rest.remove_prefix(close + 1);
    } else {
      const size_t comma = rest.find(',');
      if (comma == absl::string_view::npos) return false;
      rest.remove_prefix(comma);
    }
  }
}

// ---- Building answers ------------------------------------------------------

HttpResponse TextResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = kTextPlain;
  response.body = std::move(body);
  return response;
}

// The first path segment only ("/calendars"): enough to tell handlers apart
// in logs without writing the secret tokens feed URLs carry.
absl::string_view Route(absl::string_view path) {
  const size_t end = path.find('/', 1);
  path = path.substr(0, end);
  return path.substr(0, kMaxRouteBytes);
}

// Splits a raw request target into path and query, reducing an
// absolute-form target ("http://host/x?y") to its origin form.
bool SplitTarget(absl::string_view target, HttpRequest* request) {
  if (absl::StartsWithIgnoreCase(target, "http://") ||
      absl::StartsWithIgnoreCase(target, "https://")) {
    const size_t authority = target.find("//") + 2;
    const size_t path_start = target.find_first_of("/?", authority);
    target = path_start == absl::string_view::npos ? absl::string_view("/")
                                                   : target.substr(path_start);
    if (absl::StartsWith(target, "?")) {
      request->path = "/";
      request->query = std::string(target.substr(1));
      return true;
    }
  }
  if (!absl::StartsWith(target, "/")) return false;
  const size_t question = target.find('?');
  request->path = std::string(target.substr(0, question));
  if (question != absl::string_view::npos) {
    request->query = std::string(target.substr(question + 1));
  }
  return true;
}

struct RequestState {
  std::string target;  // the raw request target, exactly as received
  bool target_too_long = false;
  bool headers_seen = false;  // the access handler's first call happened
  bool body_seen = false;     // body bytes arrived despite the checks
  bool answered = false;
  absl::Time received = absl::Now();
};

// A request announcing a body (Content-Length other than 0, or any
// Transfer-Encoding); HTTP/1.1 has no other way to send one.
bool AnnouncesBody(MHD_Connection* connection) {
  const char* length = MHD_lookup_connection_value(
      connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (length != nullptr) {
    uint64_t bytes = 0;
    if (!absl::SimpleAtoi(length, &bytes) || bytes != 0) return true;
  }
  return MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                     MHD_HTTP_HEADER_TRANSFER_ENCODING) !=
         nullptr;
}

// Joins every If-None-Match header (a client may send several).
MHD_Result CollectIfNoneMatch(void* cls, MHD_ValueKind, const char* key,
                              const char* value) {
  if (key == nullptr || value == nullptr ||
      !absl::EqualsIgnoreCase(key, MHD_HTTP_HEADER_IF_NONE_MATCH)) {
    return MHD_YES;
  }
  auto* joined = static_cast<std::string*>(cls);
  try {  // called from C: nothing may escape
    absl::StrAppend(joined, joined->empty() ? "" : ", ", value);
  } catch (...) {
    return MHD_NO;
  }
  return MHD_YES;
}

HttpResponse CallHandler(const ServerCore& core, const HttpRequest& request) {
  try {
    return core.handler(request);
  } catch (const std::exception& e) {
    log::Error("http handler threw", {{"method", request.method},
                                      {"route", Route(request.path)},
                                      {"error", absl::string_view(e.what())}});
  } catch (...) {
    log::Error("http handler threw",
               {{"method", request.method},
                {"route", Route(request.path)},
                {"error", absl::string_view("non-standard exception")}});
  }
  return TextResponse(500, "internal server error\n");
}

// Refusals decided from the request headers alone, answered before any
// body is read (libmicrohttpd then closes the connection instead of
// reading the body).
std::optional<HttpResponse> EarlyRefusal(MHD_Connection* connection,
                                         absl::string_view method) {
  if (method != "GET" && method != "HEAD") {
    HttpResponse response =
        TextResponse(405, "method not allowed; use GET or HEAD\n");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  if (AnnouncesBody(connection)) {
    return TextResponse(413, "requests must not carry a body\n");
  }
  return std::nullopt;
}

// Everything the server decides around the handler, once the request is
// complete.
HttpResponse Answer(const ServerCore& core, MHD_Connection* connection,
                    absl::string_view method, const RequestState& state) {
  if (state.body_seen) {
    return TextResponse(413, "requests must not carry a body\n");
  }
  if (state.target_too_long) {
    return TextResponse(
        414, absl::StrCat("request target is longer than ",
                          core.options.max_request_line, " bytes\n"));
  }
  HttpRequest request;
  request.method = std::string(method);
  if (!SplitTarget(state.target, &request)) {
    return TextResponse(400, "request target must start with '/'\n");
  }
  MHD_get_connection_values(connection, MHD_HEADER_KIND, &CollectIfNoneMatch,
                            &request.if_none_match);

  HttpResponse response = CallHandler(core, request);
  if (const std::string problem = ResponseProblem(response); !problem.empty()) {
    log::Error("http handler answered an unsendable response",
               {{"method", request.method},
                {"route", Route(request.path)},
                {"problem", problem}});
    return TextResponse(500, "internal server error\n");
  }
  if (response.status >= 200 && response.status < 300 &&
      !response.etag.empty() && !request.if_none_match.empty() &&
      IfNoneMatchMatches(request.if_none_match, response.etag)) {
    // The body stays: MHD never sends a 304's body but states its length
    // in Content-Length, which RFC 9110 8.6 requires to be the length the
    // 200 would have had (an empty body would announce "0").
    response.status = 304;
  }
  return response;
}

void DeleteString(void* cls) { delete static_cast<std::string*>(cls); }

struct ResponseDeleter {
  void operator()(MHD_Response* response) const {
    MHD_destroy_response(response);
  }
};

MHD_Result Send(const ServerCore& core, MHD_Connection* connection,
                HttpResponse answer) {
  auto* body = new std::string(std::move(answer.body));
  MHD_Response* raw = MHD_create_response_from_buffer_with_free_callback_cls(
      body->size(), body->data(), &DeleteString, body);
  if (raw == nullptr) {
    delete body;
    return MHD_NO;
  }
  std::unique_ptr<MHD_Response, ResponseDeleter> response(raw);
  bool ok = true;
  auto add = [&](const std::string& name, const std::string& value) {
    ok = ok && MHD_add_response_header(response.get(), name.c_str(),
                                       value.c_str()) == MHD_YES;
  };
  // A 304 describes the representation the client already has, so it
  // carries no Content-Type (RFC 9110 15.4.5).
  if (answer.status != 304) {
    add(MHD_HTTP_HEADER_CONTENT_TYPE,
        answer.content_type.empty() ? kTextPlain : answer.content_type);
  }
  if (!answer.etag.empty()) add(MHD_HTTP_HEADER_ETAG, answer.etag);
  bool has_cache_control = false;
  for (const auto& [name, value] : answer.headers) {
    has_cache_control |=
        absl::EqualsIgnoreCase(name, MHD_HTTP_HEADER_CACHE_CONTROL);
    add(name, value);
  }
  // Feeds change whenever someone edits the catalogue: caches must
  // revalidate (cheap thanks to the ETag) rather than serve stale copies.
  if (!has_cache_control) add(MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
  add("X-Content-Type-Options", "nosniff");
  if (core.stopping.load()) add(MHD_HTTP_HEADER_CONNECTION, "close");
  if (!ok) {
    log::Error("http response header refused by libmicrohttpd",
               {{"status", static_cast<int64_t>(answer.status)}});
    return MHD_NO;
  }
  return MHD_queue_response(connection, static_cast<unsigned>(answer.status),
                            response.get());
}

// ---- libmicrohttpd callbacks (C code calls them: nothing may escape) -------

// Called once per request with the raw target, before MHD splits off the
// query and percent-decodes the path; the state it returns is the request's
// context until OnRequestDone.
void* OnRequestLine(void* cls, const char* uri, MHD_Connection*) {
  auto* core = static_cast<ServerCore*>(cls);
  auto* state = new (std::nothrow) RequestState;
  if (state == nullptr) return nullptr;
  try {
    const absl::string_view target(uri == nullptr ? "" : uri);
    if (target.size() > core->options.max_request_line) {
      state->target_too_long = true;
    } else {
      state->target = std::string(target);
    }
  } catch (...) {
    delete state;
    return nullptr;
  }
  absl::MutexLock lock(&core->mu);
  ++core->active_requests;
  return state;
}

void OnRequestDone(void* cls, MHD_Connection*, void** req_cls,
                   MHD_RequestTerminationCode) {
  auto* state = static_cast<RequestState*>(*req_cls);
  if (state == nullptr) return;
  *req_cls = nullptr;
  delete state;
  auto* core = static_cast<ServerCore*>(cls);
  absl::MutexLock lock(&core->mu);
  --core->active_requests;
}

MHD_Result Respond(const ServerCore& core, MHD_Connection* connection,
                   absl::string_view method, RequestState& state,
                   HttpResponse answer) {
  state.answered = true;
  const int status = answer.status;
  const MHD_Result queued = Send(core, connection, std::move(answer));
  log::Debug(
      "http request",
      {{"method", method},
       {"status", static_cast<int64_t>(status)},
       {"ms", absl::ToDoubleMilliseconds(absl::Now() - state.received)}});
  return queued;
}

// MHD calls this first when the headers are complete, then with each piece
// of body, then once more with nothing left to read. Refusals go out on the
// first call; everything else on the last, because answering before the
// request is complete makes MHD close the connection, which would cost
// polling calendar clients their keep-alive.
MHD_Result OnRequest(void* cls, MHD_Connection* connection, const char*,
                     const char* method, const char*, const char*,
                     size_t* upload_data_size, void** req_cls) {
  auto* core = static_cast<ServerCore*>(cls);
  auto* state = static_cast<RequestState*>(*req_cls);
  if (state == nullptr) return MHD_NO;  // out of memory: drop the connection
  try {
    const absl::string_view method_name(method == nullptr ? "" : method);
    if (!state->headers_seen) {
      state->headers_seen = true;
      std::optional<HttpResponse> refusal =
          EarlyRefusal(connection, method_name);
      if (!refusal.has_value()) return MHD_YES;
      return Respond(*core, connection, method_name, *state,
                     *std::move(refusal));
    }
    if (*upload_data_size != 0) {
      state->body_seen = true;
      *upload_data_size = 0;  // discard it; answered with 413 below
      return MHD_YES;
    }
    if (state->answered) return MHD_YES;
    return Respond(*core, connection, method_name, *state,
                   Answer(*core, connection, method_name, *state));
  } catch (...) {
    return MHD_NO;  // out of memory while answering: drop the connection
  }
}

void OnLibraryMessage(void* cls, const char* format, va_list args) {
  char buffer[512];
  std::vsnprintf(buffer, sizeof buffer, format, args);
  const absl::string_view message = absl::StripTrailingAsciiWhitespace(buffer);
  auto* core = static_cast<ServerCore*>(cls);
  {
    absl::MutexLock lock(&core->mu);
    if (core->capturing_start_log) {
      if (core->start_log.size() < kMaxStartLogBytes) {
        try {
          absl::StrAppend(&core->start_log, core->start_log.empty() ? "" : "; ",
                          message);
        } catch (...) {
        }
      }
      return;
    }
  }
  log::Warning("libmicrohttpd", {{"detail", message}});
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    HttpServerOptions options, HttpHandler handler) {
  RETURN_IF_ERROR(ValidateOptions(options, handler));
  ASSIGN_OR_RETURN(const ListenAddress address,
                   ParseListenAddress(options.address));
  auto core =
      std::make_unique<ServerCore>(std::move(options), std::move(handler));
  const HttpServerOptions& o = core->options;

  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
                       MHD_USE_ERROR_LOG |
                       MHD_USE_ITC;  // MHD_quiesce_daemon needs ITC
  if (address.ipv6) flags |= MHD_USE_IPv6;
  const auto timeout_seconds = static_cast<unsigned int>(
      std::ceil(absl::FDivDuration(o.connection_timeout, absl::Seconds(1))));
  const size_t connection_memory =
      std::max(kMinConnectionMemory, o.max_request_line + kHeaderRoomBytes);
  // A pool of one is no pool: MHD then runs its single internal thread.
  const auto pool_size =
      static_cast<unsigned int>(o.threads > 1 ? o.threads : 0);

  {
    absl::MutexLock lock(&core->mu);
    core->capturing_start_log = true;
  }
  MHD_Daemon* daemon = MHD_start_daemon(
      flags, address.port, nullptr, nullptr, &OnRequest, core.get(),
      // The logger goes first so that start-up messages reach it.
      MHD_OPTION_EXTERNAL_LOGGER, &OnLibraryMessage, core.get(),
      MHD_OPTION_SOCK_ADDR, reinterpret_cast<const sockaddr*>(&address.storage),
      MHD_OPTION_THREAD_POOL_SIZE, pool_size, MHD_OPTION_CONNECTION_LIMIT,
      static_cast<unsigned int>(o.max_connections),
      MHD_OPTION_CONNECTION_TIMEOUT, timeout_seconds,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory,
      MHD_OPTION_URI_LOG_CALLBACK, &OnRequestLine, core.get(),
      MHD_OPTION_NOTIFY_COMPLETED, &OnRequestDone, core.get(), MHD_OPTION_END);
  std::string start_log;
  {
    absl::MutexLock lock(&core->mu);
    core->capturing_start_log = false;
    start_log = std::move(core->start_log);
    core->start_log.clear();
  }
  if (daemon == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot serve HTTP on ", o.address, ": ",
        start_log.empty() ? "libmicrohttpd could not start (thread, memory or "
                            "socket limits?)"
                          : start_log));
  }
  const MHD_DaemonInfo* info =
      MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  core->port = info != nullptr && info->port != 0 ? info->port : address.port;
  {
    absl::MutexLock lock(&core->stop_mu);
    core->daemon = daemon;
  }
  log::Info("http server listening",
            {{"address", o.address},
             {"port", static_cast<int64_t>(core->port)},
             {"threads", static_cast<int64_t>(o.threads)}});
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(core)));
}

HttpServer::HttpServer(std::unique_ptr<ServerCore> core)
    : core_(std::move(core)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return core_->port; }

void HttpServer::Stop() {
  ServerCore& core = *core_;
  absl::MutexLock stop_lock(&core.stop_mu);
  if (core.daemon == nullptr) return;
  core.stopping.store(true);

  // After quiescing, MHD no longer accepts; shutting the listening socket
  // down (without closing it, which MHD forbids before MHD_stop_daemon)
  // makes the kernel refuse new connections now instead of letting them
  // queue until the drain ends.
  const MHD_socket listen_fd = MHD_quiesce_daemon(core.daemon);
  if (listen_fd != MHD_INVALID_SOCKET) ::shutdown(listen_fd, SHUT_RDWR);

  int unfinished = 0;
  {
    absl::MutexLock lock(&core.mu);
    core.mu.AwaitWithTimeout(
        absl::Condition(
            +[](int* active) { return *active == 0; }, &core.active_requests),
        core.options.drain_timeout);
    unfinished = core.active_requests;
  }
  if (unfinished > 0) {
    log::Warning("http server stops with requests unfinished",
                 {{"requests", static_cast<int64_t>(unfinished)},
                  {"port", static_cast<int64_t>(core.port)}});
  }
  MHD_stop_daemon(core.daemon);  // joins the pool, closes connections
  if (listen_fd != MHD_INVALID_SOCKET) ::close(listen_fd);
  core.daemon = nullptr;
  log::Info("http server stopped", {{"port", static_cast<int64_t>(core.port)}});
}

}  // namespace brobygger::http
