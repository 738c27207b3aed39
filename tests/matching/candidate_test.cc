// How registry actors and requests become what scoring compares: the
// volunteer's household, towns and tags; the newcomer's wishes, defaulting
// to their profile; and language names for the explanations.
#include "services/matching/candidate.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::matching {
namespace {

namespace rv1 = ::brobygger::registry::v1;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

rv1::WeeklyWindow Window(rv1::DayOfWeek day, int from_hour, int to_hour) {
  rv1::WeeklyWindow window;
  window.set_day(day);
  window.mutable_start_time()->set_hours(from_hour);
  window.mutable_end_time()->set_hours(to_hour);
  return window;
}

// A reception-corps volunteer as the registry stores one.
rv1::Actor CorpsVolunteer() {
  rv1::Actor actor;
  actor.set_name("municipalities/kolding/actors/12");
  actor.set_kind(rv1::ACTOR_KIND_VOLUNTEER);
  actor.set_display_name("Semhar");
  actor.set_parent("municipalities/kolding/actors/3");
  actor.add_areas("Kærby");
  actor.add_areas("Vamdrup");
  rv1::LanguageSkill* ti = actor.add_languages();
  ti->set_code("ti");
  ti->set_proficiency(rv1::PROFICIENCY_NATIVE);
  ti->set_mother_tongue(true);
  rv1::LanguageSkill* ar = actor.add_languages();
  ar->set_code("ar-SY");
  ar->set_proficiency(rv1::PROFICIENCY_CONVERSATIONAL);
  actor.add_competences("Bank");
  actor.add_competences(" doctor ");
  actor.add_interests("Football");
  *actor.add_availability() = Window(rv1::DAY_OF_WEEK_TUESDAY, 17, 20);
  rv1::VolunteerProfile* volunteer = actor.mutable_volunteer();
  volunteer->set_capacity(3);
  volunteer->set_gender(rv1::GENDER_FEMALE);
  volunteer->set_former_refugee(true);
  volunteer->mutable_household()->add_children_ages(7);
  volunteer->mutable_household()->add_children_ages(12);
  return actor;
}

rv1::Actor Newcomer() {
  rv1::Actor actor;
  actor.set_name("municipalities/kolding/actors/200");
  actor.set_kind(rv1::ACTOR_KIND_NEWCOMER);
  actor.add_areas("Kærby");
  rv1::LanguageSkill* ti = actor.add_languages();
  ti->set_code("ti");
  ti->set_proficiency(rv1::PROFICIENCY_NATIVE);
  ti->set_mother_tongue(true);
  actor.add_interests("cooking");
  *actor.add_availability() = Window(rv1::DAY_OF_WEEK_MONDAY, 9, 12);
  rv1::NewcomerProfile* newcomer = actor.mutable_newcomer();
  newcomer->set_first_name("Yonas");
  newcomer->add_needs("bank");
  newcomer->add_needs("bus");
  newcomer->mutable_household()->add_children_ages(6);
  return actor;
}

TEST(CandidateTest, TakesWhatScoringNeedsFromTheVolunteer) {
  const Candidate candidate = CandidateFromActor(CorpsVolunteer());
  EXPECT_EQ(candidate.name, "municipalities/kolding/actors/12");
  EXPECT_EQ(candidate.display_name, "Semhar");
  EXPECT_EQ(candidate.organisation, "municipalities/kolding/actors/3");
  EXPECT_EQ(candidate.capacity, 3);
  EXPECT_EQ(candidate.gender, rv1::GENDER_FEMALE);
  EXPECT_TRUE(candidate.former_refugee);
  EXPECT_THAT(candidate.children_ages, ElementsAre(7, 12))
      << "from the volunteer's household, for network families";
  EXPECT_EQ(candidate.load, 0) << "the index sets the load";
}

TEST(CandidateTest, KeepsAreasAsWrittenAndFoldedForComparison) {
  const Candidate candidate = CandidateFromActor(CorpsVolunteer());
  EXPECT_THAT(candidate.areas, ElementsAre("Kærby", "Vamdrup"))
      << "explanations show the town as people write it";
  EXPECT_THAT(candidate.folded_areas, ElementsAre("kaerby", "vamdrup"))
      << "\"Kærby\" and \"KAERBY\" must compare equal";
}

TEST(CandidateTest, TagsAndLanguagesCompareIgnoringCaseAndRegion) {
  const Candidate candidate = CandidateFromActor(CorpsVolunteer());
  EXPECT_THAT(candidate.competences, ElementsAre("bank", "doctor"));
  EXPECT_THAT(candidate.interests, ElementsAre("football"));
  ASSERT_EQ(candidate.languages.size(), 2u);
  EXPECT_EQ(candidate.languages[0].code, "ti");
  EXPECT_TRUE(candidate.languages[0].mother_tongue);
  EXPECT_EQ(candidate.languages[1].code, "ar")
      << "a Syrian Arabic speaker speaks Arabic";
  EXPECT_EQ(candidate.languages[1].proficiency,
            rv1::PROFICIENCY_CONVERSATIONAL);
}

TEST(CandidateTest, AvailabilityBecomesMinutesOfTheWeek) {
  rv1::Actor actor = CorpsVolunteer();
  *actor.add_availability() = Window(rv1::DAY_OF_WEEK_UNSPECIFIED, 10, 12);
  *actor.add_availability() = Window(rv1::DAY_OF_WEEK_FRIDAY, 12, 10);
  const Candidate candidate = CandidateFromActor(actor);
  ASSERT_EQ(candidate.availability.size(), 1u)
      << "windows without a day or ending before they start are ignored";
  const int tuesday = 24 * 60;
  EXPECT_EQ(candidate.availability[0].start, tuesday + 17 * 60);
  EXPECT_EQ(candidate.availability[0].end, tuesday + 20 * 60);
}

TEST(CandidateTest, SeekerWishesDefaultToTheNewcomersProfile) {
  v1::VolunteerRequest request;
  request.set_kind(v1::MATCH_KIND_NETWORK_FAMILY);
  const Seeker seeker = SeekerFor(request, Newcomer());
  EXPECT_EQ(seeker.kind, v1::MATCH_KIND_NETWORK_FAMILY);
  EXPECT_THAT(seeker.needs, ElementsAre("bank", "bus"));
  EXPECT_THAT(seeker.interests, ElementsAre("cooking"));
  EXPECT_THAT(seeker.children_ages, ElementsAre(6));
  EXPECT_THAT(seeker.folded_areas, ElementsAre("kaerby"));
  ASSERT_EQ(seeker.languages.size(), 1u);
  EXPECT_TRUE(seeker.languages[0].mother_tongue);
  ASSERT_EQ(seeker.availability.size(), 1u);
  EXPECT_EQ(seeker.availability[0].start, 9 * 60) << "Monday 09:00";
  EXPECT_THAT(seeker.required_language, IsEmpty());
  EXPECT_THAT(seeker.folded_required_area, IsEmpty());
  EXPECT_EQ(seeker.required_gender, rv1::GENDER_UNSPECIFIED);
}

TEST(CandidateTest, ExplicitWishesReplaceTheProfile) {
  v1::VolunteerRequest request;
  request.set_kind(v1::MATCH_KIND_FRIENDSHIP_FAMILY);
  request.mutable_wishes()->add_needs("Homework");
  request.mutable_wishes()->add_interests("Chess");
  request.mutable_wishes()->add_children_ages(14);
  request.mutable_wishes()->add_children_ages(15);
  const Seeker seeker = SeekerFor(request, Newcomer());
  EXPECT_THAT(seeker.needs, ElementsAre("homework"));
  EXPECT_THAT(seeker.interests, ElementsAre("chess"));
  EXPECT_THAT(seeker.children_ages, ElementsAre(14, 15));
}

TEST(CandidateTest, ConstraintsAreNormalisedForComparison) {
  v1::VolunteerRequest request;
  request.set_kind(v1::MATCH_KIND_RECEPTION_BUDDY);
  request.mutable_constraints()->set_language("TI");
  request.mutable_constraints()->set_area(" KAERBY ");
  request.mutable_constraints()->set_volunteer_gender(rv1::GENDER_MALE);
  const Seeker seeker = SeekerFor(request, Newcomer());
  EXPECT_EQ(seeker.required_language, "ti");
  EXPECT_EQ(seeker.required_area, "KAERBY");
  EXPECT_EQ(seeker.folded_required_area,
            CandidateFromActor(CorpsVolunteer()).folded_areas[0])
      << "\"KAERBY\" asks for the volunteer's \"Kærby\"";
  EXPECT_EQ(seeker.required_gender, rv1::GENDER_MALE);
}

TEST(CandidateTest, LanguageNamesForExplanations) {
  EXPECT_EQ(LanguageName("ti"), "Tigrinya");
  EXPECT_EQ(LanguageName("prs"), "Dari");
  EXPECT_EQ(LanguageName("fa"), "Persian");
  EXPECT_EQ(LanguageName("ckb"), "Sorani");
  EXPECT_EQ(LanguageName("uk"), "Ukrainian");
  EXPECT_EQ(LanguageName("ar-SY"), "Arabic");
  EXPECT_EQ(LanguageName("xyz"), "xyz") << "unknown codes are shown as is";
}

}  // namespace
}  // namespace brobygger::matching
