#include "services/notifications/mime_encoding.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace brobygger::notifications {
namespace {

constexpr size_t kMaxQpLineLength = 76;
// 42 bytes are 56 base64 characters, a 68-character encoded-word: with
// "Subject: " before it, or one space on a continuation line, every line
// stays within RFC 5322's recommended 78.
constexpr size_t kMaxEncodedWordBytes = 42;

bool IsPlainAscii(absl::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e) return false;
  }
  return !absl::StrContains(text, "=?");
}

// The escapes and literals of one line, each an indivisible token.
std::vector<std::string> QpTokens(absl::string_view line) {
  std::vector<std::string> tokens;
  for (size_t i = 0; i < line.size(); ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    const bool literal = (byte >= 33 && byte <= 126 && byte != '=') ||
                         ((byte == ' ' || byte == '\t') && !last);
    tokens.push_back(literal ? std::string(1, line[i])
                             : absl::StrFormat("=%02X", byte));
  }
  return tokens;
}

std::string EncodeQpLine(absl::string_view line) {
  const std::vector<std::string> tokens = QpTokens(line);
  std::string out;
  size_t length = 0;  // of the current encoded line
  for (size_t i = 0; i < tokens.size(); ++i) {
    // A line that continues needs one column for its soft break "=".
    const size_t limit =
        i + 1 == tokens.size() ? kMaxQpLineLength : kMaxQpLineLength - 1;
    if (length + tokens[i].size() > limit) {
      out += "=\r\n";
      length = 0;
    }
    out += tokens[i];
    length += tokens[i].size();
  }
  return out;
}

// Splits UTF-8 text into chunks of at most `max_bytes` without cutting a
// character (bytes 10xxxxxx continue one). Invalid UTF-8 is split anywhere.
std::vector<absl::string_view> Utf8Chunks(absl::string_view text,
                                          size_t max_bytes) {
  std::vector<absl::string_view> chunks;
  while (!text.empty()) {
    size_t end = std::min(max_bytes, text.size());
    if (end < text.size()) {
      size_t cut = end;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
      if (cut > 0) end = cut;
    }
    chunks.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return chunks;
}

}  // namespace

std::string EncodeQuotedPrintable(absl::string_view text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
    lines.push_back(EncodeQpLine(line));
  }
  return absl::StrJoin(lines, "\r\n");
}

std::string EncodeHeaderText(absl::string_view text) {
  if (IsPlainAscii(text)) return std::string(text);
  std::vector<std::string> words;
  for (absl::string_view chunk : Utf8Chunks(text, kMaxEncodedWordBytes)) {
    words.push_back(
        absl::StrCat("=?UTF-8?B?", absl::Base64Escape(chunk), "?="));
  }
  // Whitespace between adjacent encoded-words is not part of the text.
  return absl::StrJoin(words, "\r\n ");
}

std::string EncodeDisplayName(absl::string_view name) {
  if (!IsPlainAscii(name)) return EncodeHeaderText(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string FormatRfc5322Date(absl::Time t) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu",
                                          "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr",
                                            "May", "Jun", "Jul", "Aug",
                                            "Sep", "Oct", "Nov", "Dec"};
  const absl::CivilSecond civil = absl::ToCivilSecond(t, absl::UTCTimeZone());
  const int weekday = static_cast<int>(absl::GetWeekday(civil));
  return absl::StrFormat("%s, %02d %s %04d %02d:%02d:%02d +0000",
                         kDays[weekday], civil.day(),
                         kMonths[civil.month() - 1], civil.year(), civil.hour(),
                         civil.minute(), civil.second());
}

}  // namespace brobygger::notifications
