// The reception workshop's analysis on constructed templates: overload at
// the threshold, room for something new at the start/middle/end of the
// span, order rules kept and broken, validation naming the offending
// field, and a personal plan dated across a year boundary.
#include "services/catalogue/timeline_analysis.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::catalogue {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TimelineItem Item(std::string id, int week) {
  return {id, "Title of " + id, week, "Jobcenter Aalborg",
          /*municipal_task=*/true};
}

// Items at the given weeks, named "a0", "a1", ... in order.
TimelineTemplate AtWeeks(const std::vector<int>& weeks) {
  TimelineTemplate timeline;
  for (std::size_t i = 0; i < weeks.size(); ++i) {
    timeline.items.push_back(Item("a" + std::to_string(i), weeks[i]));
  }
  return timeline;
}

// Weeks with at least one item (so no empty stretches), plus `extra`.
TimelineTemplate EveryWeekPlus(const std::vector<TimelineItem>& extra) {
  TimelineTemplate timeline;
  for (int week = kFirstWeek; week <= kLastWeek; ++week) {
    timeline.items.push_back(Item("w" + std::to_string(week), week));
  }
  timeline.items.insert(timeline.items.end(), extra.begin(), extra.end());
  return timeline;
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

MATCHER_P2(Stretch, first, last, "") {
  return arg.first_week == first && arg.last_week == last;
}

TEST(TimelineOverloadTest, ExactlyTheMaximumIsFineOneMoreIsFlagged) {
  TimelineTemplate timeline = EveryWeekPlus(
      {Item("housing", 2), Item("bank", 2),                      // 3 in week 2
       Item("doctor", 5), Item("school", 5), Item("cafe", 5)});  // 4 in week 5
  timeline.max_new_items_per_week = 3;
  ASSERT_TRUE(ValidateTimeline(timeline).ok());

  const TimelineAnalysis analysis = AnalyzeTimeline(timeline);
  ASSERT_EQ(analysis.overloaded_weeks.size(), 1u);
  EXPECT_EQ(analysis.overloaded_weeks[0].week_offset, 5);
  EXPECT_THAT(analysis.overloaded_weeks[0].item_ids,
              ElementsAre("cafe", "doctor", "school", "w5"));
  EXPECT_THAT(analysis.empty_stretches, IsEmpty());
}

TEST(TimelineOverloadTest, ThresholdIsConfigurable) {
  TimelineTemplate timeline = AtWeeks({0, 0});
  timeline.max_new_items_per_week = 1;
  const TimelineAnalysis analysis = AnalyzeTimeline(timeline);
  ASSERT_EQ(analysis.overloaded_weeks.size(), 1u);
  EXPECT_EQ(analysis.overloaded_weeks[0].week_offset, 0);
  EXPECT_THAT(analysis.overloaded_weeks[0].item_ids, ElementsAre("a0", "a1"));
}

TEST(TimelineEmptyStretchTest, FindsRoomAtStartMiddleAndEnd) {
  // Items at -5, -4 and 10, 11: empty -8..-6 (3 weeks, start), -3..9
  // (13 weeks, middle) and 12..26 (15 weeks, end).
  const TimelineAnalysis analysis = AnalyzeTimeline(AtWeeks({-5, -4, 10, 11}));
  EXPECT_THAT(analysis.empty_stretches,
              ElementsAre(Stretch(-8, -6), Stretch(-3, 9), Stretch(12, 26)));
}

TEST(TimelineEmptyStretchTest, ShorterGapsThanTheMinimumAreNotRoom) {
  // Gaps: -8..-7 (2 weeks), 0..2 (3 weeks), 24..26 (3 weeks) and the rest
  // filled one week at a time.
  std::vector<int> weeks;
  for (int week = -6; week <= 23; ++week) {
    if (week < 0 || week > 2) weeks.push_back(week);
  }
  const TimelineTemplate timeline = AtWeeks(weeks);
  EXPECT_THAT(AnalyzeTimeline(timeline, 3).empty_stretches,
              ElementsAre(Stretch(0, 2), Stretch(24, 26)));
  EXPECT_THAT(AnalyzeTimeline(timeline, 4).empty_stretches, IsEmpty());
  EXPECT_THAT(AnalyzeTimeline(timeline, 2).empty_stretches,
              ElementsAre(Stretch(-8, -7), Stretch(0, 2), Stretch(24, 26)));
}

TEST(TimelineEmptyStretchTest, AnEmptyTemplateIsOneStretchOverTheSpan) {
  EXPECT_THAT(AnalyzeTimeline(TimelineTemplate{}).empty_stretches,
              ElementsAre(Stretch(kFirstWeek, kLastWeek)));
}

TEST(TimelineOrderRuleTest, ReportsBrokenAndSameWeekRulesOnly) {
  TimelineTemplate timeline = AtWeeks({});
  timeline.items = {Item("housing-course", 4),  Item("permanent-housing", 2),
                    Item("language-school", 1), Item("language-cafe", 1),
                    Item("cpr-number", -1),     Item("bank-account", 0)};
  timeline.order_rules = {
      {"housing-course", "permanent-housing",
       "the housing course comes before moving to permanent housing"},
      {"language-school", "language-cafe", "same week: order not certain"},
      {"cpr-number", "bank-account", "a bank needs the CPR number"},
  };
  ASSERT_TRUE(ValidateTimeline(timeline).ok());

  const TimelineAnalysis analysis = AnalyzeTimeline(timeline);
  ASSERT_EQ(analysis.broken_rules.size(), 2u);
  EXPECT_EQ(analysis.broken_rules[0].rule.before_item_id, "housing-course");
  EXPECT_EQ(analysis.broken_rules[0].rule.reason,
            "the housing course comes before moving to permanent housing");
  EXPECT_EQ(analysis.broken_rules[0].before_week, 4);
  EXPECT_EQ(analysis.broken_rules[0].after_week, 2);
  EXPECT_EQ(analysis.broken_rules[1].rule.before_item_id, "language-school");
  EXPECT_EQ(analysis.broken_rules[1].before_week, 1);
  EXPECT_EQ(analysis.broken_rules[1].after_week, 1);
}

TEST(TimelineOrderRuleTest, UnvalidatedRulesNamingUnknownItemsAreSkipped) {
  TimelineTemplate timeline = AtWeeks({3});
  timeline.order_rules = {{"a0", "missing", ""}, {"missing", "a0", ""}};
  EXPECT_THAT(AnalyzeTimeline(timeline).broken_rules, IsEmpty());
}

TEST(TimelineValidationTest, AcceptsAFullSpanTemplate) {
  TimelineTemplate timeline = AtWeeks({kFirstWeek, 0, kLastWeek});
  timeline.order_rules = {{"a0", "a1", "before arrival, then at arrival"}};
  EXPECT_TRUE(ValidateTimeline(timeline).ok());
}

TEST(TimelineValidationTest, NamesWeekOutsideTheSpan) {
  const absl::Status status =
      ValidateTimeline(AtWeeks({0, 1, 2, kLastWeek + 1, kFirstWeek - 1}));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(status), ElementsAre("template.items[3].week_offset",
                                          "template.items[4].week_offset"));
}

