// JSON string escaping for log lines: every input byte sequence yields a
// valid JSON string body, so a log line is always parseable no matter what a
// client sent (names, peer addresses, error messages all end up in logs).
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/log/log.h"

namespace brobygger::log {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence starting at text[i] (Unicode
// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or 0
// if it is ill-formed. On 0, *skip is the maximal ill-formed subpart to
// replace by one U+FFFD (Unicode's recommended practice).
size_t WellFormedLength(absl::string_view text, size_t i, size_t* skip) {
  const auto lead = static_cast<unsigned char>(text[i]);
  size_t length = 0;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  } else {
    *skip = 1;
    return 0;
  }
  size_t n = 1;
  for (; n < length && i + n < text.size(); ++n) {
    const auto c = static_cast<unsigned char>(text[i + n]);
    const bool ok =
        n == 1 ? (c >= second_min && c <= second_max) : IsContinuation(c);
    if (!ok) break;
  }
  if (n == length) return length;
  *skip = n;
  return 0;
}

void AppendControl(unsigned char c, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '\b':
      out->append("\\b");
      return;
    case '\f':
      out->append("\\f");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    default:
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
  }
}

}  // namespace

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '"') {
        out.append("\\\"");
      } else if (c == '\\') {
        out.append("\\\\");
      } else if (c < 0x20 || c == 0x7F) {
        // DEL is legal JSON but invisible and terminal-unfriendly in logs.
        AppendControl(c, &out);
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    size_t skip = 0;
    const size_t length = WellFormedLength(text, i, &skip);
    if (length == 0) {
      out.append(kReplacement);
      i += skip;
    } else {
      out.append(text.data() + i, length);
      i += length;
    }
  }
  return out;
}

}  // namespace brobygger::log
