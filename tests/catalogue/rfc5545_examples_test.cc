// Examples from RFC 5545 section 3.8.5.3, an oracle independent of this
// implementation. The RFC states them for America/New_York; the dates do
// not depend on the zone, so they are checked as Copenhagen wall-clock days.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/catalogue/schedule.h"
#include "tests/catalogue/schedule_test_util.h"

namespace brobygger::catalogue {
namespace {

using ::brobygger::catalogue::testing::ExpandAll;
using ::brobygger::catalogue::testing::Local;
using ::brobygger::catalogue::testing::LocalDays;
using ::brobygger::catalogue::testing::MakeSchedule;
using ::brobygger::catalogue::testing::Utc;
using ::testing::ElementsAre;

TEST(Rfc5545ExamplesTest, EveryOtherWeekMondayWednesdayFridayUntil) {
  const Schedule schedule = MakeSchedule(
      Local(1997, 9, 1, 9, 0), absl::Hours(1),
      "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR");
  EXPECT_THAT(
      LocalDays(ExpandAll(schedule, Utc(1997, 1, 1), Utc(1998, 6, 1))),
      ElementsAre("1997-09-01", "1997-09-03", "1997-09-05", "1997-09-15",
                  "1997-09-17", "1997-09-19", "1997-09-29", "1997-10-01",
                  "1997-10-03", "1997-10-13", "1997-10-15", "1997-10-17",
                  "1997-10-27", "1997-10-29", "1997-10-31", "1997-11-10",
                  "1997-11-12", "1997-11-14", "1997-11-24", "1997-11-26",
                  "1997-11-28", "1997-12-08", "1997-12-10", "1997-12-12",
                  "1997-12-22"));
}

TEST(Rfc5545ExamplesTest, WeekStartDecidesWhichDaysShareAFortnight) {
  const char* const kMondayWeeks =
      "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO";
  const char* const kSundayWeeks =
      "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU";
  EXPECT_THAT(
      LocalDays(ExpandAll(
          MakeSchedule(Local(1997, 8, 5, 9, 0), absl::Hours(1), kMondayWeeks),
          Utc(1997, 8, 1), Utc(1997, 10, 1))),
      ElementsAre("1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"));
  EXPECT_THAT(
      LocalDays(ExpandAll(
          MakeSchedule(Local(1997, 8, 5, 9, 0), absl::Hours(1), kSundayWeeks),
          Utc(1997, 8, 1), Utc(1997, 10, 1))),
      ElementsAre("1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"));
}

TEST(Rfc5545ExamplesTest, SecondToLastMondayForSixMonths) {
  const Schedule schedule =
      MakeSchedule(Local(1997, 9, 22, 9, 0), absl::Hours(1),
                   "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO");
  EXPECT_THAT(LocalDays(ExpandAll(schedule, Utc(1997, 9, 1), Utc(1998, 9, 1))),
              ElementsAre("1997-09-22", "1997-10-20", "1997-11-17",
                          "1997-12-22", "1998-01-19", "1998-02-16"));
}

TEST(Rfc5545ExamplesTest, FirstAndLastDayOfTheMonth) {
  const Schedule schedule =
      MakeSchedule(Local(1997, 9, 30, 9, 0), absl::Hours(1),
                   "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1");
  EXPECT_THAT(
      LocalDays(ExpandAll(schedule, Utc(1997, 9, 1), Utc(1998, 9, 1))),
      ElementsAre("1997-09-30", "1997-10-01", "1997-10-31", "1997-11-01",
                  "1997-11-30", "1997-12-01", "1997-12-31", "1998-01-01",
                  "1998-01-31", "1998-02-01"));
}

TEST(Rfc5545ExamplesTest, EveryFridayThe13thWithTheOffRuleStartExcluded) {
  // The RFC's own example of a DTSTART (a Tuesday, 2 September) that the
  // rule would not produce: it is in the set and has to be removed by
  // EXDATE.
  const Schedule schedule = MakeSchedule(
      Local(1997, 9, 2, 9, 0), absl::Hours(1),
      "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", {absl::CivilDay(1997, 9, 2)});
  EXPECT_THAT(
      LocalDays(ExpandAll(schedule, Utc(1997, 9, 1), Utc(2000, 12, 31))),
      ElementsAre("1998-02-13", "1998-03-13", "1998-11-13", "1999-08-13",
                  "2000-10-13"));
}

TEST(Rfc5545ExamplesTest, DailyForTenOccurrences) {
  const Schedule schedule = MakeSchedule(Local(1997, 9, 2, 9, 0),
                                         absl::Hours(1), "FREQ=DAILY;COUNT=10");
  EXPECT_THAT(
      LocalDays(ExpandAll(schedule, Utc(1997, 9, 1), Utc(1997, 12, 1))),
      ElementsAre("1997-09-02", "1997-09-03", "1997-09-04", "1997-09-05",
                  "1997-09-06", "1997-09-07", "1997-09-08", "1997-09-09",
                  "1997-09-10", "1997-09-11"));
}

}  // namespace
}  // namespace brobygger::catalogue
