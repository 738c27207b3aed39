// Making people's text (titles, bodies, names) fit a plain-text e-mail:
// one line, bounded, never cutting a UTF-8 character in half.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_PLAIN_TEXT_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_PLAIN_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace brobygger::notifications {

// `text` on one line: ASCII control characters (line breaks, tabs, ...)
// become spaces, runs of spaces one space, no leading or trailing space.
std::string OneLine(absl::string_view text);

// `text` if it is at most `max_bytes` long; otherwise its longest prefix
// that ends on a character boundary (preferring a word boundary in the last
// fifth) followed by "…", all within `max_bytes` (>= 4).
std::string ShortenUtf8(absl::string_view text, size_t max_bytes);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_PLAIN_TEXT_H_
