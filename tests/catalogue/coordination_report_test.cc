// The coordination report against a real redis-server, from activities
// stored through the catalogue and newcomers' needs learnt from registry
// events: duplicated offers, unmet needs and stale activities.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "services/catalogue/coordination_reports.h"
#include "tests/catalogue/catalogue_fixture.h"

namespace brobygger::catalogue {
namespace {

absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
}

class CoordinationReportTest : public CatalogueFixture {
 protected:
  void SetUp() override {
    CatalogueFixture::SetUp();
    RegisterOrganiser("7", "Røde Kors Aalborg");
    RegisterOrganiser("8", "Dansk Flygtningehjælp");
  }

  // February 2027: four Tuesdays.
  v1::CoordinationReport Report() {
    auto report =
        catalogue().reports().Build(Coordinator(), "aalborg", Utc(2027, 2, 1),
                                    Utc(2027, 3, 1), std::nullopt);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::CoordinationReport();
  }

  // A language café of `organiser` on Tuesdays from `start` for two hours.
  v1::Activity Cafe(const std::string& organiser, const std::string& area,
                    const std::string& start = "2027-01-05T18:00") {
    v1::Activity cafe = NewActivity(organiser, "Language café " + organiser);
    cafe.mutable_place()->set_area(area);
    cafe.mutable_schedule()->set_start_time(start);
    return CreateActivity(cafe);
  }

  static std::vector<const v1::CoverageGap*> GapsFor(
      const v1::CoordinationReport& report, const std::string& need) {
    std::vector<const v1::CoverageGap*> out;
    for (const v1::CoverageGap& gap : report.gaps()) {
      if (gap.need() == need) out.push_back(&gap);
    }
    return out;
  }
};

TEST_F(CoordinationReportTest, TwoOrganisersSameCafeSameAreaSameTime) {
  const v1::Activity red_cross = Cafe("7", "Kærby");
  const v1::Activity council = Cafe("8", "KAERBY", "2027-01-05T18:30");
  const v1::CoordinationReport report = Report();
  ASSERT_EQ(report.overlaps_size(), 1) << report.DebugString();
  const v1::OverlappingOffers& overlap = report.overlaps(0);
  EXPECT_EQ(overlap.first_activity(), red_cross.name());
  EXPECT_EQ(overlap.second_activity(), council.name());
  EXPECT_EQ(overlap.category(), v1::CATEGORY_LANGUAGE_CAFE);
  EXPECT_EQ(overlap.area(), "Kærby");
  EXPECT_EQ(overlap.shared_occurrences(), 4);
  EXPECT_FALSE(overlap.explanation().empty());
  EXPECT_EQ(store::FromTimestamp(report.window_start_time()), Utc(2027, 2, 1));
  EXPECT_EQ(store::FromTimestamp(report.window_end_time()), Utc(2027, 3, 1));
}

TEST_F(CoordinationReportTest, NoOverlapAcrossAreasTimesOrOneOrganiser) {
  Cafe("7", "Kærby");
  Cafe("8", "Nørresundby");                // elsewhere
  Cafe("8", "Kærby", "2027-01-07T18:00");  // Thursdays
  Cafe("7", "Kærby", "2027-01-05T19:00");  // its own second café
  v1::Activity draft = NewActivity("8", "Planned café");
  draft.set_state(v1::ACTIVITY_STATE_DRAFT);
  CreateActivity(draft);  // not offered yet
  const v1::CoordinationReport report = Report();
  EXPECT_EQ(report.overlaps_size(), 0) << report.DebugString();
}

TEST_F(CoordinationReportTest, AnUnmetNeedIsAGap) {
  Cafe("7", "Kærby");
  RegisterNewcomer("12", {"Kærby"}, {"homework"});
  RegisterNewcomer("13", {"Kærby"}, {"homework", "danish"});
  const v1::CoordinationReport report = Report();
  const auto homework = GapsFor(report, "homework");
  ASSERT_EQ(homework.size(), 1u) << report.DebugString();
  EXPECT_EQ(homework[0]->area(), "Kærby");
  EXPECT_EQ(homework[0]->category(), v1::CATEGORY_HOMEWORK_HELP);
  EXPECT_TRUE(absl::StrContains(homework[0]->explanation(), "2"))
      << homework[0]->explanation();
  // Danish is met by the café.
  EXPECT_TRUE(GapsFor(report, "danish").empty()) << report.DebugString();
  EXPECT_TRUE(report.has_needs_as_of_time());

  // Homework help in Kærby closes the gap.
  v1::Activity help = NewActivity("8", "Homework help");
  help.set_category(v1::CATEGORY_HOMEWORK_HELP);
  CreateActivity(help);
  EXPECT_TRUE(GapsFor(Report(), "homework").empty());
}

TEST_F(CoordinationReportTest, AreasWithoutActivitiesAreShownAsWritten) {
  Cafe("7", "Kærby");
  RegisterNewcomer("12", {"Nørresundby"}, {"homework"});
  const v1::CoordinationReport report = Report();
  const auto homework = GapsFor(report, "homework");
  ASSERT_EQ(homework.size(), 1u) << report.DebugString();
  EXPECT_EQ(homework[0]->area(), "Nørresundby");
  EXPECT_EQ(homework[0]->category(), v1::CATEGORY_HOMEWORK_HELP);
}

TEST_F(CoordinationReportTest, EndedActivitiesAreStale) {
  v1::Activity ended = Cafe("7", "Kærby");
  const v1::Activity current = Cafe("8", "Kærby");
  ended.set_state(v1::ACTIVITY_STATE_ENDED);
  google::protobuf::FieldMask state;
  state.add_paths("state");
  ASSERT_TRUE(catalogue()
                  .activities()
                  .Update(Coordinator(), "aalborg", ended, state)
                  .ok());
  const v1::CoordinationReport report = Report();
  ASSERT_EQ(report.stale_size(), 1) << report.DebugString();
  EXPECT_EQ(report.stale(0).activity(), ended.name());
  EXPECT_EQ(report.stale(0).reason(), "ended");
  // An ended café duplicates nothing.
  EXPECT_EQ(report.overlaps_size(), 0);
}

TEST_F(CoordinationReportTest, RefusesOtherMunicipalitiesAndBadParameters) {
  EXPECT_EQ(catalogue()
                .reports()
                .Build(Coordinator("kolding"), "aalborg", std::nullopt,
                       std::nullopt, std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  auto short_stale = catalogue().reports().Build(
      Coordinator(), "aalborg", std::nullopt, std::nullopt, absl::Hours(1));
  EXPECT_TRUE(FieldNamed(short_stale.status(), "stale_after"))
      << short_stale.status();
  auto long_window = catalogue().reports().Build(
      Coordinator(), "aalborg", Utc(2027, 1, 1), Utc(2029, 1, 1), std::nullopt);
  EXPECT_EQ(long_window.status().code(), absl::StatusCode::kInvalidArgument)
      << long_window.status();
}

}  // namespace
}  // namespace brobygger::catalogue