TEST(TimelineValidationTest, NamesDuplicateAndMissingIds) {
  TimelineTemplate timeline = AtWeeks({0, 1, 2});
  timeline.items[2].id = "a0";
  timeline.items[1].id = "";
  const absl::Status status = ValidateTimeline(timeline);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(status),
              ElementsAre("template.items[1].id", "template.items[2].id"));
  EXPECT_THAT(std::string(status.message()),
              ::testing::HasSubstr("template.items[0].id"));
}

TEST(TimelineValidationTest, NamesRulesWithUnknownOrIdenticalItems) {
  TimelineTemplate timeline = AtWeeks({0, 1});
  timeline.order_rules = {{"a0", "nope", ""}, {"a1", "a1", ""}, {"", "a0", ""}};
  EXPECT_THAT(Fields(ValidateTimeline(timeline)),
              ElementsAre("template.order_rules[0].after_item_id",
                          "template.order_rules[1].after_item_id",
                          "template.order_rules[2].before_item_id"));
}

TEST(TimelineValidationTest, NamesMaxNewItemsPerWeekOutOfRange) {
  for (const int bad : {0, -1, 21}) {
    TimelineTemplate timeline = AtWeeks({0});
    timeline.max_new_items_per_week = bad;
    EXPECT_THAT(Fields(ValidateTimeline(timeline)),
                ElementsAre("template.max_new_items_per_week"))
        << bad;
  }
  for (const int good : {1, 20}) {
    TimelineTemplate timeline = AtWeeks({0});
    timeline.max_new_items_per_week = good;
    EXPECT_TRUE(ValidateTimeline(timeline).ok()) << good;
  }
}

