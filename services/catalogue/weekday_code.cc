#include "services/catalogue/weekday_code.h"

namespace brobygger::catalogue {
namespace {

struct Code {
  absl::string_view code;
  absl::Weekday day;
};

constexpr Code kCodes[] = {
    {"MO", absl::Weekday::monday},    {"TU", absl::Weekday::tuesday},
    {"WE", absl::Weekday::wednesday}, {"TH", absl::Weekday::thursday},
    {"FR", absl::Weekday::friday},    {"SA", absl::Weekday::saturday},
    {"SU", absl::Weekday::sunday},
};

}  // namespace

absl::string_view WeekdayCode(absl::Weekday day) {
  for (const Code& code : kCodes) {
    if (code.day == day) return code.code;
  }
  return "MO";  // Unreachable: kCodes covers the whole enum.
}

std::optional<absl::Weekday> ParseWeekdayCode(absl::string_view code) {
  for (const Code& candidate : kCodes) {
    if (candidate.code == code) return candidate.day;
  }
  return std::nullopt;
}

}  // namespace brobygger::catalogue
