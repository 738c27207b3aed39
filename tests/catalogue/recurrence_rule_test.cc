#include "services/catalogue/recurrence_rule.h"

#include <string>
#include <vector>

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::catalogue {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Frequency = RecurrenceRule::Frequency;
using ByDay = RecurrenceRule::ByDay;

absl::Time Utc(int year, int month, int day, int hour, int minute, int second) {
  return absl::FromCivil(
      absl::CivilSecond(year, month, day, hour, minute, second),
      absl::UTCTimeZone());
}

RecurrenceRule MustParse(absl::string_view text) {
  absl::StatusOr<RecurrenceRule> rule = ParseRecurrenceRule(text);
  EXPECT_TRUE(rule.ok()) << text << ": " << rule.status();
  return rule.ok() ? *rule : RecurrenceRule{};
}

TEST(ParseRecurrenceRuleTest, EveryOtherWeekOnTuesdayAndThursdayUntil) {
  const RecurrenceRule rule =
      MustParse("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270630T215959Z");
  EXPECT_EQ(rule.frequency, Frequency::kWeekly);
  EXPECT_EQ(rule.interval, 2);
  EXPECT_THAT(rule.by_day, ElementsAre(ByDay{absl::Weekday::tuesday, 0},
                                       ByDay{absl::Weekday::thursday, 0}));
  EXPECT_EQ(rule.until, Utc(2027, 6, 30, 21, 59, 59));
  EXPECT_FALSE(rule.count.has_value());
  EXPECT_EQ(rule.week_start, absl::Weekday::monday);
}

TEST(ParseRecurrenceRuleTest, NumberedWeekdaysInAMonth) {
  EXPECT_THAT(MustParse("FREQ=MONTHLY;BYDAY=2TU").by_day,
              ElementsAre(ByDay{absl::Weekday::tuesday, 2}));
  EXPECT_THAT(MustParse("FREQ=MONTHLY;BYDAY=-1FR").by_day,
              ElementsAre(ByDay{absl::Weekday::friday, -1}));
  EXPECT_THAT(MustParse("FREQ=MONTHLY;BYDAY=+1MO,-2SU,WE").by_day,
              ElementsAre(ByDay{absl::Weekday::monday, 1},
                          ByDay{absl::Weekday::sunday, -2},
                          ByDay{absl::Weekday::wednesday, 0}));
}

TEST(ParseRecurrenceRuleTest, DailyWithCount) {
  const RecurrenceRule rule = MustParse("FREQ=DAILY;COUNT=10");
  EXPECT_EQ(rule.frequency, Frequency::kDaily);
  EXPECT_EQ(rule.interval, 1);
  EXPECT_EQ(rule.count, 10);
  EXPECT_TRUE(rule.by_day.empty());
}

TEST(ParseRecurrenceRuleTest, MonthDaysCountedFromEitherEnd) {
  EXPECT_THAT(MustParse("FREQ=MONTHLY;BYMONTHDAY=1,-1,31").by_month_day,
              ElementsAre(1, -1, 31));
}

TEST(ParseRecurrenceRuleTest,
     AcceptsPrefixLowerCaseAnyOrderAndTrailingSemicolon) {
  // What calendar programs actually send: RFC 5545 names are
  // case-insensitive and parts may come in any order.
  EXPECT_EQ(MustParse(" RRULE:byday=tu;freq=weekly;wkst=su; "),
            MustParse("FREQ=WEEKLY;BYDAY=TU;WKST=SU"));
  EXPECT_EQ(MustParse("FREQ=WEEKLY;WKST=SU").week_start, absl::Weekday::sunday);
}

TEST(ParseRecurrenceRuleTest, UntilAsDateMeansTheEndOfThatCopenhagenDay) {
  // Summer time (UTC+2): 23:59:59 local is 21:59:59 UTC.
  EXPECT_EQ(MustParse("FREQ=DAILY;UNTIL=20270630").until,
            Utc(2027, 6, 30, 21, 59, 59));
  // Winter time (UTC+1).
  EXPECT_EQ(MustParse("FREQ=DAILY;UNTIL=20261231").until,
            Utc(2026, 12, 31, 22, 59, 59));
}

struct BadRule {
  std::string text;
  std::string explanation;  // A part of the message.
};

class ParseRecurrenceRuleErrorTest : public ::testing::TestWithParam<BadRule> {
};

TEST_P(ParseRecurrenceRuleErrorTest, RefusedNamingTheFieldAndTheFix) {
  const absl::StatusOr<RecurrenceRule> rule =
      ParseRecurrenceRule(GetParam().text);
  ASSERT_FALSE(rule.ok()) << GetParam().text;
  EXPECT_EQ(rule.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(rule.status().message()),
              HasSubstr(GetParam().explanation));
  const std::vector<FieldViolation> violations =
      FieldViolationsOf(rule.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "schedule.rrule");
}

INSTANTIATE_TEST_SUITE_P(
    Refusals, ParseRecurrenceRuleErrorTest,
    ::testing::Values(
        BadRule{"", "the rule is empty"},
        BadRule{"RRULE:", "the rule is empty"},
        BadRule{"FREQ=YEARLY", "FREQ=YEARLY is not supported; use FREQ=DAILY"},
        BadRule{"FREQ=HOURLY;INTERVAL=3", "FREQ=HOURLY is not supported"},
        BadRule{"FREQ=SECONDLY", "FREQ=SECONDLY is not supported"},
        BadRule{"FREQ=FORTNIGHTLY", "not a frequency; use DAILY, WEEKLY"},
        BadRule{"BYDAY=TU", "FREQ is missing"},
        BadRule{"FREQ=DAILY;COUNT=5;UNTIL=20270101",
                "COUNT and UNTIL cannot both be given"},
        BadRule{"FREQ=WEEKLY;INTERVAL=0",
                "INTERVAL must be a whole number "
                "from 1 to 366, not 0"},
        BadRule{"FREQ=WEEKLY;INTERVAL=367", "from 1 to 366"},
        BadRule{"FREQ=WEEKLY;INTERVAL=99999999999999", "from 1 to 366"},
        BadRule{"FREQ=WEEKLY;INTERVAL=two", "INTERVAL=TWO is not a whole"},
        BadRule{"FREQ=WEEKLY;INTERVAL=-2", "not a whole number"},
        BadRule{"FREQ=DAILY;COUNT=0", "COUNT must be a whole number from 1"},
        BadRule{"FREQ=DAILY;COUNT=1001", "from 1 to 1000"},
        BadRule{"FREQ=WEEKLY;BYDAY=2TU", "only allowed with FREQ=MONTHLY"},
        BadRule{"FREQ=DAILY;BYDAY=-1FR", "only allowed with FREQ=MONTHLY"},
        BadRule{"FREQ=MONTHLY;BYDAY=6TU", "must be 1 to 5"},
        BadRule{"FREQ=MONTHLY;BYDAY=-6TU", "must be 1 to 5"},
        BadRule{"FREQ=MONTHLY;BYDAY=0TU", "BYDAY=0TU is not a weekday"},
        BadRule{"FREQ=WEEKLY;BYDAY=XX", "BYDAY=XX is not a weekday"},
        BadRule{"FREQ=WEEKLY;BYDAY=", "is not a weekday"},
        BadRule{"FREQ=WEEKLY;BYDAY=TU,TU", "BYDAY lists TU twice"},
        BadRule{"FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY=32 is not a day"},
        BadRule{"FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0 is not a day"},
        BadRule{"FREQ=MONTHLY;BYMONTHDAY=first", "is not a day of the month"},
        BadRule{"FREQ=MONTHLY;BYMONTHDAY=5,5", "BYMONTHDAY lists 5 twice"},
        BadRule{"FREQ=WEEKLY;BYMONTHDAY=3",
                "BYMONTHDAY is only supported with FREQ=MONTHLY"},
        BadRule{"FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",
                "BYSETPOS is not supported; supported parts are FREQ"},
        BadRule{"FREQ=WEEKLY;BYHOUR=18", "BYHOUR is not supported"},
        BadRule{"FREQ=MONTHLY;BYMONTH=6", "BYMONTH is not supported"},
        BadRule{"FREQ=WEEKLY;X-EXTRA=1", "unknown rule part \"X-EXTRA\""},
        BadRule{"FREQ=WEEKLY;FREQ=DAILY", "FREQ appears twice"},
        BadRule{"FREQ=WEEKLY;;BYDAY=TU", "is not NAME=VALUE"},
        BadRule{"FREQ WEEKLY", "is not NAME=VALUE"},
        BadRule{"FREQ=WEEKLY;UNTIL=20270230", "UNTIL=20270230 is neither"},
        BadRule{"FREQ=WEEKLY;UNTIL=20270630T215959",  // Floating time.
                "is neither a UTC date-time"},
        BadRule{"FREQ=WEEKLY;UNTIL=20270630T246000Z", "is neither"},
        BadRule{"FREQ=WEEKLY;UNTIL=2027-06-30", "is neither"},
        BadRule{"FREQ=WEEKLY;WKST=XX", "WKST=XX is not a weekday"},
        BadRule{"FREQ=WEEKLY;BYDAY=" + std::string(1000, 'A'),
                "longer than 1000 characters"}));

TEST(ValidateRecurrenceRuleTest, ChecksRulesBuiltInCode) {
  RecurrenceRule rule;
  rule.frequency = Frequency::kWeekly;
  EXPECT_TRUE(ValidateRecurrenceRule(rule).ok());
  rule.by_day = {{absl::Weekday::tuesday, 2}};
  const absl::Status status = ValidateRecurrenceRule(rule);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("only allowed with FREQ=MONTHLY"));
}

