// The coordination report on constructed catalogues: duplicated offers
// (the language cafés of two associations on the same Tuesday evening in
// the same area), gaps by need and by category, stale offers, and bad
// input refused with a clear error. 2026-11-03 is a Tuesday; the window
// (November 2026) holds four Tuesdays.
#include "services/catalogue/coordination_analysis.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/catalogue/schedule_test_util.h"

namespace brobygger::catalogue {
namespace {

using ::brobygger::catalogue::testing::Local;
using ::brobygger::catalogue::testing::MakeSchedule;
using ::brobygger::catalogue::testing::Utc;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Kind = TargetGroup::Kind;

// A weekly Tuesday offer from `hour` for `hours` hours, updated recently.
OfferForAnalysis Tuesday(std::string id, std::string organiser,
                         std::string area, int hour, int hours = 2,
                         std::string category = "language_cafe") {
  OfferForAnalysis offer;
  offer.id = std::move(id);
  offer.organiser = std::move(organiser);
  offer.category = std::move(category);
  offer.areas = {std::move(area)};
  offer.schedule = MakeSchedule(Local(2026, 11, 3, hour, 0), absl::Hours(hours),
                                "FREQ=WEEKLY;BYDAY=TU");
  offer.last_updated = Utc(2026, 10, 1);
  offer.ended = false;
  return offer;
}

ReportInput November(std::vector<OfferForAnalysis> offers) {
  ReportInput input;
  input.offers = std::move(offers);
  input.window_start = Utc(2026, 11, 1);
  input.window_end = Utc(2026, 12, 1);
  input.now = Utc(2026, 11, 1);
  return input;
}

CoordinationReport Analyze(const ReportInput& input) {
  absl::StatusOr<CoordinationReport> report = AnalyzeCoordination(input);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *std::move(report) : CoordinationReport{};
}

TEST(CoordinationOverlapTest, TwoCafesSameAreaSameEveningOverlap) {
  const CoordinationReport report = Analyze(
      November({Tuesday("b-cafe", "Dansk Flygtningehjælp", "vestbyen", 18),
                Tuesday("a-cafe", "Røde Kors", "vestbyen", 19)}));
  ASSERT_EQ(report.overlaps.size(), 1u);
  const Overlap& overlap = report.overlaps[0];
  EXPECT_EQ(overlap.first_id, "a-cafe");  // Ordered by id.
  EXPECT_EQ(overlap.second_id, "b-cafe");
  EXPECT_EQ(overlap.category, "language_cafe");
  EXPECT_EQ(overlap.area, "vestbyen");
  EXPECT_EQ(overlap.shared_occurrences, 4);  // Four Tuesdays in November.
  EXPECT_THAT(overlap.explanation, HasSubstr("Røde Kors and Dansk"));
  EXPECT_THAT(overlap.explanation, HasSubstr("4 occurrences overlap"));
}

TEST(CoordinationOverlapTest, SameOrganiserIsNotAnOverlap) {
  // One association running two groups is its own planning, not duplication.
  EXPECT_THAT(Analyze(November({Tuesday("a", "Røde Kors", "vestbyen", 18),
                                Tuesday("b", "Røde Kors", "vestbyen", 18)}))
                  .overlaps,
              IsEmpty());
}

TEST(CoordinationOverlapTest, DifferentAreasDoNotOverlap) {
  EXPECT_THAT(Analyze(November({Tuesday("a", "Røde Kors", "vestbyen", 18),
                                Tuesday("b", "DFH", "st. restrup", 18)}))
                  .overlaps,
              IsEmpty());
}

TEST(CoordinationOverlapTest, DifferentCategoriesDoNotOverlap) {
  EXPECT_THAT(Analyze(November({Tuesday("a", "Røde Kors", "vestbyen", 18),
                                Tuesday("b", "DFH", "vestbyen", 18, 2,
                                        "communal_dining")}))
                  .overlaps,
              IsEmpty());
}

TEST(CoordinationOverlapTest, BackToBackHoursDoNotOverlap) {
  // 18-20 and 20-21: one ends as the other starts.
  EXPECT_THAT(Analyze(November({Tuesday("a", "Røde Kors", "vestbyen", 18),
                                Tuesday("b", "DFH", "vestbyen", 20, 1)}))
                  .overlaps,
              IsEmpty());
}

TEST(CoordinationOverlapTest, CountsOnlySharedOccurrences) {
  OfferForAnalysis fortnightly = Tuesday("b", "DFH", "vestbyen", 18);
  fortnightly.schedule = MakeSchedule(Local(2026, 11, 3, 18, 0), absl::Hours(2),
                                      "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
  const CoordinationReport report = Analyze(
      November({Tuesday("a", "Røde Kors", "vestbyen", 18), fortnightly}));
  ASSERT_EQ(report.overlaps.size(), 1u);
  EXPECT_EQ(report.overlaps[0].shared_occurrences, 2);  // 3 and 17 Nov.
}

TEST(CoordinationOverlapTest, EndedOfferDoesNotOverlap) {
  OfferForAnalysis ended = Tuesday("b", "DFH", "vestbyen", 18);
  ended.ended = true;
  EXPECT_THAT(
      Analyze(November({Tuesday("a", "Røde Kors", "vestbyen", 18), ended}))
          .overlaps,
      IsEmpty());
}

TEST(CoordinationOverlapTest, ChildrenOfDisjointAgesDoNotOverlap) {
  OfferForAnalysis young = Tuesday("a", "Røde Kors", "vestbyen", 18);
  young.target_groups = {{Kind::kChildren, 6, 10}};
  OfferForAnalysis older = Tuesday("b", "DFH", "vestbyen", 18);
  older.target_groups = {{Kind::kChildren, 12, 15}};
  EXPECT_THAT(Analyze(November({young, older})).overlaps, IsEmpty());
}

TEST(CoordinationOverlapTest, ChildrenAndEveryoneOverlap) {
  OfferForAnalysis young = Tuesday("a", "Røde Kors", "vestbyen", 18);
  young.target_groups = {{Kind::kChildren, 6, 10}};
  OfferForAnalysis all = Tuesday("b", "DFH", "vestbyen", 18);
  all.target_groups = {{Kind::kEveryone}};
  EXPECT_EQ(Analyze(November({young, all})).overlaps.size(), 1u);
}

TEST(CoordinationOverlapTest, OneOverlapPerSharedAreaInOrder) {
  OfferForAnalysis a = Tuesday("a", "Røde Kors", "vestbyen", 18);
  a.areas = {"vestbyen", "kærby", "vestbyen"};
  OfferForAnalysis b = Tuesday("b", "DFH", "kærby", 18);
  b.areas = {"vestbyen", "kærby"};
  const CoordinationReport report =
      Analyze(November({b, a, Tuesday("c", "DGI", "kærby", 19)}));
  std::vector<std::string> found;
  for (const Overlap& overlap : report.overlaps) {
    found.push_back(overlap.area + ":" + overlap.first_id + "-" +
                    overlap.second_id);
  }
  EXPECT_THAT(found, ElementsAre("kærby:a-b", "kærby:a-c", "kærby:b-c",
                                 "vestbyen:a-b"));
}

TEST(TargetGroupsSimilarTest, Rules) {
  const std::vector<TargetGroup> children_6_10 = {{Kind::kChildren, 6, 10}};
  EXPECT_TRUE(TargetGroupsSimilar(children_6_10, {{Kind::kChildren, 10, 12}}));
  EXPECT_FALSE(TargetGroupsSimilar(children_6_10, {{Kind::kChildren, 11, 12}}));
  EXPECT_FALSE(TargetGroupsSimilar({{Kind::kWomen}}, {{Kind::kMen}}));
  EXPECT_TRUE(
      TargetGroupsSimilar({{Kind::kWomen}}, {{Kind::kMen}, {Kind::kWomen}}));
  EXPECT_FALSE(TargetGroupsSimilar(children_6_10, {{Kind::kFamilies}}));
  EXPECT_TRUE(TargetGroupsSimilar({{Kind::kYouth}}, {{Kind::kEveryone}}));
  EXPECT_TRUE(TargetGroupsSimilar({}, {{Kind::kMen}}));  // Unrestricted.
}

TEST(CoordinationGapTest, NeedWithoutOfferInItsArea) {
  ReportInput input =
      November({Tuesday("a", "Røde Kors", "vestbyen", 16, 2, "homework_help")});
  input.need_categories = {{"homework", "homework_help"},
                           {"debt", "counselling"}};
  input.needs_by_area = {{"kærby", {{"homework", 7}, {"debt", 0}}},
                         {"vestbyen", {{"homework", 3}, {"debt", 2}}}};
  const CoordinationReport report = Analyze(input);
  ASSERT_EQ(report.gaps.size(), 2u);
  EXPECT_EQ(report.gaps[0].area, "kærby");
  EXPECT_EQ(report.gaps[0].category, "homework_help");
  EXPECT_EQ(report.gaps[0].need, "homework");
  EXPECT_THAT(report.gaps[0].explanation, HasSubstr("7 newcomers"));
  EXPECT_EQ(report.gaps[1].area, "vestbyen");
  EXPECT_EQ(report.gaps[1].category, "counselling");
  EXPECT_EQ(report.gaps[1].need, "debt");
}

TEST(CoordinationGapTest, EndedOfferDoesNotMeetANeed) {
  OfferForAnalysis ended =
      Tuesday("a", "Røde Kors", "vestbyen", 16, 2, "homework_help");
  ended.ended = true;
  ReportInput input = November({ended});
  input.need_categories = {{"homework", "homework_help"}};
  input.needs_by_area = {{"vestbyen", {{"homework", 3}}}};
  ASSERT_EQ(Analyze(input).gaps.size(), 1u);
}

TEST(CoordinationGapTest, UnmappedNeedIsReported) {
  ReportInput input = November({});
  input.needs_by_area = {{"vestbyen", {{"bicycle", 4}}}};
  const CoordinationReport report = Analyze(input);
  ASSERT_EQ(report.gaps.size(), 1u);
  EXPECT_EQ(report.gaps[0].category, "");
  EXPECT_THAT(report.gaps[0].explanation, HasSubstr("no category is mapped"));
}

TEST(CoordinationGapTest, CategoriesWithoutOfferPerArea) {
  ReportInput input = November({Tuesday("a", "Røde Kors", "vestbyen", 18)});
  input.areas = {"vestbyen", "kærby"};
  input.categories = {"language_cafe", "communal_dining"};
  std::vector<std::string> found;
  for (const Gap& gap : Analyze(input).gaps) {
    EXPECT_EQ(gap.need, "");
    found.push_back(gap.area + ":" + gap.category);
  }
  EXPECT_THAT(found, ElementsAre("kærby:communal_dining", "kærby:language_cafe",
                                 "vestbyen:communal_dining"));
}

TEST(CoordinationStaleTest, EndedAndNotUpdatedForMonths) {
  OfferForAnalysis old = Tuesday("old", "DGI", "vestbyen", 10);
  old.last_updated = Utc(2026, 1, 15, 12);
  OfferForAnalysis ended = Tuesday("ended", "DGI", "kærby", 10);
  ended.ended = true;
  OfferForAnalysis fresh = Tuesday("fresh", "DGI", "kærby", 10);
  fresh.last_updated = Utc(2026, 6, 1);  // 153 days before `now`.
  const CoordinationReport report = Analyze(November({old, fresh, ended}));
  ASSERT_EQ(report.stale.size(), 2u);
  EXPECT_EQ(report.stale[0].id, "ended");
  EXPECT_EQ(report.stale[0].reason, "ended");
  EXPECT_EQ(report.stale[1].id, "old");
  EXPECT_EQ(report.stale[1].reason, "not updated since 2026-01-15");
}

TEST(CoordinationStaleTest, ThresholdIsConfigurable) {
  ReportInput input = November({Tuesday("a", "DGI", "vestbyen", 10)});
  input.stale_after = absl::Hours(24 * 30);  // Updated 31 days before.
  ASSERT_EQ(Analyze(input).stale.size(), 1u);
}

TEST(CoordinationErrorTest, TooManyOffers) {
  ReportInput input = November({});
  input.offers.resize(kMaxReportOffers + 1);
  const absl::StatusOr<CoordinationReport> report = AnalyzeCoordination(input);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(report.status().message(), HasSubstr("offers"));
}

TEST(CoordinationErrorTest, TenYearWindowRefused) {
  ReportInput input = November({});
  input.window_end = Utc(2036, 11, 1);
  const absl::StatusOr<CoordinationReport> report = AnalyzeCoordination(input);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(report.status().message(), HasSubstr("window"));
  EXPECT_THAT(report.status().message(), HasSubstr("at most 400 days"));
}

TEST(CoordinationErrorTest, InvalidScheduleNamesTheOffer) {
  OfferForAnalysis broken = Tuesday("broken-cafe", "DFH", "vestbyen", 18);
  broken.schedule.duration = absl::ZeroDuration();
  const absl::StatusOr<CoordinationReport> report = AnalyzeCoordination(
      November({Tuesday("a", "Røde Kors", "vestbyen", 18), broken}));
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(report.status().message(), HasSubstr("broken-cafe"));
}

TEST(CoordinationErrorTest, DuplicateIdsAndNegativeNeedsRefused) {
  ReportInput twice = November({Tuesday("a", "Røde Kors", "vestbyen", 18),
                                Tuesday("a", "DFH", "kærby", 18)});
  EXPECT_THAT(AnalyzeCoordination(twice).status().message(),
              HasSubstr("occurs twice"));
  ReportInput negative = November({});
  negative.needs_by_area = {{"vestbyen", {{"homework", -1}}}};
  EXPECT_THAT(AnalyzeCoordination(negative).status().message(),
              HasSubstr("needs_by_area"));
}

}  // namespace
}  // namespace brobygger::catalogue
