// The representation balance of a forum, without storage: who counts on
// which side, where "balanced" starts, and the warnings people act on.
#include <string>

#include "gtest/gtest.h"
#include "services/registry/forum_representation.h"

namespace brobygger::registry {
namespace {

namespace v1 = ::brobygger::registry::v1;

v1::Forum WithMembers(int municipal, int civil,
                      v1::ForumKind kind = v1::FORUM_KIND_NETWORK_GROUP) {
  v1::Forum forum;
  forum.set_kind(kind);
  for (int i = 0; i < municipal; ++i) {
    forum.add_members()->set_sector(v1::SECTOR_MUNICIPAL);
  }
  for (int i = 0; i < civil; ++i) {
    forum.add_members()->set_sector(v1::SECTOR_CIVIL_SOCIETY);
  }
  return forum;
}

void MeetsAt(v1::Forum* forum, v1::DayOfWeek day, int hours, int minutes) {
  v1::WeeklyWindow* time =
      forum->mutable_terms_of_reference()->mutable_meeting_time();
  time->set_day(day);
  time->mutable_start_time()->set_hours(hours);
  time->mutable_start_time()->set_minutes(minutes);
  time->mutable_end_time()->set_hours(hours + 2);
}

TEST(RepresentationTest, AalborgSteeringGroupIsBalanced) {
  const v1::Representation r = ComputeRepresentation(WithMembers(7, 10));
  EXPECT_EQ(r.municipal_members(), 7);
  EXPECT_EQ(r.civil_society_members(), 10);
  EXPECT_NEAR(r.civil_society_share(), 10.0 / 17, 1e-12);
  EXPECT_TRUE(r.balanced());
  EXPECT_EQ(r.warnings_size(), 0);
}

TEST(RepresentationTest, TwoCivilOfNineIsUnbalanced) {
  const v1::Representation r = ComputeRepresentation(WithMembers(7, 2));
  EXPECT_FALSE(r.balanced());
  EXPECT_NEAR(r.civil_society_share(), 2.0 / 9, 1e-12);
  ASSERT_EQ(r.warnings_size(), 1);
  EXPECT_EQ(r.warnings(0),
            "only 2 of 9 members are from civil society: civil actors drop "
            "out when meetings become internal municipal talk");
}

TEST(RepresentationTest, ExactlyAThirdIsBalanced) {
  EXPECT_TRUE(ComputeRepresentation(WithMembers(2, 1)).balanced());
  EXPECT_TRUE(ComputeRepresentation(WithMembers(1, 2)).balanced());
  EXPECT_TRUE(ComputeRepresentation(WithMembers(6, 3)).balanced());
  // Just under a third.
  EXPECT_FALSE(ComputeRepresentation(WithMembers(7, 3)).balanced());
  EXPECT_FALSE(ComputeRepresentation(WithMembers(3, 7)).balanced());
}

TEST(RepresentationTest, OneSidedForumsAreUnbalanced) {
  const v1::Representation municipal_only =
      ComputeRepresentation(WithMembers(5, 0));
  EXPECT_FALSE(municipal_only.balanced());
  EXPECT_EQ(municipal_only.civil_society_share(), 0);
  ASSERT_EQ(municipal_only.warnings_size(), 1);
  EXPECT_EQ(municipal_only.warnings(0).rfind(
                "none of the 5 members is from civil society", 0),
            0u)
      << municipal_only.warnings(0);

  const v1::Representation civil_only =
      ComputeRepresentation(WithMembers(0, 1));
  EXPECT_FALSE(civil_only.balanced());
  EXPECT_EQ(civil_only.civil_society_share(), 1);
  ASSERT_EQ(civil_only.warnings_size(), 1);
  EXPECT_EQ(civil_only.warnings(0).rfind(
                "the one member is not from the municipality", 0),
            0u)
      << civil_only.warnings(0);

  const v1::Representation few_municipal =
      ComputeRepresentation(WithMembers(1, 8));
  ASSERT_EQ(few_municipal.warnings_size(), 1);
  EXPECT_EQ(few_municipal.warnings(0).rfind(
                "only 1 of 9 members is from the municipality", 0),
            0u)
      << few_municipal.warnings(0);
}

TEST(RepresentationTest, EmptyForumIsNotBalanced) {
  const v1::Representation r = ComputeRepresentation(WithMembers(0, 0));
  EXPECT_FALSE(r.balanced());
  EXPECT_EQ(r.civil_society_share(), 0);
  ASSERT_EQ(r.warnings_size(), 1);
  EXPECT_NE(r.warnings(0).find("no members"), std::string::npos);
}

TEST(RepresentationTest, WeekdayMeetingsBeforeFourAreFlagged) {
  v1::Forum forum = WithMembers(2, 2);
  MeetsAt(&forum, v1::DAY_OF_WEEK_MONDAY, 10, 0);
  v1::Representation r = ComputeRepresentation(forum);
  ASSERT_EQ(r.warnings_size(), 1);
  EXPECT_EQ(r.warnings(0),
            "meets on a weekday at 10:00: volunteers are mostly free in the "
            "evening and at weekends");

  MeetsAt(&forum, v1::DAY_OF_WEEK_FRIDAY, 15, 59);
  r = ComputeRepresentation(forum);
  ASSERT_EQ(r.warnings_size(), 1);
  EXPECT_NE(r.warnings(0).find("at 15:59"), std::string::npos);

  MeetsAt(&forum, v1::DAY_OF_WEEK_WEDNESDAY, 16, 0);
  EXPECT_EQ(ComputeRepresentation(forum).warnings_size(), 0);
  MeetsAt(&forum, v1::DAY_OF_WEEK_SATURDAY, 10, 0);
  EXPECT_EQ(ComputeRepresentation(forum).warnings_size(), 0);
  MeetsAt(&forum, v1::DAY_OF_WEEK_SUNDAY, 9, 30);
  EXPECT_EQ(ComputeRepresentation(forum).warnings_size(), 0);
}

TEST(RepresentationTest, CoordinationForumWithoutCoordinatorIsFlagged) {
  v1::Forum forum = WithMembers(3, 3, v1::FORUM_KIND_COORDINATION_FORUM);
  v1::Representation r = ComputeRepresentation(forum);
  ASSERT_EQ(r.warnings_size(), 1);
  EXPECT_NE(r.warnings(0).find("no coordinator"), std::string::npos);

  forum.set_coordinator("municipalities/aalborg/actors/3");
  EXPECT_EQ(ComputeRepresentation(forum).warnings_size(), 0);
  // Working groups need no named coordinator.
  EXPECT_EQ(
      ComputeRepresentation(WithMembers(3, 3, v1::FORUM_KIND_WORKING_GROUP))
          .warnings_size(),
      0);
}

}  // namespace
}  // namespace brobygger::registry
