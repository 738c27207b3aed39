// Just enough HTTP/1.1 request parsing for broctl's demo webhook receiver
// (webhook_receiver.h): one request per connection, bodies with a
// Content-Length of at most 1 MiB (no chunked bodies: 411), headers of at
// most 16 KiB and 100 fields (431). Whatever another parser might read
// differently (folded lines, a space before the colon, conflicting
// lengths) is refused with 400 rather than guessed at.
#ifndef BROBYGGER_TOOLS_BROCTL_HTTP_REQUEST_READER_H_
#define BROBYGGER_TOOLS_BROCTL_HTTP_REQUEST_READER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace brobygger::broctl {

inline constexpr size_t kMaxHttpHeaderBytes = 16 * 1024;
inline constexpr size_t kMaxHttpBodyBytes = 1024 * 1024;
inline constexpr size_t kMaxHttpHeaderCount = 100;

struct HttpRequest {
  std::string method;
  // As sent: the path and the query.
  std::string target;
  // Lower-case names; a repeated header's values joined with ", ".
  std::map<std::string, std::string> headers;
  std::string body;

  // The header's value, "" when absent. `name` in any case.
  std::string Header(absl::string_view name) const;
};

// Reads one request from the bytes of a connection as they arrive.
class HttpRequestReader {
 public:
  enum class Progress { kNeedMore, kComplete, kFailed };

  // Adds what arrived. After kComplete or kFailed further bytes are
  // ignored (one request per connection).
  Progress Feed(absl::string_view data);

  // Whether the request line and headers are in (and were acceptable).
  bool headers_done() const { return headers_done_; }
  // Whether the client waits for "100 Continue" before sending the body.
  bool expects_continue() const { return expects_continue_; }
  // Complete once Feed returned kComplete.
  const HttpRequest& request() const { return request_; }
  // After kFailed: the status to answer (400, 411, 413, 431, 505) and why.
  int error_status() const { return error_status_; }
  const std::string& error() const { return error_; }

 private:
  Progress Fail(int status, std::string why);
  Progress ParseHead(absl::string_view head);
  Progress TakeBody();

  std::string buffer_;
  size_t body_start_ = 0;
  uint64_t content_length_ = 0;
  bool headers_done_ = false;
  bool expects_continue_ = false;
  Progress progress_ = Progress::kNeedMore;
  HttpRequest request_;
  int error_status_ = 0;
  std::string error_;
};

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_HTTP_REQUEST_READER_H_
