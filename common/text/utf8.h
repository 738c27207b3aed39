// Bounded text for people: shortening UTF-8 without cutting a character in
// half.
#ifndef BROBYGGER_COMMON_TEXT_UTF8_H_
#define BROBYGGER_COMMON_TEXT_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace brobygger::text {

// The number of code points of `utf8` (invalid bytes count one each).
size_t CountCodePoints(absl::string_view utf8);

// `utf8` itself when it has at most `max_code_points` code points;
// otherwise its first `max_code_points - 1` followed by "…", so the result
// never exceeds the limit and never ends inside a multi-byte character.
std::string TruncateUtf8(absl::string_view utf8, size_t max_code_points);

}  // namespace brobygger::text

#endif  // BROBYGGER_COMMON_TEXT_UTF8_H_