TEST(FormatRecurrenceRuleTest, CanonicalText) {
  EXPECT_EQ(FormatRecurrenceRule(
                MustParse("rrule:until=20270630T215959Z;byday=tu,th;interval=2;"
                          "freq=weekly")),
            "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630T215959Z;BYDAY=TU,TH");
  // INTERVAL=1 and WKST=MO are the defaults and are left out.
  EXPECT_EQ(
      FormatRecurrenceRule(MustParse("FREQ=DAILY;INTERVAL=1;WKST=MO;COUNT=10")),
      "FREQ=DAILY;COUNT=10");
  // A date UNTIL becomes the UTC date-time RFC 5545 requires next to a
  // DTSTART with a time zone.
  EXPECT_EQ(FormatRecurrenceRule(MustParse("FREQ=WEEKLY;UNTIL=20261231")),
            "FREQ=WEEKLY;UNTIL=20261231T225959Z");
  EXPECT_EQ(FormatRecurrenceRule(MustParse("FREQ=MONTHLY;BYDAY=+2TU,-1FR")),
            "FREQ=MONTHLY;BYDAY=2TU,-1FR");
}

TEST(FormatRecurrenceRuleTest, RoundTrips) {
  for (absl::string_view text : {
           "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630T215959Z;BYDAY=TU,TH",
           "FREQ=MONTHLY;BYDAY=2TU",
           "FREQ=MONTHLY;BYDAY=-1FR",
           "FREQ=DAILY;COUNT=10",
           "FREQ=DAILY;BYDAY=MO,WE,FR",
           "FREQ=MONTHLY;INTERVAL=3;COUNT=4;BYMONTHDAY=1,-1",
           "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
           "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO;WKST=SU",
       }) {
    const RecurrenceRule rule = MustParse(text);
    const std::string formatted = FormatRecurrenceRule(rule);
    EXPECT_EQ(formatted, text);
    EXPECT_EQ(MustParse(formatted), rule) << text;
  }
}

TEST(FormatRecurrenceRuleTest, FractionalUntilRoundsUpKeepingItsOccurrences) {
  // Occurrences start on whole seconds and UNTIL is inclusive, so 10:00:00.5
  // and 10:00:01 admit exactly the same starts.
  RecurrenceRule rule;
  rule.until = Utc(2027, 1, 1, 10, 0, 0) + absl::Milliseconds(500);
  EXPECT_EQ(FormatRecurrenceRule(rule), "FREQ=WEEKLY;UNTIL=20270101T100001Z");
}

}  // namespace
}  // namespace brobygger::catalogue
