#include "tests/support/http_receiver.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace brobygger::test {
namespace {

constexpr size_t kMaxHeaderLine = 16 * 1024;
constexpr int kMaxHeaderLines = 200;
constexpr size_t kMaxBody = 16 * 1024 * 1024;

absl::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

std::string Render(const ScriptedResponse& response) {
  std::string out = absl::StrCat("HTTP/1.1 ", response.status, " ",
                                 ReasonPhrase(response.status),
                                 "\r\nContent-Length: ", response.body.size(),
                                 "\r\nConnection: close\r\n");
  for (const auto& [name, value] : response.headers) {
    absl::StrAppend(&out, name, ": ", value, "\r\n");
  }
  absl::StrAppend(&out, "\r\n", response.body);
  return out;
}

ScriptedResponse WithStatus(int status) {
  ScriptedResponse response;
  response.status = status;
  return response;
}

std::string StripLineEnd(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.pop_back();
  }
  return line;
}

}  // namespace

std::string ReceivedRequest::Header(absl::string_view name) const {
  const auto it = headers.find(absl::AsciiStrToLower(name));
  return it == headers.end() ? "" : it->second;
}

HttpReceiver::HttpReceiver()
    : server_(std::make_unique<LoopbackServer>(
          [this](LoopbackServer::Connection& c) { Serve(c); })) {}

HttpReceiver::~HttpReceiver() { server_.reset(); }

std::string HttpReceiver::Url(absl::string_view path) const {
  return absl::StrCat("http://127.0.0.1:", port(), path);
}

void HttpReceiver::RespondWith(std::vector<ScriptedResponse> responses) {
  absl::MutexLock lock(&mutex_);
  for (ScriptedResponse& response : responses) {
    script_.push_back(std::move(response));
  }
}

void HttpReceiver::RespondWith(std::initializer_list<int> statuses) {
  std::vector<ScriptedResponse> responses;
  for (int status : statuses) responses.push_back(WithStatus(status));
  RespondWith(std::move(responses));
}

void HttpReceiver::SetDefaultResponse(ScriptedResponse response) {
  absl::MutexLock lock(&mutex_);
  default_response_ = std::move(response);
}

std::vector<ReceivedRequest> HttpReceiver::Requests() const {
  absl::MutexLock lock(&mutex_);
  return requests_;
}

size_t HttpReceiver::RequestCount() const {
  absl::MutexLock lock(&mutex_);
  return requests_.size();
}

bool HttpReceiver::WaitForRequests(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mutex_);
  const auto arrived = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return requests_.size() >= n;
  };
  return mutex_.AwaitWithTimeout(absl::Condition(&arrived), timeout);
}

ScriptedResponse HttpReceiver::NextResponse() {
  absl::MutexLock lock(&mutex_);
  if (script_.empty()) return default_response_;
  ScriptedResponse next = std::move(script_.front());
  script_.pop_front();
  return next;
}

void HttpReceiver::Record(ReceivedRequest request) {
  absl::MutexLock lock(&mutex_);
  requests_.push_back(std::move(request));
}

void HttpReceiver::Serve(LoopbackServer::Connection& connection) {
  std::string line;
  if (!connection.ReadLine(&line, kMaxHeaderLine)) return;
  const std::vector<std::string> parts =
      absl::StrSplit(StripLineEnd(line), ' ');
  if (parts.size() != 3) {
    connection.Write(Render(WithStatus(400)));
    return;
  }
  ReceivedRequest request;
  request.method = parts[0];
  request.target = parts[1];
  for (int i = 0;; ++i) {
    if (i == kMaxHeaderLines || !connection.ReadLine(&line, kMaxHeaderLine)) {
      return;
    }
    line = StripLineEnd(line);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string name = absl::AsciiStrToLower(line.substr(0, colon));
    const std::string value(
        absl::StripAsciiWhitespace(absl::string_view(line).substr(colon + 1)));
    auto [it, inserted] = request.headers.emplace(name, value);
    if (!inserted) absl::StrAppend(&it->second, ", ", value);
  }
  if (!request.Header("transfer-encoding").empty()) {
    connection.Write(Render(WithStatus(411)));
    return;
  }
  if (absl::AsciiStrToLower(request.Header("expect")) == "100-continue") {
    connection.Write("HTTP/1.1 100 Continue\r\n\r\n");
  }
  size_t length = 0;
  const std::string content_length = request.Header("content-length");
  if (!content_length.empty() &&
      (!absl::SimpleAtoi(content_length, &length) || length > kMaxBody)) {
    connection.Write(Render(WithStatus(413)));
    return;
  }
  if (!connection.ReadExactly(length, &request.body)) return;
  Record(std::move(request));
  const ScriptedResponse response = NextResponse();
  if (!connection.Pause(response.delay)) return;
  connection.Write(Render(response));
}

}  // namespace brobygger::test
