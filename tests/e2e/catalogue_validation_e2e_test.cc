// End-to-end: bad input is answered with INVALID_ARGUMENT and a
// google.rpc.BadRequest naming the offending field, so clients can show
// the user what to fix.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/catalogue_e2e_fixture.h"

namespace brobygger::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class CatalogueValidationE2eTest : public CatalogueE2eTest {};

TEST_F(CatalogueValidationE2eTest, InvalidRecurrenceRuleNamesTheRule) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  for (const std::string& rule :
       {std::string("FREQ=SOMETIMES"), std::string("FREQ=WEEKLY;BYDAY=XX"),
        std::string("BYDAY=TU"), std::string("FREQ=WEEKLY;COUNT=-1")}) {
    cv1::Activity activity = LanguageCafe(red_cross.name());
    activity.mutable_schedule()->set_rrule(rule);
    absl::StatusOr<cv1::Activity> refused =
        CreateActivity(coordinator_, activity);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << rule << ": " << refused.status();
    EXPECT_THAT(ViolatedFields(refused.status()),
                ElementsAre("activity.schedule.rrule"))
        << rule << ": " << refused.status();
  }
  // Nothing was stored.
  cv1::ListActivitiesRequest list;
  list.set_parent(Parent(municipality_));
  auto listed =
      Call(*stub_, &CatalogueStub::ListActivities, coordinator_, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(listed->activities(), IsEmpty());
}

TEST_F(CatalogueValidationE2eTest, EveryMissingFieldIsNamedAtOnce) {
  cv1::Activity empty;
  empty.set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
  absl::StatusOr<cv1::Activity> refused = CreateActivity(coordinator_, empty);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
      << refused.status();
  const std::vector<std::string> fields = ViolatedFields(refused.status());
  for (const char* field :
       {"activity.display_name", "activity.organiser", "activity.category",
        "activity.place", "activity.schedule", "activity.price"}) {
    EXPECT_THAT(fields, Contains(field)) << refused.status();
  }
}

TEST_F(CatalogueValidationE2eTest, SearchWindowOfTenYearsIsRefused) {
  cv1::ActivityQuery query;
  const absl::Time start = absl::Now();
  *query.mutable_window_start_time() = TimestampOf(start);
  *query.mutable_window_end_time() =
      TimestampOf(start + absl::Hours(24 * 3652));
  auto refused = Search(volunteer_, query);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
      << refused.status();
  EXPECT_THAT(ViolatedFields(refused.status()),
              ElementsAre("query.window_end_time"));

  // 400 days is the longest window allowed.
  *query.mutable_window_end_time() = TimestampOf(start + absl::Hours(24 * 400));
  EXPECT_TRUE(Search(volunteer_, query).ok());
}

TEST_F(CatalogueValidationE2eTest, OccurrenceWindowsAreBounded) {
  cv1::ListOccurrencesRequest list;
  list.set_parent(Parent(municipality_));
  auto unbounded =
      Call(*stub_, &CatalogueStub::ListOccurrences, volunteer_, list);
  EXPECT_EQ(unbounded.status().code(), absl::StatusCode::kInvalidArgument)
      << unbounded.status();
  EXPECT_THAT(ViolatedFields(unbounded.status()),
              ElementsAre("start_time", "end_time"));

  *list.mutable_start_time() = Rfc3339("2030-01-01T00:00:00Z");
  *list.mutable_end_time() = Rfc3339("2031-02-06T00:00:00Z");  // 401 days
  auto too_long =
      Call(*stub_, &CatalogueStub::ListOccurrences, volunteer_, list);
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument)
      << too_long.status();
  EXPECT_THAT(ViolatedFields(too_long.status()), ElementsAre("end_time"));
}

TEST_F(CatalogueValidationE2eTest, HugePageSizeIsRefused) {
  auto refused = Search(volunteer_, cv1::ActivityQuery(), 1000000);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
      << refused.status();
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("page_size"));

  cv1::ListActivitiesRequest list;
  list.set_parent(Parent(municipality_));
  list.set_page_size(1000000);
  auto listed =
      Call(*stub_, &CatalogueStub::ListActivities, coordinator_, list);
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kInvalidArgument)
      << listed.status();
  EXPECT_THAT(ViolatedFields(listed.status()), ElementsAre("page_size"));

  // The documented maximum works.
  EXPECT_TRUE(Search(volunteer_, cv1::ActivityQuery(), 1000).ok());
}

TEST_F(CatalogueValidationE2eTest, MalformedNamesAreNamed) {
  auto got = GetActivity(coordinator_, "activities/12");
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument)
      << got.status();
  EXPECT_THAT(ViolatedFields(got.status()), ElementsAre("name"));

  cv1::SearchActivitiesRequest search;
  search.set_parent("municipalities/Not A Municipality");
  auto searched =
      Call(*stub_, &CatalogueStub::SearchActivities, coordinator_, search);
  EXPECT_EQ(searched.status().code(), absl::StatusCode::kInvalidArgument)
      << searched.status();
  EXPECT_THAT(ViolatedFields(searched.status()), ElementsAre("parent"));
}

}  // namespace
}  // namespace brobygger::test
