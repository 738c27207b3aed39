#include "tools/broctl/http_request_reader.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace brobygger::broctl {
namespace {

using Progress = HttpRequestReader::Progress;

// RFC 9110 token characters (header names, methods).
bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::StrContains("!#$%&'*+-.^_`|~", c);
}

bool IsToken(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

// Field values: visible characters, spaces and tabs, and any byte >= 0x80
// (obs-text); no control characters.
bool IsFieldValue(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte == '\t' || (byte >= 0x20 && byte != 0x7f);
  });
}

}  // namespace

std::string HttpRequest::Header(absl::string_view name) const {
  auto it = headers.find(absl::AsciiStrToLower(name));
  return it == headers.end() ? std::string() : it->second;
}

Progress HttpRequestReader::Fail(int status, std::string why) {
  error_status_ = status;
  error_ = std::move(why);
  progress_ = Progress::kFailed;
  return progress_;
}

Progress HttpRequestReader::Feed(absl::string_view data) {
  if (progress_ != Progress::kNeedMore) return progress_;
  if (!headers_done_) {
    // Keep only what can still matter: the head and at most the body.
    const size_t room = kMaxHttpHeaderBytes + 4 + kMaxHttpBodyBytes;
    absl::StrAppend(&buffer_,
                    data.substr(0, room - std::min(room, buffer_.size())));
    const size_t end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (buffer_.size() > kMaxHttpHeaderBytes) {
        return Fail(431, "the request's headers exceed 16 KiB");
      }
      return progress_;
    }
    if (end > kMaxHttpHeaderBytes) {
      return Fail(431, "the request's headers exceed 16 KiB");
    }
    body_start_ = end + 4;
    if (ParseHead(absl::string_view(buffer_).substr(0, end)) ==
        Progress::kFailed) {
      return progress_;
    }
    headers_done_ = true;
  } else {
    const size_t missing =
        body_start_ + content_length_ -
        std::min(buffer_.size(), body_start_ + content_length_);
    absl::StrAppend(&buffer_, data.substr(0, missing));
  }
  return TakeBody();
}

Progress HttpRequestReader::TakeBody() {
  if (buffer_.size() < body_start_ + content_length_) return progress_;
  request_.body = buffer_.substr(body_start_, content_length_);
  buffer_.clear();
  progress_ = Progress::kComplete;
  return progress_;
}

Progress HttpRequestReader::ParseHead(absl::string_view head) {
  std::vector<absl::string_view> lines = absl::StrSplit(head, "\r\n");
  const std::vector<absl::string_view> parts = absl::StrSplit(lines[0], ' ');
  if (parts.size() != 3 || !IsToken(parts[0]) || parts[1].empty() ||
      !IsFieldValue(parts[1]) || absl::StrContains(parts[1], '\t')) {
    return Fail(400, "malformed request line");
  }
  if (parts[2] != "HTTP/1.1" && parts[2] != "HTTP/1.0") {
    if (absl::StartsWith(parts[2], "HTTP/")) {
      return Fail(505, absl::StrCat("unsupported ", parts[2].substr(0, 16)));
    }
    return Fail(400, "malformed request line");
  }
  request_.method = std::string(parts[0]);
  request_.target = std::string(parts[1]);
  if (lines.size() - 1 > kMaxHttpHeaderCount) {
    return Fail(
        431, absl::StrCat("more than ", kMaxHttpHeaderCount, " header fields"));
  }
  std::string content_length;
  for (size_t i = 1; i < lines.size(); ++i) {
    const absl::string_view line = lines[i];
    const size_t colon = line.find(':');
    // No folded lines (RFC 9112 5.2) and no space before the colon (5.1):
    // both have been used to smuggle headers past other parsers.
    if (colon == absl::string_view::npos || !IsToken(line.substr(0, colon))) {
      return Fail(400, "malformed header field");
    }
    const absl::string_view value =
        absl::StripAsciiWhitespace(line.substr(colon + 1));
    if (!IsFieldValue(value)) return Fail(400, "control character in a header");
    const std::string name = absl::AsciiStrToLower(line.substr(0, colon));
    if (name == "content-length") {
      // Repeated (or listed) lengths must agree (RFC 9110 8.6).
      for (absl::string_view item : absl::StrSplit(value, ',')) {
        item = absl::StripAsciiWhitespace(item);
        if (item.empty() || !std::all_of(item.begin(), item.end(), [](char c) {
              return absl::ascii_isdigit(static_cast<unsigned char>(c));
            })) {
          return Fail(400, "malformed Content-Length");
        }
        if (!content_length.empty() && content_length != item) {
          return Fail(400, "conflicting Content-Length values");
        }
        content_length = std::string(item);
      }
    }
    auto [it, inserted] = request_.headers.emplace(name, std::string(value));
    if (!inserted) absl::StrAppend(&it->second, ", ", value);
  }
  if (request_.headers.count("transfer-encoding") > 0) {
    return Fail(411, "send a Content-Length; chunked bodies are not read");
  }
  if (content_length.empty()) {
    if (request_.method == "POST" || request_.method == "PUT") {
      return Fail(411, "a POST needs a Content-Length");
    }
    content_length_ = 0;
  } else if (content_length.size() > 12 ||
             !absl::SimpleAtoi(content_length, &content_length_) ||
             content_length_ > kMaxHttpBodyBytes) {
    return Fail(413, "the body exceeds 1 MiB");
  }
  expects_continue_ =
      absl::EqualsIgnoreCase(request_.Header("expect"), "100-continue");
  return Progress::kNeedMore;
}

}  // namespace brobygger::broctl
