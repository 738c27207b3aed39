// Activity suggestions for a newcomer: which activities come first, and
// the reasons given.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/matching/activity_suggestions.h"

namespace brobygger::matching {
namespace {

namespace cv1 = ::brobygger::catalogue::v1;
namespace rv1 = ::brobygger::registry::v1;
using ::testing::Contains;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

rv1::Actor Newcomer() {
  rv1::Actor actor;
  actor.add_areas("Kærby");
  rv1::LanguageSkill* ar = actor.add_languages();
  ar->set_code("ar");
  ar->set_mother_tongue(true);
  ar->set_proficiency(rv1::PROFICIENCY_NATIVE);
  actor.add_interests("football");
  actor.mutable_newcomer()->add_needs("homework");
  actor.mutable_newcomer()->mutable_household()->add_children_ages(9);
  return actor;
}

cv1::SearchResult Activity(const std::string& id, const std::string& area,
                           cv1::Category category,
                           absl::Duration next_in = absl::Hours(24 * 30)) {
  cv1::SearchResult result;
  cv1::Activity* activity = result.mutable_activity();
  activity->set_name("municipalities/aalborg/activities/" + id);
  activity->set_state(cv1::ACTIVITY_STATE_PUBLISHED);
  activity->set_category(category);
  activity->add_languages("da");
  activity->mutable_place()->set_area(area);
  const absl::Time next = kNow + next_in;
  result.mutable_next_occurrence()->mutable_start_time()->set_seconds(
      absl::ToUnixSeconds(next));
  result.mutable_next_occurrence()->set_local_start_time("2026-12-01T17:00:00");
  return result;
}

std::vector<std::string> Names(
    const std::vector<v1::ActivitySuggestion>& list) {
  std::vector<std::string> out;
  for (const auto& suggestion : list)
    out.push_back(suggestion.activity().name());
  return out;
}

TEST(ActivityRankingTest, TownNeedsLanguageAndChildrenCount) {
  cv1::SearchResult homework_here =
      Activity("1", "kaerby", cv1::CATEGORY_HOMEWORK_HELP);
  cv1::TargetGroup* kids =
      homework_here.mutable_activity()->add_target_groups();
  kids->set_kind(cv1::TargetGroup::KIND_CHILDREN);
  kids->set_min_age(6);
  kids->set_max_age(12);
  cv1::SearchResult arabic_elsewhere =
      Activity("2", "Vejgaard", cv1::CATEGORY_MEETING_PLACE);
  arabic_elsewhere.mutable_activity()->add_languages("ar");
  cv1::SearchResult football_here =
      Activity("3", "Kærby", cv1::CATEGORY_SPORT_AND_LEISURE);
  cv1::SearchResult unrelated =
      Activity("4", "Vejgaard", cv1::CATEGORY_HOUSING);

  const auto ranked = RankActivities(
      Newcomer(), {unrelated, football_here, arabic_elsewhere, homework_here},
      kNow);
  EXPECT_EQ(Names(ranked),
            (std::vector<std::string>{homework_here.activity().name(),
                                      football_here.activity().name(),
                                      arabic_elsewhere.activity().name()}))
      << "the housing course elsewhere fits nothing and is left out";
  EXPECT_THAT(ranked[0].reasons(), Contains(HasSubstr("in Kærby, where")));
  EXPECT_THAT(ranked[0].reasons(), Contains(HasSubstr("homework")));
  EXPECT_THAT(ranked[0].reasons(), Contains(HasSubstr("children aged 6-12")));
  EXPECT_THAT(ranked[2].reasons(), Contains(HasSubstr("held in Arabic")));
}

TEST(ActivityRankingTest, SoonerWinsTiesThenName) {
  const auto ranked = RankActivities(
      Newcomer(),
      {Activity("b", "Kærby", cv1::CATEGORY_OTHER, absl::Hours(24 * 40)),
       Activity("c", "Kærby", cv1::CATEGORY_OTHER, absl::Hours(24 * 20)),
       Activity("a", "Kærby", cv1::CATEGORY_OTHER, absl::Hours(24 * 40))},
      kNow);
  EXPECT_EQ(Names(ranked),
            (std::vector<std::string>{"municipalities/aalborg/activities/c",
                                      "municipalities/aalborg/activities/a",
                                      "municipalities/aalborg/activities/b"}));
}

TEST(ActivityRankingTest, PausedAndPastActivitiesAreLeftOut) {
  cv1::SearchResult paused =
      Activity("1", "Kærby", cv1::CATEGORY_HOMEWORK_HELP);
  paused.mutable_activity()->set_state(cv1::ACTIVITY_STATE_PAUSED);
  cv1::SearchResult over = Activity("2", "Kærby", cv1::CATEGORY_HOMEWORK_HELP);
  over.clear_next_occurrence();
  EXPECT_TRUE(RankActivities(Newcomer(), {paused, over}, kNow).empty());
}

TEST(ActivityRankingTest, LanguageCafeForSomeoneLearningDanish) {
  const auto ranked = RankActivities(
      Newcomer(), {Activity("1", "Vejgaard", cv1::CATEGORY_LANGUAGE_CAFE)},
      kNow);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_THAT(ranked[0].reasons(), Contains(HasSubstr("practise Danish")));
}

}  // namespace
}  // namespace brobygger::matching
