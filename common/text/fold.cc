#include "common/text/fold.h"

#include <cstdint>
#include <optional>

namespace brobygger::text {
namespace {

// Decodes one code point at `pos` (strict UTF-8: no overlong forms, no
// surrogates, nothing above U+10FFFF) and advances `pos`. On invalid input
// returns nullopt and advances one byte, so decoding resynchronises on the
// next lead byte.
std::optional<char32_t> DecodeOne(absl::string_view s, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t b0 = byte(pos);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  size_t length;
  char32_t cp;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++pos;
    return std::nullopt;
  }
  if (pos + length > s.size()) {
    ++pos;
    return std::nullopt;
  }
  for (size_t i = 1; i < length; ++i) {
    const uint8_t b = byte(pos + i);
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return std::nullopt;
  }
  pos += length;
  return cp;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsSpace(char32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

// ASCII spellings of U+00C0..U+00FF (both cases fold alike). nullptr for
// the two non-letters, × and ÷, which are kept.
constexpr const char* kLatin1[64] = {
    "a",  "a", "a", "a", "ae", "aa", "ae", "c",      // À Á Â Ã Ä Å Æ Ç
    "e",  "e", "e", "e", "i",  "i",  "i",  "i",      // È É Ê Ë Ì Í Î Ï
    "d",  "n", "o", "o", "o",  "o",  "oe", nullptr,  // Ð Ñ Ò Ó Ô Õ Ö ×
    "oe", "u", "u", "u", "u",  "y",  "th", "ss",     // Ø Ù Ú Û Ü Ý Þ ß
    "a",  "a", "a", "a", "ae", "aa", "ae", "c",      // à á â ã ä å æ ç
    "e",  "e", "e", "e", "i",  "i",  "i",  "i",      // è é ê ë ì í î ï
    "d",  "n", "o", "o", "o",  "o",  "oe", nullptr,  // ð ñ ò ó ô õ ö ÷
    "oe", "u", "u", "u", "u",  "y",  "th", "y",      // ø ù ú û ü ý þ ÿ
};

// ASCII spellings of U+0100..U+017F (Latin Extended-A), in runs.
struct Run {
  char32_t last;
  const char* ascii;
};
constexpr Run kLatinExtendedA[] = {
    {0x0105, "a"}, {0x010D, "c"}, {0x0111, "d"},  {0x011B, "e"},  {0x0123, "g"},
    {0x0127, "h"}, {0x0131, "i"}, {0x0133, "ij"}, {0x0135, "j"},  {0x0138, "k"},
    {0x0142, "l"}, {0x014B, "n"}, {0x0151, "o"},  {0x0153, "oe"}, {0x0159, "r"},
    {0x0161, "s"}, {0x0167, "t"}, {0x0173, "u"},  {0x0175, "w"},  {0x0178, "y"},
    {0x017E, "z"}, {0x017F, "s"},
};

const char* FoldLatin(char32_t cp) {
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) {
    for (const Run& run : kLatinExtendedA) {
      if (cp <= run.last) return run.ascii;
    }
  }
  return nullptr;
}

// Simple one-to-one lowercasing of Greek and Cyrillic capitals (names of
// newcomers from Ukraine are searched too). Other scripts are kept as is.
char32_t LowerOther(char32_t cp) {
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;  // А..Я
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;  // Ѐ..Џ (Є І Ї)
  if (cp == 0x0490) return 0x0491;                     // Ґ
  if ((cp >= 0x0391 && cp <= 0x03A1) || (cp >= 0x03A3 && cp <= 0x03AB)) {
    return cp + 0x20;  // Α..Ϋ
  }
  return cp;
}

// Decomposed input (NFD, as macOS keyboards send it) carries accents as
// combining marks after the base letter. They are dropped, except those
// that make the Danish spellings: a + ring -> aa, a/o + diaeresis -> ae/oe.
void FoldCombiningMark(char32_t mark, std::string& out) {
  const char last = out.empty() ? '\0' : out.back();
  if (mark == 0x030A && last == 'a') out.push_back('a');
  if (mark == 0x0308 && (last == 'a' || last == 'o')) out.push_back('e');
}

}  // namespace

std::string FoldForSearch(absl::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  size_t pos = 0;
  while (pos < utf8.size()) {
    const std::optional<char32_t> decoded = DecodeOne(utf8, pos);
    if (!decoded.has_value()) continue;  // invalid bytes are dropped
    const char32_t cp = *decoded;
    if (IsSpace(cp)) {
      pending_space = !out.empty();
      continue;
    }
    // Other control characters carry nothing searchable.
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) continue;
    if (cp >= 0x0300 && cp <= 0x036F) {
      // A mark after whitespace has no base letter to modify.
      if (!pending_space) FoldCombiningMark(cp, out);
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    if (cp < 0x80) {
      out.push_back(
          static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp));
    } else if (const char* ascii = FoldLatin(cp); ascii != nullptr) {
      out.append(ascii);
    } else {
      AppendUtf8(LowerOther(cp), out);
    }
  }
  return out;
}

int Utf8Length(absl::string_view utf8) {
  int count = 0;
  size_t pos = 0;
  while (pos < utf8.size()) {
    if (!DecodeOne(utf8, pos).has_value()) return -1;
    ++count;
  }
  return count;
}

}  // namespace brobygger::text
