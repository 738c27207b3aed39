// Decoders for what mime_encoding produces, written independently of it
// from RFC 2045 / RFC 2047, so tests can check round trips.
#ifndef BROBYGGER_TESTS_NOTIFICATIONS_MIME_TEST_UTIL_H_
#define BROBYGGER_TESTS_NOTIFICATIONS_MIME_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace brobygger::notifications::mime_test {

// Quoted-printable to text with "\n" line breaks; "<bad>" on bad escapes.
inline std::string DecodeQuotedPrintable(absl::string_view encoded) {
  const std::string joined = absl::StrReplaceAll(encoded, {{"=\r\n", ""}});
  std::string out;
  for (size_t i = 0; i < joined.size(); ++i) {
    if (joined[i] != '=') {
      out += joined[i];
      continue;
    }
    int value = 0;
    if (i + 2 >= joined.size()) return "<bad>";
    if (!absl::SimpleHexAtoi(joined.substr(i + 1, 2), &value)) return "<bad>";
    out += static_cast<char>(value);
    i += 2;
  }
  return absl::StrReplaceAll(out, {{"\r\n", "\n"}});
}

// The UTF-8 text of header text made of "=?UTF-8?B?...?=" words separated
// by folding whitespace; each word's bytes are appended to *words too.
inline std::string DecodeEncodedWords(absl::string_view header,
                                      std::vector<std::string>* words) {
  std::string out;
  for (absl::string_view word :
       absl::StrSplit(header, absl::ByAnyChar(" \r\n"), absl::SkipEmpty())) {
    if (!absl::ConsumePrefix(&word, "=?UTF-8?B?") ||
        !absl::ConsumeSuffix(&word, "?=")) {
      return "<not an encoded-word>";
    }
    std::string bytes;
    if (!absl::Base64Unescape(word, &bytes)) return "<bad base64>";
    if (words != nullptr) words->push_back(bytes);
    out += bytes;
  }
  return out;
}

}  // namespace brobygger::notifications::mime_test

#endif  // BROBYGGER_TESTS_NOTIFICATIONS_MIME_TEST_UTIL_H_
