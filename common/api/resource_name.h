// AIP-122 resource names, e.g. "municipalities/aalborg/actors/12".
#ifndef BROBYGGER_COMMON_API_RESOURCE_NAME_H_
#define BROBYGGER_COMMON_API_RESOURCE_NAME_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace brobygger::api {

// Municipality ids: 2-63 characters, lowercase ASCII letters, digits and
// '-', starting with a letter (e.g. "aalborg", "ringkobing-skjern").
bool IsValidMunicipalityId(absl::string_view id);

// Server-assigned numeric ids: 1-19 digits, no leading zero.
bool IsValidNumericId(absl::string_view id);

// Matches `name` against `pattern` ("municipalities/{municipality}/actors/
// {actor}") and returns the variable segments in order. INVALID_ARGUMENT
// naming `field` when it does not match, a segment is empty, or the
// municipality segment is not a valid id.
absl::StatusOr<std::vector<std::string>> ParseResourceName(
    absl::string_view name, absl::string_view pattern, absl::string_view field);

}  // namespace brobygger::api

#endif  // BROBYGGER_COMMON_API_RESOURCE_NAME_H_
