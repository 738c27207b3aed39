// ParseRecurrenceRule: RFC 5545 RRULE text (section 3.3.10) to a
// RecurrenceRule. Syntax is checked here; ranges and combinations by
// ValidateRecurrenceRule, so rules built in code get the same checks.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/status/errors.h"
#include "common/time/copenhagen_time.h"
#include "services/catalogue/recurrence_rule.h"
#include "services/catalogue/weekday_code.h"

namespace brobygger::catalogue {
namespace {

using Frequency = RecurrenceRule::Frequency;

constexpr absl::string_view kSupportedParts =
    "supported parts are FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY and "
    "WKST";

absl::Status RuleError(absl::string_view message) {
  return InvalidFieldError(kRruleField, message);
}

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A whole number with an optional sign, or nullopt. Numbers too long to be
// meaningful come back as a huge value, so that the range check that
// follows reports them rather than a misleading syntax error.
std::optional<int> ParseInteger(absl::string_view text, bool allow_sign) {
  int sign = 1;
  if (allow_sign && !text.empty() && (text[0] == '+' || text[0] == '-')) {
    sign = text[0] == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  if (!AllDigits(text)) return std::nullopt;
  if (text.size() > 9) return sign * 999999999;
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return sign * value;
}

absl::StatusOr<Frequency> ParseFrequency(absl::string_view value) {
  if (value == "DAILY") return Frequency::kDaily;
  if (value == "WEEKLY") return Frequency::kWeekly;
  if (value == "MONTHLY") return Frequency::kMonthly;
  if (value == "YEARLY") {
    return RuleError(
        "FREQ=YEARLY is not supported; use FREQ=DAILY, WEEKLY or MONTHLY (a "
        "yearly event is FREQ=MONTHLY;INTERVAL=12)");
  }
  if (value == "HOURLY" || value == "MINUTELY" || value == "SECONDLY") {
    return RuleError(absl::StrCat(
        "FREQ=", value,
        " is not supported; activities repeat at most daily: use FREQ=DAILY, "
        "WEEKLY or MONTHLY"));
  }
  return RuleError(absl::StrCat(
      "FREQ=", value, " is not a frequency; use DAILY, WEEKLY or MONTHLY"));
}

// Digits at text[offset, offset + length) as a number (caller checked
// they are digits).
int DigitsAt(absl::string_view text, size_t offset, size_t length) {
  return *ParseInteger(text.substr(offset, length), /*allow_sign=*/false);
}

// "YYYYMMDD" or "YYYYMMDDTHHMMSSZ" as a civil time, if it names a real
// date and time. `utc` tells which form it was.
std::optional<absl::CivilSecond> ParseDateTime(absl::string_view text,
                                               bool* utc) {
  const bool date_only = text.size() == 8;
  *utc = text.size() == 16;
  if (date_only ? !AllDigits(text)
                : !*utc || !AllDigits(text.substr(0, 8)) || text[8] != 'T' ||
                      !AllDigits(text.substr(9, 6)) || text[15] != 'Z') {
    return std::nullopt;
  }
  const int year = DigitsAt(text, 0, 4), month = DigitsAt(text, 4, 2),
            day = DigitsAt(text, 6, 2);
  const int hour = date_only ? 0 : DigitsAt(text, 9, 2);
  const int minute = date_only ? 0 : DigitsAt(text, 11, 2);
  const int second = date_only ? 0 : DigitsAt(text, 13, 2);
  const absl::CivilSecond parsed(year, month, day, hour, minute, second);
  // Civil times normalise (Feb 30th becomes March 2nd); a real date and
  // time comes back unchanged.
  if (parsed.year() != year || parsed.month() != month || parsed.day() != day ||
      parsed.hour() != hour || parsed.minute() != minute ||
      parsed.second() != second) {
    return std::nullopt;
  }
  return parsed;
}

absl::StatusOr<absl::Time> ParseUntil(absl::string_view value) {
  bool utc = false;
  const std::optional<absl::CivilSecond> parsed = ParseDateTime(value, &utc);
  if (!parsed.has_value()) {
    return RuleError(absl::StrCat(
        "UNTIL=", value,
        " is neither a UTC date-time like 20270630T215959Z nor a date like "
        "20270630 (meaning the end of that day in Copenhagen)"));
  }
  if (utc) return absl::FromCivil(*parsed, absl::UTCTimeZone());
  // A date includes the whole local day: every start before the next local
  // midnight. Occurrences start on whole seconds, so "up to one second
  // before" is the same bound.
  if (absl::Status zone = time::CheckCopenhagenTimeZone(); !zone.ok()) {
    return zone;
  }
  const absl::CivilDay next_day = absl::CivilDay(*parsed) + 1;
  return time::CopenhagenToAbsolute(absl::CivilSecond(next_day)) -
         absl::Seconds(1);
}

absl::StatusOr<RecurrenceRule::ByDay> ParseByDay(absl::string_view item) {
  const absl::Status bad = RuleError(absl::StrCat(
      "BYDAY=", item,
      " is not a weekday; use MO, TU, WE, TH, FR, SA, SU, with FREQ=MONTHLY "
      "optionally numbered (2TU = second Tuesday, -1FR = last Friday)"));
  if (item.size() < 2) return bad;
  const std::optional<absl::Weekday> day =
      ParseWeekdayCode(item.substr(item.size() - 2));
  if (!day.has_value()) return bad;
  RecurrenceRule::ByDay by_day{*day, 0};
  const absl::string_view ordinal = item.substr(0, item.size() - 2);
  if (!ordinal.empty()) {
    const std::optional<int> number = ParseInteger(ordinal, true);
    if (!number.has_value() || *number == 0) return bad;
    by_day.ordinal = *number;
  }
  return by_day;
}

absl::Status ParseList(absl::string_view name, absl::string_view value,
                       RecurrenceRule* rule) {
  for (absl::string_view item : absl::StrSplit(value, ',')) {
    if (name == "BYDAY") {
      absl::StatusOr<RecurrenceRule::ByDay> by_day = ParseByDay(item);
      if (!by_day.ok()) return by_day.status();
      rule->by_day.push_back(*by_day);
    } else {
      const std::optional<int> day = ParseInteger(item, true);
      if (!day.has_value()) {
        return RuleError(absl::StrCat(
            "BYMONTHDAY=", item,
            " is not a day of the month; use 1 to 31, or -1 to -31 counted "
            "from the month's end"));
      }
      rule->by_month_day.push_back(*day);
    }
  }
  return absl::OkStatus();
}

absl::Status ParsePart(absl::string_view name, absl::string_view value,
                       RecurrenceRule* rule) {
  if (name == "FREQ") {
    absl::StatusOr<Frequency> frequency = ParseFrequency(value);
    if (!frequency.ok()) return frequency.status();
    rule->frequency = *frequency;
  } else if (name == "INTERVAL" || name == "COUNT") {
    const std::optional<int> number = ParseInteger(value, false);
    if (!number.has_value()) {
      return RuleError(absl::StrCat(
          name, "=", value, " is not a whole number; write e.g. ", name, "=2"));
    }
    if (name == "INTERVAL") {
      rule->interval = *number;
    } else {
      rule->count = *number;
    }
  } else if (name == "UNTIL") {
    absl::StatusOr<absl::Time> until = ParseUntil(value);
    if (!until.ok()) return until.status();
    rule->until = *until;
  } else if (name == "BYDAY" || name == "BYMONTHDAY") {
    return ParseList(name, value, rule);
  } else if (name == "WKST") {
    const std::optional<absl::Weekday> day = ParseWeekdayCode(value);
    if (!day.has_value()) {
      return RuleError(absl::StrCat("WKST=", value,
                                    " is not a weekday; use MO, TU, WE, TH, "
                                    "FR, SA or SU"));
    }
    rule->week_start = *day;
  } else if (name == "BYSECOND" || name == "BYMINUTE" || name == "BYHOUR" ||
             name == "BYYEARDAY" || name == "BYWEEKNO" || name == "BYMONTH" ||
             name == "BYSETPOS") {
    return RuleError(
        absl::StrCat(name, " is not supported; ", kSupportedParts,
                     " (the time of day comes from the schedule's start)"));
  } else {
    return RuleError(
        absl::StrCat("unknown rule part \"", name, "\"; ", kSupportedParts));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RecurrenceRule> ParseRecurrenceRule(absl::string_view text) {
  if (text.size() > static_cast<size_t>(kMaxRuleTextLength)) {
    return RuleError(absl::StrCat("the rule is longer than ",
                                  kMaxRuleTextLength, " characters"));
  }
  // Names and values are case-insensitive (RFC 5545 section 2).
  std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  absl::string_view rest = upper;
  absl::ConsumePrefix(&rest, "RRULE:");
  // Some producers end the rule with ';'; that is harmless.
  absl::ConsumeSuffix(&rest, ";");
  if (rest.empty()) {
    return RuleError(
        "the rule is empty; send e.g. FREQ=WEEKLY;BYDAY=TU, or no rule for a "
        "one-off event");
  }
  RecurrenceRule rule;
  std::set<std::string> seen;
  for (absl::string_view part : absl::StrSplit(rest, ';')) {
    const size_t equals = part.find('=');
    if (equals == absl::string_view::npos || equals == 0) {
      return RuleError(absl::StrCat(
          "\"", part,
          "\" is not NAME=VALUE; rule parts are separated by ';', as in "
          "FREQ=WEEKLY;BYDAY=TU"));
    }
    const absl::string_view name = part.substr(0, equals);
    const absl::string_view value = part.substr(equals + 1);
    if (!seen.insert(std::string(name)).second) {
      return RuleError(
          absl::StrCat(name, " appears twice; give each rule part once"));
    }
    if (absl::Status status = ParsePart(name, value, &rule); !status.ok()) {
      return status;
    }
  }
  if (!seen.contains("FREQ")) {
    return RuleError(
        "FREQ is missing; start with FREQ=DAILY, WEEKLY or "
        "MONTHLY");
  }
  if (absl::Status status = ValidateRecurrenceRule(rule); !status.ok()) {
    return status;
  }
  return rule;
}

}  // namespace brobygger::catalogue
