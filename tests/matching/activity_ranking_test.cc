// Activity suggestions for a newcomer, the ranking alone: which activities
// come first, which are left out, and the reasons given.
#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/matching/activity_suggestions.h"

namespace brobygger::matching {
namespace {

namespace cv1 = ::brobygger::catalogue::v1;
namespace rv1 = ::brobygger::registry::v1;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

// An Arabic speaker in Kærby, learning Danish, with children aged 8 and 11,
// who needs help with homework, a job and the bank and likes football.
rv1::Actor Newcomer() {
  rv1::Actor actor;
  actor.add_areas("Kærby");
  rv1::LanguageSkill* ar = actor.add_languages();
  ar->set_code("ar");
  ar->set_mother_tongue(true);
  ar->set_proficiency(rv1::PROFICIENCY_NATIVE);
  rv1::LanguageSkill* da = actor.add_languages();
  da->set_code("da");
  da->set_proficiency(rv1::PROFICIENCY_BASIC);
  actor.add_interests("football");
  rv1::NewcomerProfile* profile = actor.mutable_newcomer();
  profile->add_needs("homework");
  profile->add_needs("job");
  profile->add_needs("bank");
  profile->set_gender(rv1::GENDER_FEMALE);
  profile->mutable_household()->add_children_ages(8);
  profile->mutable_household()->add_children_ages(11);
  return actor;
}

// A published civil offer held in Danish, next in a month.
cv1::SearchResult Activity(const std::string& id, const std::string& area,
                           cv1::Category category,
                           absl::Duration next_in = absl::Hours(24 * 30)) {
  cv1::SearchResult result;
  cv1::Activity* activity = result.mutable_activity();
  activity->set_name("municipalities/aalborg/activities/" + id);
  activity->set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
  activity->set_display_name("Activity " + id);
  activity->set_state(cv1::ACTIVITY_STATE_PUBLISHED);
  activity->set_category(category);
  activity->add_languages("da");
  activity->mutable_place()->set_area(area);
  const absl::Time next = kNow + next_in;
  result.mutable_next_occurrence()->mutable_start_time()->set_seconds(
      absl::ToUnixSeconds(next));
  result.mutable_next_occurrence()->set_local_start_time(
      absl::FormatTime("%Y-%m-%dT%H:%M:%S", next, absl::UTCTimeZone()));
  return result;
}

void ForChildren(cv1::SearchResult& result, int min_age, int max_age) {
  cv1::TargetGroup* group = result.mutable_activity()->add_target_groups();
  group->set_kind(cv1::TargetGroup::KIND_CHILDREN);
  group->set_min_age(min_age);
  group->set_max_age(max_age);
}

void For(cv1::SearchResult& result, cv1::TargetGroup::Kind kind) {
  result.mutable_activity()->add_target_groups()->set_kind(kind);
}

std::string Id(const v1::ActivitySuggestion& suggestion) {
  const std::string& name = suggestion.activity().name();
  return name.substr(name.rfind('/') + 1);
}

std::vector<std::string> Ids(const std::vector<v1::ActivitySuggestion>& list) {
  std::vector<std::string> out;
  for (const auto& suggestion : list) out.push_back(Id(suggestion));
  return out;
}

const v1::ActivitySuggestion* Find(
    const std::vector<v1::ActivitySuggestion>& list, const std::string& id) {
  for (const auto& suggestion : list) {
    if (Id(suggestion) == id) return &suggestion;
  }
  return nullptr;
}

TEST(ActivityRankingTest, TheNewcomersTownComesBeforeElsewhere) {
  // Identical sport activities, one in the newcomer's town (spelt without
  // the Danish letter, as people type it).
  const auto ranked = RankActivities(
      Newcomer(),
      {Activity("elsewhere", "Vejgaard", cv1::CATEGORY_SPORT_AND_LEISURE),
       Activity("here", "kaerby", cv1::CATEGORY_SPORT_AND_LEISURE)},
      kNow);
  ASSERT_THAT(Ids(ranked), ElementsAre("here", "elsewhere"));
  EXPECT_GT(ranked[0].score(), ranked[1].score());
  EXPECT_THAT(ranked[0].reasons(),
              Contains("in Kærby, where the newcomer lives"));
  EXPECT_THAT(ranked[1].reasons(), Not(Contains(HasSubstr("where the "))));
}

TEST(ActivityRankingTest, HeldInTheNewcomersLanguage) {
  cv1::SearchResult arabic =
      Activity("arabic", "Vejgaard", cv1::CATEGORY_OTHER);
  arabic.mutable_activity()->add_languages("ar-SY");
  cv1::SearchResult danish =
      Activity("danish", "Vejgaard", cv1::CATEGORY_OTHER);
  cv1::SearchResult ukrainian =
      Activity("ukrainian", "Kærby", cv1::CATEGORY_OTHER);
  ukrainian.mutable_activity()->clear_languages();
  ukrainian.mutable_activity()->add_languages("uk");

  const auto ranked =
      RankActivities(Newcomer(), {danish, ukrainian, arabic}, kNow);
  EXPECT_THAT(Ids(ranked), ElementsAre("arabic"))
      << "a Danish activity elsewhere earns nothing; one held only in "
         "Ukrainian is no use to an Arabic speaker, even in their town";
  EXPECT_THAT(ranked[0].reasons(),
              Contains("held in Arabic, which the newcomer speaks"));
}

TEST(ActivityRankingTest, LanguageCafeForSomeoneLearningDanish) {
  const cv1::SearchResult cafe =
      Activity("cafe", "Vejgaard", cv1::CATEGORY_LANGUAGE_CAFE);
  const auto ranked = RankActivities(Newcomer(), {cafe}, kNow);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_THAT(ranked[0].reasons(), Contains(HasSubstr("practise Danish")));

  rv1::Actor fluent = Newcomer();
  fluent.mutable_languages(1)->set_proficiency(rv1::PROFICIENCY_FLUENT);
  EXPECT_THAT(RankActivities(fluent, {cafe}, kNow), IsEmpty())
      << "a fluent Danish speaker has no use for a language café elsewhere";
}

TEST(ActivityRankingTest, CategoriesThatMeetTheNeedsCount) {
  const auto ranked = RankActivities(
      Newcomer(),
      {Activity("culture", "Vejgaard", cv1::CATEGORY_CULTURE),
       Activity("jobs", "Vejgaard", cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS),
       Activity("money", "Vejgaard", cv1::CATEGORY_COUNSELLING),
       Activity("housing", "Vejgaard", cv1::CATEGORY_HOUSING)},
      kNow);
  EXPECT_THAT(Ids(ranked), ElementsAre("jobs", "money"))
      << "culture and housing meet none of the needs";
  EXPECT_THAT(ranked[0].reasons(),
              Contains(HasSubstr("employment and internships, which meets "
                                 "the newcomer's need: job")));
  EXPECT_THAT(ranked[1].reasons(), Contains(HasSubstr("need: bank")));
}

TEST(ActivityRankingTest, NeedsWithoutACategoryAreFoundInTheText) {
  rv1::Actor newcomer = Newcomer();
  newcomer.mutable_newcomer()->add_needs("bus");
  cv1::SearchResult cycling =
      Activity("cycling", "Vejgaard", cv1::CATEGORY_OTHER);
  cycling.mutable_activity()->set_display_name("Cykelkursus for kvinder");
  cv1::SearchResult knitting =
      Activity("knitting", "Vejgaard", cv1::CATEGORY_OTHER);
  knitting.mutable_activity()->set_display_name("Strikkeklub");

  const auto ranked = RankActivities(newcomer, {knitting, cycling}, kNow);
  ASSERT_THAT(Ids(ranked), ElementsAre("cycling"));
  EXPECT_THAT(ranked[0].reasons(), Contains(HasSubstr("bus")));
}

TEST(ActivityRankingTest, ActivitiesForTheChildrensAges) {
  cv1::SearchResult homework =
      Activity("homework", "Vejgaard", cv1::CATEGORY_HOMEWORK_HELP);
  ForChildren(homework, 6, 12);
  cv1::SearchResult teens =
      Activity("teens", "Vejgaard", cv1::CATEGORY_HOMEWORK_HELP);
  ForChildren(teens, 14, 17);
  cv1::SearchResult toddlers =
      Activity("toddlers", "Kærby", cv1::CATEGORY_SPORT_AND_LEISURE);
  ForChildren(toddlers, 0, 5);
  cv1::SearchResult families =
      Activity("families", "Vejgaard", cv1::CATEGORY_COMMUNAL_DINING);
  For(families, cv1::TargetGroup::KIND_FAMILIES);

  const auto ranked =
      RankActivities(Newcomer(), {toddlers, families, teens, homework}, kNow);
  EXPECT_THAT(Ids(ranked), ElementsAre("homework", "families"))
      << "toddlers' sport (even in their town) and homework help for ages "
         "14-17 are for nobody in the household";
  EXPECT_THAT(ranked[0].reasons(),
              Contains("homework help for ages 6-12, fits the children aged 8 "
                       "and 11"));
  EXPECT_THAT(ranked[1].reasons(),
              Contains("for families, and the newcomer has children"));

  rv1::Actor childless = Newcomer();
  childless.mutable_newcomer()->mutable_household()->clear_children_ages();
  EXPECT_THAT(Ids(RankActivities(childless, {homework, families}, kNow)),
              IsEmpty());
}

TEST(ActivityRankingTest, GroupsForTheOtherGenderAreLeftOut) {
  cv1::SearchResult women = Activity("women", "Kærby", cv1::CATEGORY_OTHER);
  For(women, cv1::TargetGroup::KIND_WOMEN);
  cv1::SearchResult men = Activity("men", "Kærby", cv1::CATEGORY_OTHER);
  For(men, cv1::TargetGroup::KIND_MEN);
  const auto ranked = RankActivities(Newcomer(), {men, women}, kNow);
  EXPECT_THAT(Ids(ranked), ElementsAre("women"));
}

TEST(ActivityRankingTest, InterestsAndSoonOccurrencesAddAReason) {
  const auto ranked = RankActivities(
      Newcomer(),
      {Activity("later", "Kærby", cv1::CATEGORY_SPORT_AND_LEISURE,
                absl::Hours(24 * 30)),
       Activity("soon", "Kærby", cv1::CATEGORY_SPORT_AND_LEISURE,
                absl::Hours(24 * 3))},
      kNow);
  ASSERT_THAT(Ids(ranked), ElementsAre("soon", "later"));
  EXPECT_GT(ranked[0].score(), ranked[1].score());
  EXPECT_THAT(ranked[0].reasons(),
              Contains("fits the newcomer's interest: football"));
  EXPECT_THAT(ranked[0].reasons(), Contains(HasSubstr("next on ")));
  EXPECT_THAT(ranked[1].reasons(), Not(Contains(HasSubstr("next on "))));
}

TEST(ActivityRankingTest, TiesGoToTheSoonerThenByNameWhateverTheInputOrder) {
  std::vector<cv1::SearchResult> input = {
      Activity("b", "Kærby", cv1::CATEGORY_OTHER, absl::Hours(24 * 40)),
      Activity("c", "Kærby", cv1::CATEGORY_OTHER, absl::Hours(24 * 20)),
      Activity("a", "Kærby", cv1::CATEGORY_OTHER, absl::Hours(24 * 40)),
      Activity("d", "Kærby", cv1::CATEGORY_OTHER, absl::Hours(24 * 40))};
  std::sort(input.begin(), input.end(), [](const auto& x, const auto& y) {
    return x.activity().name() < y.activity().name();
  });
  do {
    EXPECT_THAT(Ids(RankActivities(Newcomer(), input, kNow)),
                ElementsAre("c", "a", "b", "d"));
  } while (std::next_permutation(
      input.begin(), input.end(), [](const auto& x, const auto& y) {
        return x.activity().name() < y.activity().name();
      }));
}

TEST(ActivityRankingTest, EverySuggestionHasReasonsAndAnActivityCountsOnce) {
  cv1::SearchResult homework =
      Activity("homework", "Kærby", cv1::CATEGORY_HOMEWORK_HELP);
  const auto ranked = RankActivities(
      Newcomer(),
      {homework,
       Activity("jobs", "Vejgaard", cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS),
       homework},
      kNow);
  EXPECT_THAT(Ids(ranked), ElementsAre("homework", "jobs"));
  for (const auto& suggestion : ranked) {
    EXPECT_THAT(suggestion.reasons(), Not(IsEmpty())) << Id(suggestion);
    EXPECT_GT(suggestion.score(), 0) << Id(suggestion);
  }
  ASSERT_NE(Find(ranked, "homework"), nullptr);
  EXPECT_EQ(Find(ranked, "homework")->activity().display_name(),
            "Activity homework")
      << "the suggestion carries the whole activity";
}

TEST(ActivityRankingTest, PausedPastAndMunicipalActivitiesAreLeftOut) {
  cv1::SearchResult paused =
      Activity("paused", "Kærby", cv1::CATEGORY_HOMEWORK_HELP);
  paused.mutable_activity()->set_state(cv1::ACTIVITY_STATE_PAUSED);
  cv1::SearchResult over =
      Activity("over", "Kærby", cv1::CATEGORY_HOMEWORK_HELP);
  over.clear_next_occurrence();
  cv1::SearchResult task =
      Activity("task", "Kærby", cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS);
  task.mutable_activity()->set_kind(cv1::ACTIVITY_KIND_MUNICIPAL_TASK);
  EXPECT_THAT(RankActivities(Newcomer(), {paused, over, task}, kNow),
              IsEmpty());
}

}  // namespace
}  // namespace brobygger::matching
