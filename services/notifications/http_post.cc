#include "services/notifications/http_post.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/notifications/curl_support.h"

namespace brobygger::notifications {
namespace {

// How much of an error body goes into HttpPostResult::error.
constexpr size_t kErrorSnippetBytes = 200;

// Collects the response body: keeps the first kKeptBodyBytes and aborts
// the transfer (by returning 0) once more than kMaxReadBodyBytes came, so
// a receiver cannot make us read without end.
struct ResponseSink {
  std::string kept;
  size_t total = 0;
  bool stopped = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  const size_t bytes = size * count;
  sink->total += bytes;
  if (sink->kept.size() < kKeptBodyBytes) {
    sink->kept.append(data,
                      std::min(bytes, kKeptBodyBytes - sink->kept.size()));
  }
  if (sink->total > kMaxReadBodyBytes) {
    sink->stopped = true;
    return 0;
  }
  return bytes;
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') ||
         absl::string_view("!#$%&'*+-.^_`|~").find(c) !=
             absl::string_view::npos;
}

absl::Status CheckHeader(size_t index, absl::string_view name,
                         absl::string_view value) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
    return absl::InvalidArgumentError(
        absl::StrCat("headers[", index, "]: the name \"", name,
                     "\" is not an HTTP token (letters, digits, -, ...)"));
  }
  if (value.find_first_of(absl::string_view("\r\n\0", 3)) !=
      absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "headers[", index, "] (", name,
        "): the value contains CR, LF or NUL, which could inject headers"));
  }
  return absl::OkStatus();
}

// Printable ASCII only: the text ends up in proto string fields and logs,
// which must stay valid UTF-8 and on one line.
std::string Printable(absl::string_view text) {
  std::string out(text.substr(0, kErrorSnippetBytes));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = ' ';
  }
  return out;
}

std::string DescribeFailure(CURL* curl, int status_code,
                            absl::string_view body) {
  if (status_code >= 300 && status_code <= 399) {
    char* location = nullptr;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    return absl::StrCat(
        "HTTP ", status_code, ": redirect",
        location ? absl::StrCat(" to ", Printable(location)) : "",
        " not followed; register the final URL instead");
  }
  std::string error = absl::StrCat("HTTP ", status_code);
  if (!body.empty()) absl::StrAppend(&error, ": ", Printable(body));
  return error;
}

long Millis(absl::Duration d) {
  // 0 would mean "no timeout" to curl.
  return static_cast<long>(
      std::clamp<int64_t>(absl::ToInt64Milliseconds(d), 1, INT32_MAX));
}

}  // namespace

absl::StatusOr<HttpPostResult> HttpPost(const HttpPostRequest& request) {
  InitCurlOnce();
  CurlSlist headers;
  bool has_expect = false;
  for (size_t i = 0; i < request.headers.size(); ++i) {
    const auto& [name, value] = request.headers[i];
    if (absl::Status s = CheckHeader(i, name, value); !s.ok()) return s;
    has_expect |= absl::AsciiStrToLower(name) == "expect";
    // "Name:" would tell curl to drop the header; "Name;" sends it empty.
    const std::string line = value.empty() ? absl::StrCat(name, ";")
                                           : absl::StrCat(name, ": ", value);
    if (!AppendToSlist(headers, line.c_str())) {
      return absl::ResourceExhaustedError("out of memory for HTTP headers");
    }
  }
  // Without this curl waits up to a second for "100 Continue" before
  // sending a large body.
  if (!has_expect && !AppendToSlist(headers, "Expect:")) {
    return absl::ResourceExhaustedError("out of memory for HTTP headers");
  }

  CurlEasy curl(curl_easy_init());
  if (curl == nullptr) return absl::ResourceExhaustedError("curl_easy_init");
  CURL* c = curl.get();
  char error_buffer[CURL_ERROR_SIZE] = {};
  ResponseSink sink;
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  // Timeouts must not use SIGALRM: deliveries run on worker threads.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, Millis(request.timeout));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   Millis(request.connect_timeout));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Brobygger-Webhooks/1");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);

  const CURLcode code = curl_easy_perform(c);
  // Our own stop at kMaxReadBodyBytes ends an answer, not a failure.
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && sink.stopped)) {
    return CurlError(code, error_buffer, "POST failed");
  }
  HttpPostResult result;
  long status_code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status_code);
  result.status_code = static_cast<int>(status_code);
  result.body_truncated = sink.total > sink.kept.size();
  result.body = std::move(sink.kept);
  if (!result.ok()) {
    result.error = DescribeFailure(c, result.status_code, result.body);
  }
  return result;
}

}  // namespace brobygger::notifications
