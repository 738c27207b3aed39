#include "services/registry/disclosure.h"

#include "gtest/gtest.h"

namespace brobygger::registry {
namespace {

auth::Principal As(auth::Role role) {
  auth::Principal principal;
  principal.subject = "municipalities/aalborg/actors/9";
  principal.role = role;
  principal.municipalities = {"aalborg"};
  return principal;
}

v1::Actor Newcomer(bool data_sharing) {
  v1::Actor actor;
  actor.set_name("municipalities/aalborg/actors/5");
  actor.set_kind(v1::ACTOR_KIND_NEWCOMER);
  actor.set_display_name("Yonas Tesfaye");
  actor.add_areas("Kærby");
  actor.add_languages()->set_code("ti");
  actor.set_description("private notes");
  auto* newcomer = actor.mutable_newcomer();
  newcomer->set_first_name("Yonas");
  newcomer->set_family_name("Tesfaye");
  newcomer->add_needs("bank");
  newcomer->mutable_household()->add_children_ages(6);
  newcomer->mutable_consent()->set_data_sharing(data_sharing);
  newcomer->set_caseworker("municipalities/aalborg/actors/3");
  return actor;
}

TEST(DisclosureTest, CaseworkersAndCoordinatorsSeeNewcomersInFull) {
  EXPECT_EQ(ViewFor(As(auth::Role::kCaseworker), Newcomer(false), false),
            v1::DISCLOSURE_VIEW_FULL);
  EXPECT_EQ(ViewFor(As(auth::Role::kCoordinator), Newcomer(false), false),
            v1::DISCLOSURE_VIEW_FULL);
}

TEST(DisclosureTest, OnlyAMatchedVolunteerWithConsentSeesTheRedactedView) {
  const auto volunteer = As(auth::Role::kVolunteer);
  EXPECT_EQ(ViewFor(volunteer, Newcomer(true), /*granted=*/true),
            v1::DISCLOSURE_VIEW_REDACTED);
  EXPECT_EQ(ViewFor(volunteer, Newcomer(true), /*granted=*/false),
            v1::DISCLOSURE_VIEW_UNSPECIFIED);
  EXPECT_EQ(ViewFor(volunteer, Newcomer(false), /*granted=*/true),
            v1::DISCLOSURE_VIEW_UNSPECIFIED);
}

TEST(DisclosureTest, OperatorsAndNgoAppsSeeNoNewcomer) {
  EXPECT_EQ(ViewFor(As(auth::Role::kOperator), Newcomer(true), true),
            v1::DISCLOSURE_VIEW_UNSPECIFIED);
  EXPECT_EQ(ViewFor(As(auth::Role::kNgoApp), Newcomer(true), true),
            v1::DISCLOSURE_VIEW_UNSPECIFIED);
}

TEST(DisclosureTest, OtherActorsArePublic) {
  v1::Actor ngo;
  ngo.set_kind(v1::ACTOR_KIND_NGO_BRANCH);
  EXPECT_EQ(ViewFor(As(auth::Role::kVolunteer), ngo, false),
            v1::DISCLOSURE_VIEW_PUBLIC);
}

TEST(DisclosureTest, RedactedViewKeepsOnlyFirstNameLanguagesTownAndNeeds) {
  const v1::Actor redacted =
      Disclose(Newcomer(true), v1::DISCLOSURE_VIEW_REDACTED);
  EXPECT_EQ(redacted.name(), "municipalities/aalborg/actors/5");
  EXPECT_EQ(redacted.display_name(), "Yonas");
  EXPECT_EQ(redacted.newcomer().first_name(), "Yonas");
  EXPECT_EQ(redacted.newcomer().family_name(), "");
  EXPECT_EQ(redacted.newcomer().needs_size(), 1);
  EXPECT_FALSE(redacted.newcomer().has_household());
  EXPECT_EQ(redacted.newcomer().caseworker(), "");
  EXPECT_EQ(redacted.description(), "");
  EXPECT_EQ(redacted.areas(0), "Kærby");
  EXPECT_EQ(redacted.languages(0).code(), "ti");
  EXPECT_EQ(redacted.view(), v1::DISCLOSURE_VIEW_REDACTED);
}

}  // namespace
}  // namespace brobygger::registry
