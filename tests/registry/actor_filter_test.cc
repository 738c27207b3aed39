#include "services/registry/actor_filter.h"

#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace brobygger::registry {
namespace {

v1::Actor Volunteer() {
  v1::Actor actor;
  actor.set_name("municipalities/aalborg/actors/7");
  actor.set_kind(v1::ACTOR_KIND_VOLUNTEER);
  actor.set_display_name("Søren Ærø-Ågård");
  actor.add_areas("Kærby");
  auto* arabic = actor.add_languages();
  arabic->set_code("ar");
  arabic->set_mother_tongue(true);
  actor.add_languages()->set_code("da");
  actor.add_competences("bank");
  actor.add_interests("football");
  actor.set_parent("municipalities/aalborg/actors/2");
  actor.mutable_volunteer()->set_former_refugee(true);
  auto* tuesday = actor.add_availability();
  tuesday->set_day(v1::DAY_OF_WEEK_TUESDAY);
  tuesday->mutable_start_time()->set_hours(17);
  tuesday->mutable_end_time()->set_hours(20);
  return actor;
}

bool Matches(const std::string& filter) {
  auto parsed = ParseActorFilter(filter);
  EXPECT_TRUE(parsed.ok()) << filter << ": " << parsed.status();
  return parsed.ok() && parsed->Matches(Volunteer());
}

TEST(ActorFilterTest, MatchesEveryRestrictionKind) {
  EXPECT_TRUE(Matches(""));
  EXPECT_TRUE(Matches("kind = VOLUNTEER"));
  EXPECT_TRUE(Matches("kind = ACTOR_KIND_VOLUNTEER"));
  EXPECT_FALSE(Matches("kind = NGO"));
  EXPECT_TRUE(Matches("area = \"KAERBY\""));
  EXPECT_FALSE(Matches("area = Vodskov"));
  EXPECT_TRUE(Matches("language = da"));
  EXPECT_TRUE(Matches("mother_tongue = ar"));
  EXPECT_FALSE(Matches("mother_tongue = da"));
  EXPECT_TRUE(Matches("competence = Bank"));
  EXPECT_FALSE(Matches("competence = doctor"));
  EXPECT_TRUE(Matches("interest = football"));
  EXPECT_TRUE(Matches("parent = \"municipalities/aalborg/actors/2\""));
  EXPECT_TRUE(Matches("former_refugee = true"));
  EXPECT_FALSE(Matches("former_refugee = false"));
  EXPECT_TRUE(
      Matches("kind = VOLUNTEER AND mother_tongue = ar AND area = Kærby"));
}

TEST(ActorFilterTest, NameSearchIgnoresCaseAccentsAndDanishLetters) {
  EXPECT_TRUE(Matches("name = soeren"));  // ø is spelled oe
  EXPECT_TRUE(Matches("name = SOEREN"));
  EXPECT_TRUE(Matches("name: \"SØREN\""));
  EXPECT_TRUE(Matches("name = \"aeroe aagaard\""));
  EXPECT_FALSE(Matches("name = peter"));
}

TEST(ActorFilterTest, AvailabilityUsesCopenhagenLocalTimeAcrossDst) {
  // Tuesday 2026-11-24 (winter, UTC+1): 18:00 local is 17:00Z.
  EXPECT_TRUE(Matches("available_at = \"2026-11-24T17:00:00Z\""));
  EXPECT_TRUE(Matches("available_at = \"2026-11-24T18:00:00+01:00\""));
  EXPECT_FALSE(Matches("available_at = \"2026-11-24T20:30:00+01:00\""));
  // Tuesday 2026-06-16 (summer, UTC+2): 19:30 local is 17:30Z; 18:30Z is
  // 20:30 local, outside the window.
  EXPECT_TRUE(Matches("available_at = \"2026-06-16T17:30:00Z\""));
  EXPECT_FALSE(Matches("available_at = \"2026-06-16T18:30:00Z\""));
  // Wednesday.
  EXPECT_FALSE(Matches("available_at = \"2026-11-25T18:00:00+01:00\""));
}

TEST(ActorFilterTest, BadFiltersNameTheFilterField) {
  for (const char* bad :
       {"colour = red", "kind = WIZARD", "former_refugee = maybe",
        "available_at = tuesday", "area: Kærby"}) {
    auto parsed = ParseActorFilter(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    auto violations = FieldViolationsOf(parsed.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "filter");
  }
}

TEST(ActorFilterTest, IndexTermsCoverEveryIndexedRestriction) {
  const auto terms = ActorIndexTerms(Volunteer());
  auto parsed = ParseActorFilter(
      "kind = VOLUNTEER AND area = kaerby AND language = ar AND "
      "mother_tongue = ar AND competence = bank AND interest = football AND "
      "parent = \"municipalities/aalborg/actors/2\"");
  ASSERT_TRUE(parsed.ok());
  for (const auto& candidate : parsed->IndexCandidates()) {
    EXPECT_TRUE(std::find(terms.begin(), terms.end(), candidate) != terms.end())
        << candidate.first << "=" << candidate.second;
  }
}

}  // namespace
}  // namespace brobygger::registry
