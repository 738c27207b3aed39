// The two-letter weekday codes of RFC 5545 ("MO".."SU"), shared by the
// RRULE parser and formatter.
#ifndef BROBYGGER_SERVICES_CATALOGUE_WEEKDAY_CODE_H_
#define BROBYGGER_SERVICES_CATALOGUE_WEEKDAY_CODE_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace brobygger::catalogue {

absl::string_view WeekdayCode(absl::Weekday day);

// The weekday of an upper-case code; nullopt if it is not one.
std::optional<absl::Weekday> ParseWeekdayCode(absl::string_view code);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_WEEKDAY_CODE_H_
