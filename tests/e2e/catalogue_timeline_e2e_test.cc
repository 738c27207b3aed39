// End-to-end: the reception timeline and personal plans. Caseworkers keep
// the municipality's timeline, the analysis finds where newcomers get too
// much at once, a plan applies it to a newcomer registered in the
// registry, exports as a calendar, and goes when the registry erases the
// newcomer.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/catalogue_e2e_fixture.h"

namespace brobygger::test {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class CatalogueTimelineE2eTest : public CatalogueE2eTest {
 protected:
  std::string TimelineName() const {
    return absl::StrCat(Parent(municipality_), "/timelineTemplate");
  }
};

TEST_F(CatalogueTimelineE2eTest, AnalysisFindsTheOverloadedArrivalWeek) {
  absl::StatusOr<cv1::TimelineTemplate> stored =
      StoreOverloadedTimeline(caseworker_);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->name(), TimelineName());
  EXPECT_EQ(stored->items_size(), 6);
  EXPECT_FALSE(stored->etag().empty());

  cv1::GetTimelineTemplateRequest get;
  get.set_name(TimelineName());
  auto got = Call(*stub_, &CatalogueStub::GetTimelineTemplate, volunteer_, get);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->items_size(), 6);
  EXPECT_EQ(got->etag(), stored->etag());

  cv1::AnalyzeTimelineTemplateRequest analyze;
  analyze.set_name(TimelineName());
  auto analysis = Call(*stub_, &CatalogueStub::AnalyzeTimelineTemplate,
                       coordinator_, analyze);
  ASSERT_TRUE(analysis.ok()) << analysis.status();
  ASSERT_EQ(analysis->overloaded_weeks_size(), 1) << analysis->DebugString();
  EXPECT_EQ(analysis->overloaded_weeks(0).week_offset(), 0);
  EXPECT_THAT(analysis->overloaded_weeks(0).item_ids(),
              UnorderedElementsAre("welcome-meeting", "bank-account", "doctor",
                                   "language-school"));
  // Weeks 7..26 hold nothing: room for something new.
  std::vector<std::pair<int, int>> stretches;
  for (const cv1::EmptyStretch& stretch : analysis->empty_stretches()) {
    stretches.emplace_back(stretch.first_week(), stretch.last_week());
  }
  EXPECT_THAT(stretches, Contains(std::make_pair(7, 26)))
      << analysis->DebugString();

  // Moving the doctor to week 1 (with the etag) ends the overload.
  cv1::TimelineTemplate moved = *stored;
  for (cv1::TimelineItem& item : *moved.mutable_items()) {
    if (item.id() == "doctor") item.set_week_offset(1);
  }
  cv1::UpdateTimelineTemplateRequest update;
  *update.mutable_timeline_template() = moved;
  update.mutable_update_mask()->add_paths("items");
  auto updated = Call(*stub_, &CatalogueStub::UpdateTimelineTemplate,
                      coordinator_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  auto reanalysed = Call(*stub_, &CatalogueStub::AnalyzeTimelineTemplate,
                         coordinator_, analyze);
  ASSERT_TRUE(reanalysed.ok()) << reanalysed.status();
  EXPECT_THAT(reanalysed->overloaded_weeks(), IsEmpty());
  // The old etag is stale now.
  auto stale = Call(*stub_, &CatalogueStub::UpdateTimelineTemplate,
                    coordinator_, update);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted)
      << stale.status();

  // Organisations and volunteers see the timeline but do not change it.
  auto by_volunteer = StoreOverloadedTimeline(volunteer_);
  EXPECT_EQ(by_volunteer.status().code(), absl::StatusCode::kPermissionDenied)
      << by_volunteer.status();
}

