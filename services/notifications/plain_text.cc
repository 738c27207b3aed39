#include "services/notifications/plain_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace brobygger::notifications {
namespace {

constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::string OneLine(absl::string_view text) {
  std::string line;
  line.reserve(text.size());
  bool pending_space = false;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f || c == ' ') {
      pending_space = !line.empty();
      continue;
    }
    if (pending_space) line.push_back(' ');
    pending_space = false;
    line.push_back(static_cast<char>(c));
  }
  return line;
}

std::string ShortenUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  if (max_bytes < kEllipsis.size() + 1) max_bytes = kEllipsis.size() + 1;
  size_t cut = max_bytes - kEllipsis.size();
  // Back up to the first byte of a character: the cut then falls between
  // two characters.
  while (cut > 0 && IsContinuationByte(text[cut])) --cut;
  const size_t space = text.rfind(' ', cut);
  if (space != absl::string_view::npos && space > 0 && space >= cut - cut / 5) {
    cut = space;
  }
  absl::string_view kept =
      absl::StripTrailingAsciiWhitespace(text.substr(0, cut));
  return absl::StrCat(kept, kEllipsis);
}

}  // namespace brobygger::notifications
