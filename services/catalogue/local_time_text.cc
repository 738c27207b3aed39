#include "services/catalogue/local_time_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"

namespace brobygger::catalogue {
namespace {

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Strict "YYYY-MM-DD" at the start of `text`; false if the shape is wrong
// or the date does not exist (absl would normalise 2026-02-30 silently).
bool ParseDateFields(absl::string_view text, int* year, int* month, int* day) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' ||
      !AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2)) ||
      !AllDigits(text.substr(8, 2))) {
    return false;
  }
  *year = std::stoi(std::string(text.substr(0, 4)));
  *month = std::stoi(std::string(text.substr(5, 2)));
  *day = std::stoi(std::string(text.substr(8, 2)));
  const absl::CivilDay normalised(*year, *month, *day);
  return normalised.year() == *year && normalised.month() == *month &&
         normalised.day() == *day;
}

}  // namespace

absl::StatusOr<absl::CivilSecond> ParseLocalDateTime(absl::string_view text,
                                                     absl::string_view field) {
  const auto invalid = [&] {
    return InvalidFieldError(
        field, absl::StrCat("\"", text,
                            "\" is not a local date and time; send "
                            "\"YYYY-MM-DDTHH:MM\" (Europe/Copenhagen), e.g. "
                            "\"2026-12-01T18:00\""));
  };
  int year, month, day;
  if ((text.size() != 16 && text.size() != 19) ||
      !ParseDateFields(text, &year, &month, &day) || text[10] != 'T' ||
      text[13] != ':' || !AllDigits(text.substr(11, 2)) ||
      !AllDigits(text.substr(14, 2))) {
    return invalid();
  }
  const int hour = std::stoi(std::string(text.substr(11, 2)));
  const int minute = std::stoi(std::string(text.substr(14, 2)));
  int second = 0;
  if (text.size() == 19) {
    if (text[16] != ':' || !AllDigits(text.substr(17, 2))) return invalid();
    second = std::stoi(std::string(text.substr(17, 2)));
  }
  if (hour > 23 || minute > 59 || second > 59) return invalid();
  return absl::CivilSecond(year, month, day, hour, minute, second);
}

std::string FormatLocalDateTime(absl::CivilSecond time) {
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d", time.year(),
                         time.month(), time.day(), time.hour(), time.minute(),
                         time.second());
}

absl::StatusOr<absl::CivilDay> ParseLocalDate(absl::string_view text,
                                              absl::string_view field) {
  int year, month, day;
  if (text.size() != 10 || !ParseDateFields(text, &year, &month, &day)) {
    return InvalidFieldError(
        field, absl::StrCat("\"", text,
                            "\" is not a date; send \"YYYY-MM-DD\", e.g. "
                            "\"2026-12-24\""));
  }
  return absl::CivilDay(year, month, day);
}

std::string FormatLocalDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

}  // namespace brobygger::catalogue