TEST_F(CatalogueTimelineE2eTest, PersonalPlanFollowsTheNewcomerUntilErased) {
  ASSERT_TRUE(StoreOverloadedTimeline(caseworker_).ok());
  const rv1::Actor newcomer =
      MustCreateActor(Newcomer("Zainab", "Ahmadi", "Kærby"));
  ASSERT_FALSE(newcomer.name().empty());

  // The catalogue learns of the newcomer from the registry's events; until
  // then it answers FAILED_PRECONDITION, afterwards it makes the plan.
  absl::StatusOr<cv1::PersonalPlan> plan =
      CreatePlanOnceKnown(newcomer.name(), "2027-01-04");  // a Monday
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->newcomer(), newcomer.name());
  ASSERT_EQ(plan->items_size(), 6);
  std::vector<std::string> arrival_week;
  for (const cv1::PlannedItem& item : plan->items()) {
    if (item.week_offset() == 0) {
      arrival_week.push_back(item.item_id());
      EXPECT_EQ(item.week_start_date(), "2027-01-04");
      EXPECT_EQ(item.week_end_date(), "2027-01-10");
    }
    if (item.item_id() == "housing-course") {
      EXPECT_EQ(item.week_start_date(), "2027-01-18");
      EXPECT_EQ(item.owner(), "Røde Kors Kærby");
      EXPECT_FALSE(item.municipal_task());
    }
  }
  EXPECT_EQ(arrival_week.size(), 4u);

  // A plan for someone the registry does not know is refused.
  auto unknown = CreatePersonalPlan(
      caseworker_, absl::StrCat(Parent(municipality_), "/actors/987654"),
      "2027-01-04");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kFailedPrecondition)
      << unknown.status();

  // The plan as a calendar: one all-week event per item.
  cv1::ExportPersonalPlanCalendarRequest export_plan;
  export_plan.set_name(plan->name());
  auto exported = Call(*stub_, &CatalogueStub::ExportPersonalPlanCalendar,
                       caseworker_, export_plan);
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_TRUE(absl::StartsWith(exported->content_type(), "text/calendar"))
      << exported->content_type();
  absl::StatusOr<std::vector<std::string>> events =
      ReadICalendarWithPython(exported->data());
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(*events,
              UnorderedElementsAre(
                  "Welcome meeting|-|2027-01-04T00:00:00+01:00",
                  "Open a bank account|-|2027-01-04T00:00:00+01:00",
                  "Register with a doctor|-|2027-01-04T00:00:00+01:00",
                  "Start at the language school|-|2027-01-04T00:00:00+01:00",
                  "Housing course: living healthily|-|"
                  "2027-01-18T00:00:00+01:00",
                  "Language café|-|2027-02-15T00:00:00+01:00"));

  // Erased in the registry: the catalogue deletes the plan too.
  ASSERT_TRUE(DeleteActor(newcomer.name()).ok());
  absl::StatusOr<cv1::PersonalPlan> after = *plan;
  Eventually([&] {
    after = GetPersonalPlan(caseworker_, plan->name());
    return absl::IsNotFound(after.status());
  });
  EXPECT_EQ(after.status().code(), absl::StatusCode::kNotFound)
      << "the plan of an erased newcomer is still there after "
      << kFollowTimeout << ": " << after.status();
  cv1::ListPersonalPlansRequest list;
  list.set_parent(Parent(municipality_));
  list.set_newcomer(newcomer.name());
  auto listed =
      Call(*stub_, &CatalogueStub::ListPersonalPlans, caseworker_, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(listed->personal_plans(), IsEmpty());
  // And no new plan can be made for them.
  auto again = CreatePersonalPlan(caseworker_, newcomer.name(), "2027-01-04");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition)
      << again.status();
}

// CalendarFile.event_count says how many events an exported plan holds.
TEST_F(CatalogueTimelineE2eTest, PlanCalendarCountsItsEvents) {
  ASSERT_TRUE(StoreOverloadedTimeline(caseworker_).ok());
  const rv1::Actor newcomer =
      MustCreateActor(Newcomer("Zainab", "Ahmadi", "Kærby"));
  ASSERT_FALSE(newcomer.name().empty());
  absl::StatusOr<cv1::PersonalPlan> plan =
      CreatePlanOnceKnown(newcomer.name(), "2027-01-04");
  ASSERT_TRUE(plan.ok()) << plan.status();
  cv1::ExportPersonalPlanCalendarRequest export_plan;
  export_plan.set_name(plan->name());
  auto exported = Call(*stub_, &CatalogueStub::ExportPersonalPlanCalendar,
                       caseworker_, export_plan);
  ASSERT_TRUE(exported.ok()) << exported.status();
  absl::StatusOr<std::vector<std::string>> events =
      ReadICalendarWithPython(exported->data());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 6u);
  EXPECT_EQ(exported->event_count(), 6)
      << "CalendarFile.event_count does not count the plan's events";
}

}  // namespace
}  // namespace brobygger::test
