// The AIP-160 filter subset Brobygger's List methods accept: a conjunction
// of restrictions `field = value` or `field: value`, joined by AND, where a
// value is a bare word (letters, digits, '-', '_', '.', ':' and '+') or a
// double-quoted string with \" and \\ escapes. Examples:
//   kind = VOLUNTEER AND area = "Kærby"
//   mother_tongue = ar AND available_at = "2026-11-24T18:00:00+01:00"
// OR, NOT, comparisons and parentheses are refused with INVALID_ARGUMENT
// naming "filter" and saying what is supported.
#ifndef BROBYGGER_COMMON_API_FILTER_H_
#define BROBYGGER_COMMON_API_FILTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace brobygger::api {

inline constexpr int kMaxFilterLength = 2000;
inline constexpr int kMaxRestrictions = 20;

struct Restriction {
  std::string field;
  // "=" or ":" (has / contains).
  std::string op;
  std::string value;
};

absl::StatusOr<std::vector<Restriction>> ParseFilter(absl::string_view filter);

}  // namespace brobygger::api

#endif  // BROBYGGER_COMMON_API_FILTER_H_
