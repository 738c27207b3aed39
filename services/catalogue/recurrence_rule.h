// The subset of RFC 5545 recurrence rules (RRULE, section 3.3.10) that
// people actually use for activities: DAILY, WEEKLY and MONTHLY with
// INTERVAL, BYDAY (incl. "2nd Tuesday", "last Friday"), BYMONTHDAY, COUNT,
// UNTIL and WKST. Everything else is refused with a message that says what
// is supported, so an imported rule is never silently misread.
#ifndef BROBYGGER_SERVICES_CATALOGUE_RECURRENCE_RULE_H_
#define BROBYGGER_SERVICES_CATALOGUE_RECURRENCE_RULE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace brobygger::catalogue {

// The request field that errors about the rule name.
inline constexpr absl::string_view kRruleField = "schedule.rrule";

// Limits that keep rules meaningful and expansion cheap.
inline constexpr int kMaxInterval = 366;
inline constexpr int kMaxCount = 1000;
inline constexpr int kMaxRuleTextLength = 1000;

struct RecurrenceRule {
  enum class Frequency { kDaily, kWeekly, kMonthly };

  struct ByDay {
    absl::Weekday day = absl::Weekday::monday;
    // 0 = every such weekday; 1..5 = the nth in the month; -1..-5 = the nth
    // from the end of the month. Non-zero only with kMonthly.
    int ordinal = 0;

    bool operator==(const ByDay&) const = default;
  };

  Frequency frequency = Frequency::kWeekly;
  int interval = 1;  // 1..kMaxInterval periods between recurrences.
  // Empty: the weekday of the start (WEEKLY) or no weekday limit.
  std::vector<ByDay> by_day;
  // kMonthly only: 1..31, -1..-31 (-1 = last day of the month). Months
  // without the day (the 31st in April) are skipped, as RFC 5545 requires.
  std::vector<int> by_month_day;
  std::optional<int> count;  // 1..kMaxCount; never together with `until`.
  // Inclusive bound on occurrence starts.
  std::optional<absl::Time> until;
  // WKST: the day weeks start on. It only matters for WEEKLY rules with
  // INTERVAL > 1 (it decides which days share a week).
  absl::Weekday week_start = absl::Weekday::monday;

  bool operator==(const RecurrenceRule&) const = default;
};

// Parses an RRULE value such as "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;
// UNTIL=20270630T215959Z", "FREQ=MONTHLY;BYDAY=2TU" or "FREQ=DAILY;COUNT=10",
// optionally prefixed by "RRULE:". Names and values are case-insensitive
// (RFC 5545 section 2). UNTIL is a UTC date-time ("...T215959Z") or a date
// ("20270630"), which means the end of that day in Europe/Copenhagen.
// Errors are INVALID_ARGUMENT naming kRruleField.
absl::StatusOr<RecurrenceRule> ParseRecurrenceRule(absl::string_view text);

// Checks a rule however it was built: the ranges and combinations above.
// INVALID_ARGUMENT naming kRruleField.
absl::Status ValidateRecurrenceRule(const RecurrenceRule& rule);

// Canonical RFC 5545 text, without the "RRULE:" prefix, for a valid rule:
// FREQ, INTERVAL (if not 1), COUNT or UNTIL (always as a UTC date-time, the
// form RFC 5545 requires when DTSTART has a time zone), BYDAY, BYMONTHDAY,
// WKST (if not MO). ParseRecurrenceRule(FormatRecurrenceRule(r)) == r when
// UNTIL is a whole second (a fractional UNTIL is rounded up, which admits
// the same occurrences).
std::string FormatRecurrenceRule(const RecurrenceRule& rule);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_RECURRENCE_RULE_H_
