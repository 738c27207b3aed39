// Helpers shared by the schedule engine's tests: building schedules from
// RRULE text and reading expansions as wall-clock days or UTC instants.
#ifndef BROBYGGER_TESTS_CATALOGUE_SCHEDULE_TEST_UTIL_H_
#define BROBYGGER_TESTS_CATALOGUE_SCHEDULE_TEST_UTIL_H_

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/catalogue/recurrence_rule.h"
#include "services/catalogue/schedule.h"

namespace brobygger::catalogue::testing {

inline absl::Time Utc(int year, int month, int day, int hour = 0,
                      int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         absl::UTCTimeZone());
}

// A Copenhagen wall-clock time.
inline absl::CivilSecond Local(int year, int month, int day, int hour,
                               int minute) {
  return absl::CivilSecond(year, month, day, hour, minute, 0);
}

// A schedule starting at `start` (Copenhagen wall clock); `rrule` empty
// means a one-off event. A bad rule fails the test.
inline Schedule MakeSchedule(absl::CivilSecond start, absl::Duration duration,
                             absl::string_view rrule = "",
                             std::vector<absl::CivilDay> exception_dates = {}) {
  Schedule schedule{start, duration, std::nullopt, std::move(exception_dates)};
  if (!rrule.empty()) {
    absl::StatusOr<RecurrenceRule> rule = ParseRecurrenceRule(rrule);
    EXPECT_TRUE(rule.ok()) << rrule << ": " << rule.status();
    if (rule.ok()) schedule.rule = *rule;
  }
  return schedule;
}

// Expands and fails the test on an error.
inline Expansion Expand(const Schedule& schedule, absl::Time window_start,
                        absl::Time window_end, int max_occurrences = 1000) {
  absl::StatusOr<Expansion> expansion =
      ExpandOccurrences(schedule, window_start, window_end, max_occurrences);
  EXPECT_TRUE(expansion.ok()) << expansion.status();
  return expansion.ok() ? *std::move(expansion) : Expansion{};
}

// Every occurrence overlapping [from, to), expanded in the largest windows
// allowed, for series longer than one window.
inline std::vector<Occurrence> ExpandAll(const Schedule& schedule,
                                         absl::Time from, absl::Time to) {
  std::vector<Occurrence> all;
  for (absl::Time start = from; start < to; start += kMaxWindow) {
    const Expansion part =
        Expand(schedule, start, std::min(to, start + kMaxWindow));
    for (const Occurrence& occurrence : part.occurrences) {
      // An occurrence spanning a window boundary shows up in both.
      if (all.empty() || all.back().start < occurrence.start) {
        all.push_back(occurrence);
      }
    }
  }
  return all;
}

// "2026-10-27 18:00" for each occurrence: the wall-clock start.
inline std::vector<std::string> LocalStarts(
    const std::vector<Occurrence>& occurrences) {
  std::vector<std::string> out;
  for (const Occurrence& occurrence : occurrences) {
    out.push_back(absl::FormatCivilTime(occurrence.local_start)
                      .substr(0, 16)
                      .replace(10, 1, " "));
  }
  return out;
}

// "2026-10-27" for each occurrence.
inline std::vector<std::string> LocalDays(
    const std::vector<Occurrence>& occurrences) {
  std::vector<std::string> out;
  for (const std::string& start : LocalStarts(occurrences)) {
    out.push_back(start.substr(0, 10));
  }
  return out;
}

inline std::vector<absl::Time> Starts(
    const std::vector<Occurrence>& occurrences) {
  std::vector<absl::Time> out;
  for (const Occurrence& occurrence : occurrences) {
    out.push_back(occurrence.start);
  }
  return out;
}

}  // namespace brobygger::catalogue::testing

#endif  // BROBYGGER_TESTS_CATALOGUE_SCHEDULE_TEST_UTIL_H_