TEST(TimelineValidationTest, TitleLimitCountsCharactersNotBytes) {
  TimelineTemplate timeline = AtWeeks({0, 1});
  std::string danish;
  for (int i = 0; i < kMaxItemTitleLength; ++i) danish += "æ";  // 2 bytes.
  timeline.items[0].title = danish;
  timeline.items[1].title = danish + "ø";
  EXPECT_THAT(Fields(ValidateTimeline(timeline)),
              ElementsAre("template.items[1].title"));
}

TEST(TimelineValidationTest, RefusesTooManyItemsAndRulesWithOneErrorEach) {
  TimelineTemplate timeline = AtWeeks(std::vector<int>(kMaxTimelineItems + 1));
  timeline.order_rules.assign(kMaxOrderRules + 1, {"a0", "a1", ""});
  EXPECT_THAT(Fields(ValidateTimeline(timeline)),
              ElementsAre("template.items", "template.order_rules"));

  timeline.items.resize(kMaxTimelineItems);
  timeline.order_rules.resize(kMaxOrderRules);
  EXPECT_TRUE(ValidateTimeline(timeline).ok());
}

MATCHER_P3(Planned, id, start, end, "") {
  return arg.item_id == id && arg.week_start == start && arg.week_end == end;
}

TEST(ApplyTemplateTest, DatesWeeksAcrossMonthAndYearBoundaries) {
  TimelineTemplate timeline;
  timeline.items = {Item("last", 26), Item("arrival", 0), Item("first", -8),
                    Item("next", 1), Item("also-arrival", 0)};
  timeline.items[1].title = "Første møde på jobcentret";
  const std::vector<PlannedItem> plan =
      ApplyTemplate(timeline, absl::CivilDay(2026, 12, 28));
  EXPECT_THAT(plan,
              ElementsAre(Planned("first", absl::CivilDay(2026, 11, 2),
                                  absl::CivilDay(2026, 11, 8)),
                          Planned("also-arrival", absl::CivilDay(2026, 12, 28),
                                  absl::CivilDay(2027, 1, 3)),
                          Planned("arrival", absl::CivilDay(2026, 12, 28),
                                  absl::CivilDay(2027, 1, 3)),
                          Planned("next", absl::CivilDay(2027, 1, 4),
                                  absl::CivilDay(2027, 1, 10)),
                          Planned("last", absl::CivilDay(2027, 6, 28),
                                  absl::CivilDay(2027, 7, 4))));
  EXPECT_EQ(plan[2].title, "Første møde på jobcentret");
  EXPECT_EQ(plan[2].owner, "Jobcenter Aalborg");
}

TEST(ApplyTemplateTest, LeapDayIsCounted) {
  // 2028 is a leap year: four weeks after 2028-02-15 is 2028-03-14.
  const std::vector<PlannedItem> plan =
      ApplyTemplate(AtWeeks({4}), absl::CivilDay(2028, 2, 15));
  EXPECT_THAT(plan, ElementsAre(Planned("a0", absl::CivilDay(2028, 3, 14),
                                        absl::CivilDay(2028, 3, 20))));
}

}  // namespace
}  // namespace brobygger::catalogue
