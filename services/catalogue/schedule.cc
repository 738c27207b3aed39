#include "services/catalogue/schedule.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/copenhagen_time.h"
#include "services/catalogue/recurrence_iterator.h"

namespace brobygger::catalogue {
namespace {

absl::Time EarliestWindowTime() { return absl::UnixEpoch(); }

absl::Time LatestWindowTime() {
  return absl::FromCivil(absl::CivilSecond(kLastYear + 1, 1, 1),
                         absl::UTCTimeZone());
}

std::string UtcText(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", time, absl::UTCTimeZone());
}

// Exception dates, sorted for binary search.
class ExceptionDates {
 public:
  explicit ExceptionDates(const std::vector<absl::CivilDay>& days)
      : days_(days) {
    std::sort(days_.begin(), days_.end());
  }
  bool Contains(absl::CivilSecond local_start) const {
    return std::binary_search(days_.begin(), days_.end(),
                              absl::CivilDay(local_start));
  }

 private:
  std::vector<absl::CivilDay> days_;
};

Occurrence MakeOccurrence(absl::CivilSecond local, absl::Duration duration) {
  const absl::Time start = time::CopenhagenToAbsolute(local);
  return Occurrence{start, start + duration, time::AbsoluteToCopenhagen(start)};
}

absl::Status ValidateWindow(absl::Time window_start, absl::Time window_end,
                            int max_occurrences) {
  if (window_end <= window_start) {
    return InvalidFieldError("window",
                             "the window's end must be after its start");
  }
  if (window_end - window_start > kMaxWindow) {
    return InvalidFieldError(
        "window",
        absl::StrCat("the window spans ",
                     absl::ToInt64Hours(window_end - window_start) / 24,
                     " days; at most ", absl::ToInt64Hours(kMaxWindow) / 24,
                     " days are expanded at once, so ask for shorter windows "
                     "one after the other"));
  }
  if (window_start < EarliestWindowTime() || window_end > LatestWindowTime()) {
    return InvalidFieldError(
        "window", absl::StrCat("the window must lie between the years ",
                               kFirstYear, " and ", kLastYear));
  }
  if (max_occurrences < 1) {
    return InvalidFieldError(
        "max_occurrences",
        absl::StrCat("must be at least 1, not ", max_occurrences));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSchedule(const Schedule& schedule) {
  if (absl::Status zone = time::CheckCopenhagenTimeZone(); !zone.ok()) {
    return zone;
  }
  if (schedule.start.year() < kFirstYear || schedule.start.year() > kLastYear) {
    return InvalidFieldError(
        "schedule.start", absl::StrCat("the start must lie between the years ",
                                       kFirstYear, " and ", kLastYear));
  }
  if (schedule.duration < kMinDuration || schedule.duration > kMaxDuration) {
    return InvalidFieldError(
        "schedule.duration",
        absl::StrCat("the duration must be from 1 minute to 31 days, not ",
                     absl::FormatDuration(schedule.duration)));
  }
  if (schedule.exception_dates.size() >
      static_cast<size_t>(kMaxExceptionDates)) {
    return InvalidFieldError(
        "schedule.exception_dates",
        absl::StrCat("at most ", kMaxExceptionDates,
                     " exception dates; end the rule with UNTIL and start a "
                     "new schedule instead"));
  }
  if (!schedule.rule.has_value()) return absl::OkStatus();
  if (absl::Status status = ValidateRecurrenceRule(*schedule.rule);
      !status.ok()) {
    return status;
  }
  const absl::Time first = time::CopenhagenToAbsolute(schedule.start);
  if (schedule.rule->until.has_value() && *schedule.rule->until < first) {
    // RFC 5545 would still yield DTSTART alone; such a rule is a mistake.
    return InvalidFieldError(
        kRruleField,
        absl::StrCat("UNTIL (", UtcText(*schedule.rule->until),
                     ") is before the start (", UtcText(first),
                     "); set UNTIL on or after the start, or drop the rule "
                     "for a one-off event"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Expansion> ExpandOccurrences(const Schedule& schedule,
                                            absl::Time window_start,
                                            absl::Time window_end,
                                            int max_occurrences) {
  if (absl::Status status = ValidateSchedule(schedule); !status.ok()) {
    return status;
  }
  if (absl::Status status =
          ValidateWindow(window_start, window_end, max_occurrences);
      !status.ok()) {
    return status;
  }
  // Only starts after window_start - duration can reach into the window;
  // a day of margin either side absorbs the wall-clock/UTC difference.
  const absl::CivilDay first_day =
      absl::CivilDay(
          time::AbsoluteToCopenhagen(window_start - schedule.duration)) -
      1;
  const absl::CivilDay last_day =
      absl::CivilDay(time::AbsoluteToCopenhagen(window_end)) + 1;
  const RecurrenceRule* rule =
      schedule.rule.has_value() ? &*schedule.rule : nullptr;
  RecurrenceIterator starts(schedule.start, rule, first_day, last_day);
  const ExceptionDates exceptions(schedule.exception_dates);

  Expansion expansion;
  while (std::optional<absl::CivilSecond> local = starts.Next()) {
    const Occurrence occurrence = MakeOccurrence(*local, schedule.duration);
    // Starts increase, so nothing later can overlap the window either.
    if (occurrence.start >= window_end) break;
    if (occurrence.end <= window_start) continue;
    if (exceptions.Contains(*local)) continue;
    if (expansion.occurrences.size() == static_cast<size_t>(max_occurrences)) {
      expansion.truncated = true;
      break;
    }
    expansion.occurrences.push_back(occurrence);
  }
  return expansion;
}

std::optional<Occurrence> NextOccurrence(const Schedule& schedule,
                                         absl::Time after) {
  if (!ValidateSchedule(schedule).ok()) return std::nullopt;
  after = std::max(after, EarliestWindowTime());
  if (after >= LatestWindowTime()) return std::nullopt;
  const absl::Time horizon =
      std::min(after + kNextOccurrenceHorizon, LatestWindowTime());
  const absl::CivilDay first_day =
      absl::CivilDay(time::AbsoluteToCopenhagen(after)) - 1;
  const absl::CivilDay last_day =
      absl::CivilDay(time::AbsoluteToCopenhagen(horizon));
  const RecurrenceRule* rule =
      schedule.rule.has_value() ? &*schedule.rule : nullptr;
  RecurrenceIterator starts(schedule.start, rule, first_day, last_day);
  const ExceptionDates exceptions(schedule.exception_dates);
  while (std::optional<absl::CivilSecond> local = starts.Next()) {
    const Occurrence occurrence = MakeOccurrence(*local, schedule.duration);
    if (occurrence.start > horizon) break;
    if (occurrence.start < after || exceptions.Contains(*local)) continue;
    return occurrence;
  }
  return std::nullopt;
}

}  // namespace brobygger::catalogue
