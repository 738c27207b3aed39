// End-to-end: the catalogue follows the registry. Organisers are whatever
// the registry says they are: renamed there, renamed in every activity;
// deleted there, their activities end; unknown or single persons, refused
// with a BadRequest naming activity.organiser.
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
using ::testing::Not;

class CatalogueRegistryE2eTest : public CatalogueE2eTest {};

TEST_F(CatalogueRegistryE2eTest, RenamingTheOrganiserRenamesItsActivities) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  const cv1::Activity cafe = MustCreateActivity(LanguageCafe(red_cross.name()));
  cv1::Activity dinner = LanguageCafe(red_cross.name());
  dinner.set_display_name("Fællesspisning");
  dinner.set_category(cv1::CATEGORY_COMMUNAL_DINING);
  const cv1::Activity dining = MustCreateActivity(dinner);
  ASSERT_FALSE(HasFailure());

  ASSERT_TRUE(RenameActor(red_cross, "Røde Kors, Aalborg Øst").ok());

  for (const cv1::Activity& activity : {cafe, dining}) {
    const cv1::Activity seen =
        AwaitActivity(activity.name(), [](const cv1::Activity& a) {
          return a.organiser_display_name() == "Røde Kors, Aalborg Øst";
        });
    EXPECT_EQ(seen.organiser_display_name(), "Røde Kors, Aalborg Øst")
        << activity.name() << " still shows the old organiser name after "
        << kFollowTimeout;
    // Nothing else changed.
    EXPECT_EQ(seen.display_name(), activity.display_name());
    EXPECT_EQ(seen.state(), cv1::ACTIVITY_STATE_PUBLISHED);
  }
  // Searches show the new name too.
  auto found = Search(volunteer_, cv1::ActivityQuery());
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->results_size(), 2);
  for (const cv1::SearchResult& result : found->results()) {
    EXPECT_EQ(result.activity().organiser_display_name(),
              "Røde Kors, Aalborg Øst");
  }
  // New activities get the new name at once.
  const cv1::Activity later =
      MustCreateActivity(LanguageCafe(red_cross.name()));
  EXPECT_EQ(later.organiser_display_name(), "Røde Kors, Aalborg Øst");
}

TEST_F(CatalogueRegistryE2eTest, DeletingTheOrganiserEndsItsActivities) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  const rv1::Actor church = MustCreateActor(
      Organisation(rv1::ACTOR_KIND_FAITH_COMMUNITY, "Kærby Kirke", {"Kærby"}));
  ASSERT_FALSE(HasFailure());
  const cv1::Activity cafe = MustCreateActivity(LanguageCafe(red_cross.name()));
  cv1::Activity choir = LanguageCafe(church.name());
  choir.set_display_name("Internationalt kor");
  choir.set_category(cv1::CATEGORY_CULTURE);
  // The deleted organisation only co-organises this one: it stays on.
  choir.add_co_organisers(red_cross.name());
  const cv1::Activity singing = MustCreateActivity(choir);
  ASSERT_FALSE(HasFailure());

  // The registry knows nothing of activities: the deletion is not blocked.
  ASSERT_TRUE(DeleteActor(red_cross.name()).ok());

  const cv1::Activity ended =
      AwaitActivity(cafe.name(), [](const cv1::Activity& a) {
        return a.state() == cv1::ACTIVITY_STATE_ENDED;
      });
  EXPECT_EQ(ended.state(), cv1::ACTIVITY_STATE_ENDED)
      << "the activity of a deleted organiser did not end within "
      << kFollowTimeout;
  // Kept for the record, but no longer offered.
  EXPECT_THAT(FoundNames(cv1::ActivityQuery()), Not(Contains(cafe.name())));

  const cv1::Activity kept = AwaitActivity(
      singing.name(),
      [](const cv1::Activity& a) { return a.co_organisers().empty(); });
  EXPECT_THAT(kept.co_organisers(), IsEmpty());
  EXPECT_EQ(kept.state(), cv1::ACTIVITY_STATE_PUBLISHED);
  EXPECT_THAT(FoundNames(cv1::ActivityQuery()), ElementsAre(singing.name()));

  // And it cannot organise anything new.
  absl::StatusOr<cv1::Activity> refused =
      CreateActivity(coordinator_, LanguageCafe(red_cross.name()));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
      << refused.status();
  EXPECT_THAT(ViolatedFields(refused.status()), Contains("activity.organiser"));
}

TEST_F(CatalogueRegistryE2eTest, UnknownOrganiserIsABadRequest) {
  // Make sure the catalogue follows the municipality already, so the
  // refusal is not a matter of timing.
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(
      MustCreateActivity(LanguageCafe(red_cross.name())).name().empty());

  const absl::Time start = absl::Now();
  absl::StatusOr<cv1::Activity> refused = CreateActivity(
      coordinator_,
      LanguageCafe(absl::StrCat(Parent(municipality_), "/actors/987654")));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
      << refused.status();
  // The details travel in the grpc-status-details-bin trailer as a
  // google.rpc.BadRequest naming the field.
  EXPECT_THAT(ViolatedFields(refused.status()),
              ElementsAre("activity.organiser"));
  // It waited for the registry a bounded time, not forever.
  EXPECT_LT(absl::Now() - start, kCallTimeout);

  // A single person cannot organise (their name would be published).
  const rv1::Actor volunteer =
      MustCreateActor(Volunteer("Hans Jensen", {"Kærby"}));
  ASSERT_FALSE(volunteer.name().empty());
  absl::StatusOr<cv1::Activity> person =
      CreateActivity(coordinator_, LanguageCafe(volunteer.name()));
  EXPECT_EQ(person.status().code(), absl::StatusCode::kInvalidArgument)
      << person.status();
  EXPECT_THAT(ViolatedFields(person.status()),
              ElementsAre("activity.organiser"));

  // Nor can an organisation of another municipality.
  absl::StatusOr<cv1::Activity> foreign = CreateActivity(
      coordinator_,
      LanguageCafe(absl::StrCat(Parent(other_municipality_), "/actors/1")));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kInvalidArgument)
      << foreign.status();
  EXPECT_THAT(ViolatedFields(foreign.status()),
              ElementsAre("activity.organiser"));
}

}  // namespace
}  // namespace brobygger::test
