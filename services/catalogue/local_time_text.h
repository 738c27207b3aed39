// The text forms of Copenhagen wall-clock times in the catalogue's API:
// "2026-12-01T18:00" or "2026-12-01T18:00:00" for a local start, and
// "2026-12-24" for a local date (ISO 8601 without offset, since the zone is
// always Europe/Copenhagen).
#ifndef BROBYGGER_SERVICES_CATALOGUE_LOCAL_TIME_TEXT_H_
#define BROBYGGER_SERVICES_CATALOGUE_LOCAL_TIME_TEXT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace brobygger::catalogue {

// INVALID_ARGUMENT naming `field` unless `text` is "YYYY-MM-DDTHH:MM" or
// "YYYY-MM-DDTHH:MM:SS" denoting a real calendar time.
absl::StatusOr<absl::CivilSecond> ParseLocalDateTime(absl::string_view text,
                                                     absl::string_view field);

// "YYYY-MM-DDTHH:MM:SS".
std::string FormatLocalDateTime(absl::CivilSecond time);

// INVALID_ARGUMENT naming `field` unless `text` is a real date
// "YYYY-MM-DD".
absl::StatusOr<absl::CivilDay> ParseLocalDate(absl::string_view text,
                                              absl::string_view field);

// "YYYY-MM-DD".
std::string FormatLocalDate(absl::CivilDay day);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_LOCAL_TIME_TEXT_H_
