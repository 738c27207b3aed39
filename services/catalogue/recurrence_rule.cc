// Validation and canonical formatting of recurrence rules; parsing is in
// recurrence_rule_parse.cc.
#include "services/catalogue/recurrence_rule.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "services/catalogue/weekday_code.h"

namespace brobygger::catalogue {
namespace {

using Frequency = RecurrenceRule::Frequency;

absl::string_view FrequencyName(Frequency frequency) {
  switch (frequency) {
    case Frequency::kDaily:
      return "DAILY";
    case Frequency::kWeekly:
      return "WEEKLY";
    case Frequency::kMonthly:
      return "MONTHLY";
  }
  return "WEEKLY";
}

std::string ByDayText(const RecurrenceRule::ByDay& by_day) {
  if (by_day.ordinal == 0) return std::string(WeekdayCode(by_day.day));
  return absl::StrCat(by_day.ordinal, WeekdayCode(by_day.day));
}

absl::Status ValidateByDay(const RecurrenceRule& rule) {
  std::set<std::pair<int, int>> seen;
  for (const RecurrenceRule::ByDay& by_day : rule.by_day) {
    const std::string text = ByDayText(by_day);
    if (by_day.ordinal != 0 && rule.frequency != Frequency::kMonthly) {
      return InvalidFieldError(
          kRruleField,
          absl::StrCat("BYDAY=", text,
                       ": a numbered weekday such as 2TU or "
                       "-1FR is only allowed with FREQ=MONTHLY; with FREQ=",
                       FrequencyName(rule.frequency),
                       " list plain weekdays (BYDAY=TU,TH)"));
    }
    if (by_day.ordinal < -5 || by_day.ordinal > 5) {
      return InvalidFieldError(
          kRruleField,
          absl::StrCat("BYDAY=", text,
                       ": the number must be 1 to 5 (1TU is "
                       "the first Tuesday) or -1 to -5 (-1FR is the last "
                       "Friday of the month)"));
    }
    if (!seen.emplace(by_day.ordinal, static_cast<int>(by_day.day)).second) {
      return InvalidFieldError(
          kRruleField,
          absl::StrCat("BYDAY lists ", text, " twice; give each day once"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateByMonthDay(const RecurrenceRule& rule) {
  if (rule.by_month_day.empty()) return absl::OkStatus();
  if (rule.frequency != Frequency::kMonthly) {
    return InvalidFieldError(
        kRruleField,
        absl::StrCat("BYMONTHDAY is only supported with FREQ=MONTHLY, not "
                     "with FREQ=",
                     FrequencyName(rule.frequency)));
  }
  std::set<int> seen;
  for (int day : rule.by_month_day) {
    if (day == 0 || day < -31 || day > 31) {
      return InvalidFieldError(
          kRruleField,
          absl::StrCat("BYMONTHDAY=", day,
                       " is not a day of the month; use 1 "
                       "to 31, or -1 to -31 counted from the month's end"));
    }
    if (!seen.insert(day).second) {
      return InvalidFieldError(
          kRruleField,
          absl::StrCat("BYMONTHDAY lists ", day, " twice; give each day once"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRecurrenceRule(const RecurrenceRule& rule) {
  if (rule.interval < 1 || rule.interval > kMaxInterval) {
    return InvalidFieldError(
        kRruleField, absl::StrCat("INTERVAL must be a whole number from 1 to ",
                                  kMaxInterval, ", not ", rule.interval));
  }
  if (rule.count.has_value() && rule.until.has_value()) {
    return InvalidFieldError(kRruleField,
                             "COUNT and UNTIL cannot both be given (RFC 5545); "
                             "keep the one that ends the series");
  }
  if (rule.count.has_value() && (*rule.count < 1 || *rule.count > kMaxCount)) {
    return InvalidFieldError(
        kRruleField, absl::StrCat("COUNT must be a whole number from 1 to ",
                                  kMaxCount, ", not ", *rule.count,
                                  "; for longer series use UNTIL or no end"));
  }
  if (absl::Status status = ValidateByDay(rule); !status.ok()) return status;
  return ValidateByMonthDay(rule);
}

std::string FormatRecurrenceRule(const RecurrenceRule& rule) {
  std::string text = absl::StrCat("FREQ=", FrequencyName(rule.frequency));
  if (rule.interval != 1) absl::StrAppend(&text, ";INTERVAL=", rule.interval);
  if (rule.count.has_value()) absl::StrAppend(&text, ";COUNT=", *rule.count);
  if (rule.until.has_value()) {
    // UNTIL is inclusive and occurrences start on whole seconds, so
    // rounding a fractional bound up keeps exactly the same occurrences.
    absl::Time until = absl::FromUnixSeconds(absl::ToUnixSeconds(*rule.until));
    if (until < *rule.until) until += absl::Seconds(1);
    absl::StrAppend(
        &text, ";UNTIL=",
        absl::FormatTime("%Y%m%dT%H%M%SZ", until, absl::UTCTimeZone()));
  }
  if (!rule.by_day.empty()) {
    absl::StrAppend(
        &text, ";BYDAY=",
        absl::StrJoin(rule.by_day, ",",
                      [](std::string* out, const RecurrenceRule::ByDay& day) {
                        absl::StrAppend(out, ByDayText(day));
                      }));
  }
  if (!rule.by_month_day.empty()) {
    absl::StrAppend(&text,
                    ";BYMONTHDAY=", absl::StrJoin(rule.by_month_day, ","));
  }
  if (rule.week_start != absl::Weekday::monday) {
    absl::StrAppend(&text, ";WKST=", WeekdayCode(rule.week_start));
  }
  return text;
}

}  // namespace brobygger::catalogue
