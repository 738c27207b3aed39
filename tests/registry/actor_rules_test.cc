#include "services/registry/actor_rules.h"

#include <set>

#include "gtest/gtest.h"

namespace brobygger::registry {
namespace {

v1::Municipality Aalborg() {
  v1::Municipality municipality;
  municipality.set_display_name("Aalborg Kommune");
  municipality.add_areas("Kærby");
  municipality.add_areas("St. Restrup");
  return municipality;
}

v1::Actor Volunteer() {
  v1::Actor actor;
  actor.set_kind(v1::ACTOR_KIND_VOLUNTEER);
  actor.set_display_name("Amina Hassan");
  actor.add_areas("Kærby");
  actor.mutable_volunteer()->set_capacity(2);
  auto* language = actor.add_languages();
  language->set_code("ar");
  language->set_mother_tongue(true);
  return actor;
}

std::set<std::string> Fields(const v1::Actor& actor) {
  FieldViolations violations;
  ValidateActor(actor, "aalborg", Aalborg(), "actor", &violations);
  std::set<std::string> fields;
  for (const auto& violation : violations.violations()) {
    fields.insert(violation.field);
  }
  return fields;
}

TEST(ActorRulesTest, AValidVolunteerPasses) {
  EXPECT_TRUE(Fields(Volunteer()).empty());
}

TEST(ActorRulesTest, EveryOffendingFieldIsNamed) {
  v1::Actor actor = Volunteer();
  actor.set_display_name("");
  actor.add_areas("Paris");
  actor.mutable_languages(0)->set_code("Arabic!");
  actor.mutable_volunteer()->set_capacity(0);
  auto* window = actor.add_availability();
  window->set_day(v1::DAY_OF_WEEK_TUESDAY);
  window->mutable_start_time()->set_hours(20);
  window->mutable_end_time()->set_hours(18);
  actor.set_parent("actors/1");
  EXPECT_EQ(Fields(actor),
            (std::set<std::string>{
                "actor.display_name", "actor.areas[1]",
                "actor.languages[0].code", "actor.volunteer.capacity",
                "actor.availability[0].end_time", "actor.parent"}));
}

TEST(ActorRulesTest, ProfilesBelongToTheirKinds) {
  v1::Actor ngo;
  ngo.set_kind(v1::ACTOR_KIND_NGO);
  ngo.set_display_name("Dansk Røde Kors");
  ngo.mutable_volunteer()->set_capacity(1);
  ngo.mutable_newcomer()->set_first_name("x");
  EXPECT_EQ(Fields(ngo),
            (std::set<std::string>{"actor.volunteer", "actor.newcomer"}));
  v1::Actor volunteer = Volunteer();
  volunteer.clear_volunteer();
  EXPECT_EQ(Fields(volunteer), std::set<std::string>{"actor.volunteer"});
}

TEST(ActorRulesTest, NewcomerChildrenMustBeChildren) {
  v1::Actor newcomer;
  newcomer.set_kind(v1::ACTOR_KIND_NEWCOMER);
  newcomer.mutable_newcomer()->set_first_name("Yonas");
  newcomer.mutable_newcomer()->mutable_household()->add_children_ages(4);
  newcomer.mutable_newcomer()->mutable_household()->add_children_ages(30);
  newcomer.mutable_newcomer()->mutable_arrival_date()->set_year(2026);
  newcomer.mutable_newcomer()->mutable_arrival_date()->set_month(2);
  newcomer.mutable_newcomer()->mutable_arrival_date()->set_day(30);
  NormalizeActor(&newcomer);
  EXPECT_EQ(newcomer.display_name(), "Yonas");
  EXPECT_EQ(
      Fields(newcomer),
      (std::set<std::string>{"actor.newcomer.arrival_date",
                             "actor.newcomer.household.children_ages[1]"}));
}

TEST(ActorRulesTest, LimitsAreEnforced) {
  v1::Actor actor = Volunteer();
  actor.set_display_name(std::string(kMaxDisplayName + 1, 'x'));
  for (int i = 0; i <= kMaxTags; ++i)
    actor.add_competences("tag" + std::to_string(i));
  EXPECT_EQ(Fields(actor),
            (std::set<std::string>{"actor.display_name", "actor.competences"}));
}

TEST(ActorRulesTest, NormalizeLowercasesAndDeduplicatesTags) {
  v1::Actor actor = Volunteer();
  actor.add_competences(" Bank ");
  actor.add_competences("bank");
  actor.add_competences("");
  actor.add_competences("Doctor");
  actor.mutable_languages(0)->set_code(" AR ");
  NormalizeActor(&actor);
  ASSERT_EQ(actor.competences_size(), 2);
  EXPECT_EQ(actor.competences(0), "bank");
  EXPECT_EQ(actor.competences(1), "doctor");
  EXPECT_EQ(actor.languages(0).code(), "ar");
}

TEST(ActorRulesTest, DuplicateKeysFoldNamesAndAreas) {
  v1::Actor a = Volunteer();
  v1::Actor b = Volunteer();
  b.set_display_name("AMINA  HASSAN");
  b.set_areas(0, "kaerby");
  EXPECT_EQ(DuplicateKeys(a), DuplicateKeys(b));
  b.set_kind(v1::ACTOR_KIND_NEWCOMER);
  EXPECT_NE(DuplicateKeys(a), DuplicateKeys(b));
}

TEST(ActorRulesTest, SectorsSplitMunicipalityFromCivilSociety) {
  EXPECT_EQ(SectorOf(v1::ACTOR_KIND_MUNICIPAL_DEPARTMENT),
            v1::SECTOR_MUNICIPAL);
  EXPECT_EQ(SectorOf(v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE), v1::SECTOR_MUNICIPAL);
  EXPECT_EQ(SectorOf(v1::ACTOR_KIND_FAITH_COMMUNITY), v1::SECTOR_CIVIL_SOCIETY);
  EXPECT_EQ(SectorOf(v1::ACTOR_KIND_VOLUNTEER), v1::SECTOR_CIVIL_SOCIETY);
  EXPECT_TRUE(IsOrganisation(v1::ACTOR_KIND_NGO_BRANCH));
  EXPECT_FALSE(IsOrganisation(v1::ACTOR_KIND_VOLUNTEER));
}

}  // namespace
}  // namespace brobygger::registry
