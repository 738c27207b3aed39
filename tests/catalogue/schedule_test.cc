// Expansion of schedules into occurrences: daylight-saving changes, the
// rule forms people use, COUNT/UNTIL/EXDATE and the window's overlap rule.
// Expected dates were read off the calendar (2026-11-24 is a Tuesday) and
// cross-checked with python3-dateutil.
#include "services/catalogue/schedule.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/catalogue/schedule_test_util.h"

namespace brobygger::catalogue {
namespace {

using ::brobygger::catalogue::testing::Expand;
using ::brobygger::catalogue::testing::ExpandAll;
using ::brobygger::catalogue::testing::Local;
using ::brobygger::catalogue::testing::LocalDays;
using ::brobygger::catalogue::testing::LocalStarts;
using ::brobygger::catalogue::testing::MakeSchedule;
using ::brobygger::catalogue::testing::Starts;
using ::brobygger::catalogue::testing::Utc;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ScheduleTest, WeeklyEveningStaysAtSixLocalAcrossAutumnChange) {
  // Daylight saving ends on Sunday 2026-10-25: 18:00 is 16:00 UTC before,
  // 17:00 UTC after.
  const Schedule schedule = MakeSchedule(
      Local(2026, 10, 6, 18, 0), absl::Hours(2), "FREQ=WEEKLY;BYDAY=TU");
  const Expansion expansion =
      Expand(schedule, Utc(2026, 10, 13), Utc(2026, 11, 4));
  EXPECT_THAT(Starts(expansion.occurrences),
              ElementsAre(Utc(2026, 10, 13, 16), Utc(2026, 10, 20, 16),
                          Utc(2026, 10, 27, 17), Utc(2026, 11, 3, 17)));
  EXPECT_THAT(LocalStarts(expansion.occurrences),
              ElementsAre("2026-10-13 18:00", "2026-10-20 18:00",
                          "2026-10-27 18:00", "2026-11-03 18:00"));
  EXPECT_EQ(expansion.occurrences[2].end, Utc(2026, 10, 27, 19));
  EXPECT_FALSE(expansion.truncated);
}

TEST(ScheduleTest, WeeklyEveningStaysAtSixLocalAcrossSpringChange) {
  // Daylight saving starts on Sunday 2027-03-28.
  const Schedule schedule = MakeSchedule(
      Local(2026, 10, 6, 18, 0), absl::Hours(2), "FREQ=WEEKLY;BYDAY=TU");
  const Expansion expansion =
      Expand(schedule, Utc(2027, 3, 16), Utc(2027, 4, 7));
  EXPECT_THAT(Starts(expansion.occurrences),
              ElementsAre(Utc(2027, 3, 16, 17), Utc(2027, 3, 23, 17),
                          Utc(2027, 3, 30, 16), Utc(2027, 4, 6, 16)));
}

TEST(ScheduleTest, OneOffEvent) {
  const Schedule schedule =
      MakeSchedule(Local(2026, 11, 24, 18, 0), absl::Minutes(90));
  EXPECT_THAT(
      Starts(Expand(schedule, Utc(2026, 11, 1), Utc(2026, 12, 1)).occurrences),
      ElementsAre(Utc(2026, 11, 24, 17)));
  EXPECT_THAT(Expand(schedule, Utc(2026, 12, 1), Utc(2027, 1, 1)).occurrences,
              IsEmpty());
}

TEST(ScheduleTest, StartInTheSpringGapMovesForwardByTheGap) {
  // 02:30 does not exist on 2027-03-28 (02:00 jumps to 03:00). RFC 5545
  // reads it with the offset before the gap (+01:00): 01:30 UTC, which is
  // 03:30 summer time.
  const Schedule schedule =
      MakeSchedule(Local(2027, 3, 28, 2, 30), absl::Hours(1));
  const Expansion expansion =
      Expand(schedule, Utc(2027, 3, 27), Utc(2027, 3, 29));
  ASSERT_EQ(expansion.occurrences.size(), 1u);
  EXPECT_EQ(expansion.occurrences[0].start, Utc(2027, 3, 28, 1, 30));
  EXPECT_EQ(expansion.occurrences[0].end, Utc(2027, 3, 28, 2, 30));
  EXPECT_EQ(expansion.occurrences[0].local_start,
            absl::CivilSecond(2027, 3, 28, 3, 30, 0));
}

TEST(ScheduleTest, WeeklyNightEventOnlyTheGapDayMoves) {
  const Schedule schedule =
      MakeSchedule(Local(2027, 3, 21, 2, 30), absl::Hours(1), "FREQ=WEEKLY");
  const Expansion expansion =
      Expand(schedule, Utc(2027, 3, 20), Utc(2027, 4, 5));
  EXPECT_THAT(
      LocalStarts(expansion.occurrences),
      ElementsAre("2027-03-21 02:30", "2027-03-28 03:30", "2027-04-04 02:30"));
  EXPECT_THAT(Starts(expansion.occurrences),
              ElementsAre(Utc(2027, 3, 21, 1, 30), Utc(2027, 3, 28, 1, 30),
                          Utc(2027, 4, 4, 0, 30)));
}

TEST(ScheduleTest, AmbiguousAutumnStartIsTheFirstInstance) {
  // 02:30 happens twice on 2026-10-25; RFC 5545 means the first, still in
  // summer time (+02:00): 00:30 UTC, not 01:30 UTC.
  const Schedule schedule =
      MakeSchedule(Local(2026, 10, 25, 2, 30), absl::Minutes(30));
  const Expansion expansion =
      Expand(schedule, Utc(2026, 10, 24), Utc(2026, 10, 26));
  ASSERT_EQ(expansion.occurrences.size(), 1u);
  EXPECT_EQ(expansion.occurrences[0].start, Utc(2026, 10, 25, 0, 30));
  EXPECT_EQ(expansion.occurrences[0].local_start,
            absl::CivilSecond(2026, 10, 25, 2, 30, 0));
}

TEST(ScheduleTest, SecondTuesdayOfEveryMonthForAYear) {
  const Schedule schedule = MakeSchedule(
      Local(2026, 1, 13, 17, 0), absl::Hours(2), "FREQ=MONTHLY;BYDAY=2TU");
  const Expansion expansion =
      Expand(schedule, Utc(2026, 1, 1), Utc(2027, 1, 1));
  EXPECT_THAT(
      LocalDays(expansion.occurrences),
      ElementsAre("2026-01-13", "2026-02-10", "2026-03-10", "2026-04-14",
                  "2026-05-12", "2026-06-09", "2026-07-14", "2026-08-11",
                  "2026-09-08", "2026-10-13", "2026-11-10", "2026-12-08"));
  // 17:00 local is 15:00 UTC in summer and 16:00 UTC in winter.
  EXPECT_EQ(expansion.occurrences[5].start, Utc(2026, 6, 9, 15));
  EXPECT_EQ(expansion.occurrences[10].start, Utc(2026, 11, 10, 16));
}

TEST(ScheduleTest, LastFridayOfTheMonth) {
  const Schedule schedule = MakeSchedule(
      Local(2026, 1, 30, 17, 0), absl::Hours(3), "FREQ=MONTHLY;BYDAY=-1FR");
  const Expansion expansion =
      Expand(schedule, Utc(2026, 1, 1), Utc(2027, 1, 1));
  // July and October 2026 have five Fridays; the fifth is the last.
  EXPECT_THAT(
      LocalDays(expansion.occurrences),
      ElementsAre("2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24",
                  "2026-05-29", "2026-06-26", "2026-07-31", "2026-08-28",
                  "2026-09-25", "2026-10-30", "2026-11-27", "2026-12-25"));
}

TEST(ScheduleTest, MonthDay31SkipsShorterMonths) {
  const Schedule schedule = MakeSchedule(
      Local(2026, 1, 31, 10, 0), absl::Hours(1), "FREQ=MONTHLY;BYMONTHDAY=31");
  EXPECT_THAT(
      LocalDays(Expand(schedule, Utc(2026, 1, 1), Utc(2027, 1, 1)).occurrences),
      ElementsAre("2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31",
                  "2026-08-31", "2026-10-31", "2026-12-31"));
}

TEST(ScheduleTest, MonthlyWithoutByPartsRepeatsTheStartDayAndSkipsMonths) {
  const Schedule schedule =
      MakeSchedule(Local(2026, 1, 30, 10, 0), absl::Hours(1), "FREQ=MONTHLY");
  EXPECT_THAT(
      LocalDays(Expand(schedule, Utc(2026, 1, 1), Utc(2026, 5, 1)).occurrences),
      ElementsAre("2026-01-30", "2026-03-30", "2026-04-30"));
}

TEST(ScheduleTest, LastDayOfEveryMonth) {
  const Schedule schedule = MakeSchedule(
      Local(2027, 12, 31, 10, 0), absl::Hours(1), "FREQ=MONTHLY;BYMONTHDAY=-1");
  EXPECT_THAT(
      LocalDays(Expand(schedule, Utc(2028, 1, 1), Utc(2028, 5, 1)).occurrences),
      ElementsAre("2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"));
}

TEST(ScheduleTest, EveryOtherWeekOnTuesdayAndThursday) {
  const Schedule schedule =
      MakeSchedule(Local(2026, 9, 1, 16, 30), absl::Hours(2),
                   "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH");
  EXPECT_THAT(
      LocalDays(
          Expand(schedule, Utc(2026, 9, 1), Utc(2026, 10, 16)).occurrences),
      ElementsAre("2026-09-01", "2026-09-03", "2026-09-15", "2026-09-17",
                  "2026-09-29", "2026-10-01", "2026-10-13", "2026-10-15"));
  // A window far after the start keeps the fortnightly rhythm: the week of
  // 2027-05-31 is 39 weeks after that of 2026-08-31, so it is skipped.
  EXPECT_THAT(
      LocalDays(
          Expand(schedule, Utc(2027, 6, 1), Utc(2027, 6, 16)).occurrences),
      ElementsAre("2027-06-08", "2027-06-10"));
}

TEST(ScheduleTest, DailyOnWeekdaysOnly) {
  const Schedule schedule = MakeSchedule(
      Local(2026, 11, 23, 9, 0), absl::Hours(1), "FREQ=DAILY;BYDAY=MO,WE,FR");
  EXPECT_THAT(
      LocalDays(
          Expand(schedule, Utc(2026, 11, 23), Utc(2026, 12, 1)).occurrences),
      ElementsAre("2026-11-23", "2026-11-25", "2026-11-27", "2026-11-30"));
}

TEST(ScheduleTest, ExceptionDatesAreSkippedButStillCountTowardCount) {
  // Ten daily mornings from 2026-05-04; the one on 05-06 is cancelled. It
  // still counts (RFC 5545 applies EXDATE after COUNT), so the series
  // still ends on 05-13 rather than moving to 05-14.
  const Schedule schedule = MakeSchedule(
      Local(2026, 5, 4, 9, 0), absl::Hours(1), "FREQ=DAILY;COUNT=10",
      {absl::CivilDay(2026, 5, 6), absl::CivilDay(2026, 5, 20)});
  EXPECT_THAT(
      LocalDays(Expand(schedule, Utc(2026, 5, 1), Utc(2026, 6, 1)).occurrences),
      ElementsAre("2026-05-04", "2026-05-05", "2026-05-07", "2026-05-08",
                  "2026-05-09", "2026-05-10", "2026-05-11", "2026-05-12",
                  "2026-05-13"));
}

TEST(ScheduleTest, CountIncludesOccurrencesBeforeTheWindow) {
  const Schedule schedule = MakeSchedule(Local(2026, 5, 4, 9, 0),
                                         absl::Hours(1), "FREQ=DAILY;COUNT=10");
  EXPECT_THAT(
      LocalDays(
          Expand(schedule, Utc(2026, 5, 12), Utc(2026, 6, 1)).occurrences),
      ElementsAre("2026-05-12", "2026-05-13"));
}

TEST(ScheduleTest, StartOffTheRuleIsTheFirstOccurrenceAndCounts) {
  // RFC 5545: "The DTSTART property value always counts as the first
  // occurrence." The start is Monday 2026-11-23, the rule says Tuesdays.
  // (python-dateutil would skip the Monday; RFC 5545 keeps it.)
  const Schedule schedule =
      MakeSchedule(Local(2026, 11, 23, 18, 0), absl::Hours(1),
                   "FREQ=WEEKLY;BYDAY=TU;COUNT=3");
  EXPECT_THAT(
      LocalDays(
          Expand(schedule, Utc(2026, 11, 1), Utc(2027, 1, 1)).occurrences),
      ElementsAre("2026-11-23", "2026-11-24", "2026-12-01"));
}

TEST(ScheduleTest, UntilAsADateIncludesThatWholeDay) {
  const Schedule schedule =
      MakeSchedule(Local(2026, 11, 2, 10, 0), absl::Hours(1),
                   "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261130");
  EXPECT_THAT(
      LocalDays(
          Expand(schedule, Utc(2026, 11, 1), Utc(2027, 1, 1)).occurrences),
      ElementsAre("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23",
                  "2026-11-30"));
}

TEST(ScheduleTest, UntilAsADateTimeIsAnInclusiveInstant) {
  // 10:00 Copenhagen on 2026-11-30 is 09:00 UTC.
  const Schedule before =
      MakeSchedule(Local(2026, 11, 2, 10, 0), absl::Hours(1),
                   "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261130T085959Z");
  EXPECT_THAT(
      LocalDays(Expand(before, Utc(2026, 11, 1), Utc(2027, 1, 1)).occurrences),
      ElementsAre("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"));
  const Schedule exactly =
      MakeSchedule(Local(2026, 11, 2, 10, 0), absl::Hours(1),
                   "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261130T090000Z");
  EXPECT_EQ(
      Expand(exactly, Utc(2026, 11, 1), Utc(2027, 1, 1)).occurrences.size(),
      5u);
}

TEST(ScheduleTest, WindowIncludesAnOccurrenceAlreadyGoingOn) {
  // Tuesday 2026-11-24 18:00-20:00 local is 17:00-19:00 UTC.
  const Schedule schedule = MakeSchedule(
      Local(2026, 11, 3, 18, 0), absl::Hours(2), "FREQ=WEEKLY;BYDAY=TU");
  EXPECT_THAT(Starts(Expand(schedule, Utc(2026, 11, 24, 18, 30),
                            Utc(2026, 11, 24, 18, 45))
                         .occurrences),
              ElementsAre(Utc(2026, 11, 24, 17)));
  // The window is half-open and so are occurrences: touching is not
  // overlapping, at either end.
  EXPECT_THAT(
      Expand(schedule, Utc(2026, 11, 24, 19), Utc(2026, 11, 25)).occurrences,
      IsEmpty());
  EXPECT_THAT(
      Expand(schedule, Utc(2026, 11, 24), Utc(2026, 11, 24, 17)).occurrences,
      IsEmpty());
}

TEST(ScheduleTest, MultiDayOccurrenceStartedWeeksBeforeTheWindow) {
  // A monthly four-week course starting on the 1st.
  const Schedule schedule = MakeSchedule(Local(2026, 9, 1, 9, 0),
                                         absl::Hours(24 * 28), "FREQ=MONTHLY");
  EXPECT_THAT(
      LocalDays(
          Expand(schedule, Utc(2026, 10, 20), Utc(2026, 10, 21)).occurrences),
      ElementsAre("2026-10-01"));
}

TEST(ScheduleTest, SeriesLongerThanOneWindowJoinUp) {
  const Schedule schedule = MakeSchedule(
      Local(2026, 1, 6, 18, 0), absl::Hours(2), "FREQ=WEEKLY;BYDAY=TU");
  const std::vector<Occurrence> all =
      ExpandAll(schedule, Utc(2026, 1, 1), Utc(2029, 1, 1));
  // 2026 has 52 Tuesdays, 2027 has 52 and 2028 has 52.
  EXPECT_EQ(all.size(), 156u);
  EXPECT_EQ(LocalDays(all).back(), "2028-12-26");
}

}  // namespace
}  // namespace brobygger::catalogue
