#include "common/text/utf8.h"

namespace brobygger::text {
namespace {

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The byte length of the first `count` code points of `utf8`.
size_t PrefixBytes(absl::string_view utf8, size_t count) {
  size_t i = 0;
  for (size_t seen = 0; i < utf8.size() && seen < count; ++seen) {
    ++i;
    while (i < utf8.size() &&
           IsContinuation(static_cast<unsigned char>(utf8[i]))) {
      ++i;
    }
  }
  return i;
}

}  // namespace

size_t CountCodePoints(absl::string_view utf8) {
  size_t count = 0;
  for (char c : utf8) {
    if (!IsContinuation(static_cast<unsigned char>(c))) ++count;
  }
  return count;
}

std::string TruncateUtf8(absl::string_view utf8, size_t max_code_points) {
  if (CountCodePoints(utf8) <= max_code_points) return std::string(utf8);
  if (max_code_points == 0) return "";
  std::string out(utf8.substr(0, PrefixBytes(utf8, max_code_points - 1)));
  out += "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS
  return out;
}

}  // namespace brobygger::text
