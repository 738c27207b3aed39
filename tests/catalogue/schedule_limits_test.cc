// The schedule engine's limits and its bounded work: windows, truncation,
// invalid schedules, rules that never match, and NextOccurrence.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/catalogue/schedule.h"
#include "tests/catalogue/schedule_test_util.h"

namespace brobygger::catalogue {
namespace {

using ::brobygger::catalogue::testing::Expand;
using ::brobygger::catalogue::testing::Local;
using ::brobygger::catalogue::testing::LocalDays;
using ::brobygger::catalogue::testing::MakeSchedule;
using ::brobygger::catalogue::testing::Utc;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string FieldOf(const absl::Status& status) {
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  return violations.size() == 1 ? violations[0].field : "";
}

// The start of the next occurrence, if any.
std::optional<absl::Time> NextStart(const Schedule& schedule,
                                    absl::Time after) {
  const std::optional<Occurrence> next = NextOccurrence(schedule, after);
  if (!next.has_value()) return std::nullopt;
  return next->start;
}

Schedule WeeklyTuesdayEvening() {
  return MakeSchedule(Local(2026, 11, 3, 18, 0), absl::Hours(2),
                      "FREQ=WEEKLY;BYDAY=TU");
}

TEST(ScheduleLimitsTest, TenYearWindowIsRefused) {
  const absl::StatusOr<Expansion> expansion = ExpandOccurrences(
      WeeklyTuesdayEvening(), Utc(2026, 1, 1), Utc(2036, 1, 1), 1000);
  ASSERT_FALSE(expansion.ok());
  EXPECT_EQ(expansion.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(expansion.status()), "window");
  EXPECT_THAT(std::string(expansion.status().message()),
              HasSubstr("at most 400 days"));
}

TEST(ScheduleLimitsTest, FourHundredDayWindowIsAllowed) {
  const absl::StatusOr<Expansion> expansion =
      ExpandOccurrences(WeeklyTuesdayEvening(), Utc(2026, 1, 1),
                        Utc(2026, 1, 1) + kMaxWindow, 1000);
  ASSERT_TRUE(expansion.ok()) << expansion.status();
  // Tuesdays from 2026-11-03 to 2027-02-02.
  EXPECT_EQ(expansion->occurrences.size(), 14u);
}

TEST(ScheduleLimitsTest, EmptyOrBackwardWindowAndBadMaximumAreRefused) {
  const Schedule schedule = WeeklyTuesdayEvening();
  EXPECT_EQ(
      FieldOf(ExpandOccurrences(schedule, Utc(2026, 2, 1), Utc(2026, 1, 1), 10)
                  .status()),
      "window");
  EXPECT_EQ(
      FieldOf(ExpandOccurrences(schedule, Utc(2026, 1, 1), Utc(2026, 1, 1), 10)
                  .status()),
      "window");
  EXPECT_EQ(FieldOf(ExpandOccurrences(schedule, absl::InfinitePast(),
                                      Utc(2026, 1, 1), 10)
                        .status()),
            "window");
  EXPECT_EQ(
      FieldOf(ExpandOccurrences(schedule, Utc(2026, 1, 1), Utc(2026, 2, 1), 0)
                  .status()),
      "max_occurrences");
}

TEST(ScheduleLimitsTest, TruncationIsReported) {
  const Schedule schedule =
      MakeSchedule(Local(2026, 6, 1, 8, 0), absl::Hours(1), "FREQ=DAILY");
  const Expansion truncated =
      Expand(schedule, Utc(2026, 6, 1), Utc(2026, 7, 1), 10);
  EXPECT_EQ(truncated.occurrences.size(), 10u);
  EXPECT_TRUE(truncated.truncated);
  EXPECT_EQ(LocalDays(truncated.occurrences).back(), "2026-06-10");
  // Exactly as many as allowed is not truncation.
  const Expansion complete =
      Expand(schedule, Utc(2026, 6, 1), Utc(2026, 7, 1), 30);
  EXPECT_EQ(complete.occurrences.size(), 30u);
  EXPECT_FALSE(complete.truncated);
}

TEST(ScheduleLimitsTest, InvalidSchedulesNameTheirField) {
  Schedule schedule = WeeklyTuesdayEvening();
  schedule.duration = absl::Seconds(30);
  EXPECT_EQ(FieldOf(ValidateSchedule(schedule)), "schedule.duration");
  schedule.duration = absl::Hours(24 * 31) + absl::Seconds(1);
  EXPECT_EQ(FieldOf(ValidateSchedule(schedule)), "schedule.duration");
  schedule.duration = absl::Hours(24 * 31);
  EXPECT_TRUE(ValidateSchedule(schedule).ok());

  schedule.start = absl::CivilSecond(1900, 1, 1, 10, 0, 0);
  EXPECT_EQ(FieldOf(ValidateSchedule(schedule)), "schedule.start");
  schedule.start = absl::CivilSecond(2026, 11, 3, 18, 0, 0);

  schedule.exception_dates.assign(kMaxExceptionDates + 1,
                                  absl::CivilDay(2026, 11, 10));
  EXPECT_EQ(FieldOf(ValidateSchedule(schedule)), "schedule.exception_dates");
  schedule.exception_dates.clear();

  schedule.rule->interval = 0;  // Built in code, not parsed.
  EXPECT_EQ(FieldOf(ValidateSchedule(schedule)), "schedule.rrule");
  EXPECT_EQ(FieldOf(ExpandOccurrences(schedule, Utc(2026, 11, 1),
                                      Utc(2026, 12, 1), 10)
                        .status()),
            "schedule.rrule");
}

TEST(ScheduleLimitsTest, UntilBeforeTheStartIsRefused) {
  const Schedule schedule =
      MakeSchedule(Local(2026, 11, 3, 18, 0), absl::Hours(1),
                   "FREQ=DAILY;UNTIL=20261001T000000Z");
  const absl::Status status = ValidateSchedule(schedule);
  EXPECT_EQ(FieldOf(status), "schedule.rrule");
  EXPECT_THAT(std::string(status.message()), HasSubstr("before the start"));
  EXPECT_FALSE(NextOccurrence(schedule, Utc(2026, 1, 1)).has_value());
}

TEST(ScheduleLimitsTest, RulesThatNeverMatchTerminateQuickly) {
  // No 31st of February; never a 31st that is also the first Monday; a
  // daily rule that lands on Mondays only, filtered to Tuesdays. Only the
  // start itself occurs. COUNT forbids skipping ahead, so the expansion
  // walks from the start to the window: the walk must be bounded.
  const std::vector<Schedule> schedules = {
      MakeSchedule(Local(2027, 2, 10, 12, 0), absl::Hours(1),
                   "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31;COUNT=5"),
      MakeSchedule(Local(2026, 1, 5, 12, 0), absl::Hours(1),
                   "FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=1MO;COUNT=5"),
      MakeSchedule(Local(2026, 11, 23, 12, 0), absl::Hours(1),
                   "FREQ=DAILY;INTERVAL=7;BYDAY=TU;COUNT=5"),
  };
  const auto began = std::chrono::steady_clock::now();
  for (const Schedule& schedule : schedules) {
    EXPECT_THAT(Expand(schedule, Utc(2398, 1, 1), Utc(2399, 1, 1)).occurrences,
                IsEmpty());
    EXPECT_FALSE(NextOccurrence(schedule, Utc(2028, 1, 1)).has_value());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(2));
}

TEST(ScheduleLimitsTest, OddMonthsOnlyMonthDay31FromAShortMonth) {
  // Every other month from November: November (30 days), January, March...
  // only the months that have a 31st produce an occurrence.
  const Schedule schedule =
      MakeSchedule(Local(2026, 11, 23, 12, 0), absl::Hours(1),
                   "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=31");
  EXPECT_THAT(
      LocalDays(
          Expand(schedule, Utc(2026, 11, 1), Utc(2027, 8, 1)).occurrences),
      ElementsAre("2026-11-23", "2027-01-31", "2027-03-31", "2027-05-31",
                  "2027-07-31"));
}

TEST(NextOccurrenceTest, FindsTheNextStart) {
  const Schedule schedule = WeeklyTuesdayEvening();
  const std::optional<Occurrence> next =
      NextOccurrence(schedule, Utc(2026, 11, 20));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->start, Utc(2026, 11, 24, 17));
  EXPECT_EQ(next->end, Utc(2026, 11, 24, 19));
  // A start at exactly `after` is next; one a second earlier is not.
  EXPECT_EQ(NextStart(schedule, Utc(2026, 11, 24, 17)), Utc(2026, 11, 24, 17));
  EXPECT_EQ(NextStart(schedule, Utc(2026, 11, 24, 17) + absl::Seconds(1)),
            Utc(2026, 12, 1, 17));
  // Far in the future, after daylight saving has started again.
  EXPECT_EQ(NextStart(schedule, Utc(2030, 6, 1)), Utc(2030, 6, 4, 16));
}

TEST(NextOccurrenceTest, SkipsExceptionDatesAndEndsWithTheSeries) {
  Schedule schedule = MakeSchedule(Local(2026, 11, 3, 18, 0), absl::Hours(2),
                                   "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
                                   {absl::CivilDay(2026, 11, 17)});
  EXPECT_EQ(NextStart(schedule, Utc(2026, 11, 11)), Utc(2026, 11, 24, 17));
  EXPECT_FALSE(NextOccurrence(schedule, Utc(2026, 11, 25)).has_value());
  // Before the start: the start, if within the five years looked ahead.
  EXPECT_EQ(NextStart(schedule, Utc(2026, 1, 1)), Utc(2026, 11, 3, 17));
  EXPECT_EQ(NextStart(schedule, Utc(2020, 1, 1)), std::nullopt);
}

TEST(NextOccurrenceTest, OneOffInThePastHasNone) {
  const Schedule schedule =
      MakeSchedule(Local(2026, 11, 24, 18, 0), absl::Hours(1));
  EXPECT_EQ(NextStart(schedule, Utc(2026, 11, 1)), Utc(2026, 11, 24, 17));
  EXPECT_FALSE(NextOccurrence(schedule, Utc(2026, 11, 25)).has_value());
}

TEST(NextOccurrenceTest, LooksNoFurtherThanFiveYears) {
  // Every six years: the next one after the first is beyond the horizon.
  const Schedule schedule = MakeSchedule(
      Local(2026, 11, 24, 18, 0), absl::Hours(1), "FREQ=MONTHLY;INTERVAL=72");
  EXPECT_FALSE(NextOccurrence(schedule, Utc(2026, 12, 1)).has_value());
  EXPECT_EQ(NextStart(schedule, Utc(2028, 1, 1)), Utc(2032, 11, 24, 17));
}

}  // namespace
}  // namespace brobygger::catalogue
