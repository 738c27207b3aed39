// Text folding for case- and accent-insensitive search.
//
// Lowercases (ASCII and Latin-1/Latin Extended-A letters), strips accents
// (é -> e, ü -> u) and spells out the Danish and Nordic letters the way
// Danes type them without a Danish keyboard: æ -> ae, ø -> oe, å -> aa
// (and ä -> ae, ö -> oe), so "Kærby", "KAERBY" and "kaerby" fold alike.
// Whitespace runs become one space; the result is trimmed. Invalid UTF-8
// bytes are dropped.
#ifndef BROBYGGER_COMMON_TEXT_FOLD_H_
#define BROBYGGER_COMMON_TEXT_FOLD_H_

#include <string>

#include "absl/strings/string_view.h"

namespace brobygger::text {

std::string FoldForSearch(absl::string_view utf8);

// Number of Unicode code points in valid UTF-8, or -1 if invalid. Limits
// on names and descriptions count characters, not bytes.
int Utf8Length(absl::string_view utf8);

}  // namespace brobygger::text

#endif  // BROBYGGER_COMMON_TEXT_FOLD_H_
