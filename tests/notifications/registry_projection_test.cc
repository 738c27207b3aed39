// The notification service's projection of the registry and of matching,
// fed with the events those services publish, against a real Redis.

#include "services/notifications/registry_projection.h"

#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/notifications/registry_feed.h"

namespace brobygger::notifications {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Kind = ProjectionChange::Kind;

class RegistryProjectionTest : public RegistryFeedTest {
 protected:
  std::optional<rv1::Actor> Find(const std::string& id) {
    auto actor = projection().FindActor(kMunicipality, id);
    EXPECT_TRUE(actor.ok()) << actor.status();
    return actor.ok() ? *actor : std::nullopt;
  }
  std::vector<std::string> InArea(const std::string& area) {
    auto ids = projection().VolunteerIdsInArea(kMunicipality, area);
    EXPECT_TRUE(ids.ok()) << ids.status();
    return ids.ok() ? *ids : std::vector<std::string>{};
  }
  bool Granted(const std::string& newcomer, const std::string& volunteer) {
    auto granted =
        projection().IsGranted(kMunicipality, newcomer, Actor(volunteer));
    EXPECT_TRUE(granted.ok()) << granted.status();
    return granted.ok() && *granted;
  }
  bool KeyExists(const std::string& key) {
    auto reply = pool().Run({"EXISTS", key});
    EXPECT_TRUE(reply.ok());
    return reply.ok() && reply->integer == 1;
  }
  ResolvedContact Resolve(const std::string& topic, const std::string& area) {
    auto resolved = projection().ResolveContact(kMunicipality, topic, area);
    EXPECT_TRUE(resolved.ok()) << resolved.status();
    return resolved.ok() ? *resolved : ResolvedContact();
  }
};

// ---- Actors -------------------------------------------------------------

TEST_F(RegistryProjectionTest, CreatedThenUpdatedActorIsFoundAsUpdated) {
  const absl::Time created = absl::Now();
  EXPECT_EQ(
      CreateActor(VolunteerActor("4", {"Vodskov"}, "Jens", "", created)).kind,
      Kind::kActorUpserted);
  ProjectionChange change = UpdateActor(VolunteerActor(
      "4", {"Vodskov"}, "Jens Hansen", "", created + absl::Seconds(5)));
  EXPECT_EQ(change.kind, Kind::kActorUpserted);
  EXPECT_EQ(change.actor, Actor("4"));

  std::optional<rv1::Actor> actor = Find("4");
  ASSERT_TRUE(actor.has_value());
  EXPECT_EQ(actor->display_name(), "Jens Hansen");
  EXPECT_EQ(actor->kind(), rv1::ACTOR_KIND_VOLUNTEER);
}

TEST_F(RegistryProjectionTest, AnOlderUpdateDeliveredLateIsIgnored) {
  const absl::Time now = absl::Now();
  CreateActor(VolunteerActor("4", {"Vodskov"}, "Jens", "", now));
  UpdateActor(VolunteerActor("4", {"Hals"}, "Jens Hansen", "",
                             now + absl::Seconds(10)));
  // The update in between arrives last.
  EXPECT_EQ(UpdateActor(VolunteerActor("4", {"Vodskov"}, "Jens H.", "",
                                       now + absl::Seconds(5)))
                .kind,
            Kind::kNone);

  std::optional<rv1::Actor> actor = Find("4");
  ASSERT_TRUE(actor.has_value());
  EXPECT_EQ(actor->display_name(), "Jens Hansen");
  EXPECT_THAT(InArea("Hals"), ElementsAre("4"));
  EXPECT_THAT(InArea("Vodskov"), IsEmpty());
}

TEST_F(RegistryProjectionTest, ADeletedActorIsNotResurrectedByALateUpdate) {
  const absl::Time now = absl::Now();
  CreateActor(VolunteerActor("4", {"Vodskov"}, "Jens", "50", now));
  EXPECT_EQ(DeleteActor("4").kind, Kind::kActorRemoved);
  EXPECT_FALSE(Find("4").has_value());

  EXPECT_EQ(UpdateActor(VolunteerActor("4", {"Vodskov"}, "Jens", "50",
                                       now + absl::Hours(1)))
                .kind,
            Kind::kNone);
  EXPECT_FALSE(Find("4").has_value());
  EXPECT_THAT(InArea("Vodskov"), IsEmpty());
  EXPECT_THAT(*projection().MemberIds(kMunicipality, "50"), IsEmpty());
  EXPECT_THAT(
      *projection().ActorIdsOfKind(kMunicipality, rv1::ACTOR_KIND_VOLUNTEER),
      IsEmpty());
}

TEST_F(RegistryProjectionTest, AnErasedNewcomerLeavesNoRecordAndNoGrants) {
  CreateActor(NewcomerActor("12"));
  CreateActor(VolunteerActor("4"));
  AcceptMatch("30", "12", "4");
  ASSERT_TRUE(Granted("12", "4"));

  ProjectionChange change = EraseNewcomerFromRegistry("12");
  EXPECT_EQ(change.kind, Kind::kNewcomerErased);
  EXPECT_EQ(change.actor, Actor("12"));
  EXPECT_FALSE(Find("12").has_value());
  EXPECT_FALSE(Granted("12", "4"));
  EXPECT_FALSE(KeyExists(context().keys.Grants(kMunicipality, "12")));
  EXPECT_THAT(
      *projection().ActorIdsOfKind(kMunicipality, rv1::ACTOR_KIND_NEWCOMER),
      IsEmpty());

  // Matching's events come on another stream: its MatchEnded for the
  // erasure, or a redelivered acceptance, may arrive afterwards.
  EndMatch("30", "12", "4");
  AcceptMatch("31", "12", "4");
  EXPECT_FALSE(Granted("12", "4"));
  EXPECT_FALSE(KeyExists(context().keys.Grants(kMunicipality, "12")));

  // A redelivered erasure is reported again, so consumers erase again.
  EXPECT_EQ(EraseNewcomerFromRegistry("12").kind, Kind::kNewcomerErased);
}

TEST_F(RegistryProjectionTest, ANewcomerIsKeptOnlyAsTheRedactedViewAndConsent) {
  CreateActor(NewcomerActor("12"));

  std::optional<rv1::Actor> kept = Find("12");
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->view(), rv1::DISCLOSURE_VIEW_REDACTED);
  EXPECT_EQ(kept->display_name(), "Amina");
  EXPECT_EQ(kept->newcomer().first_name(), "Amina");
  EXPECT_THAT(kept->newcomer().needs(), ElementsAre("bank"));
  EXPECT_THAT(kept->areas(), ElementsAre("Vodskov"));
  ASSERT_EQ(kept->languages_size(), 1);
  EXPECT_EQ(kept->languages(0).code(), "ar");
  EXPECT_TRUE(kept->newcomer().consent().volunteer_contact());
  EXPECT_TRUE(kept->newcomer().consent().data_sharing());
  // Nothing beyond the redacted view.
  EXPECT_EQ(kept->newcomer().family_name(), "");
  EXPECT_EQ(kept->newcomer().caseworker(), "");
  EXPECT_FALSE(kept->newcomer().has_household());
  EXPECT_EQ(kept->description(), "");

  // Nor in what Redis holds.
  auto stored =
      pool().Run({"HGET", context().keys.Actor(kMunicipality, "12"), "d"});
  ASSERT_TRUE(stored.ok());
  EXPECT_THAT(stored->str, ::testing::Not(HasSubstr("Haddad")));
  EXPECT_THAT(stored->str, ::testing::Not(HasSubstr("Aleppo")));
}

// ---- Placement of newcomers (for local welcome contacts) -----------------

TEST_F(RegistryProjectionTest, AConsentingNewcomerInATownIsPlacedOnCreation) {
  ProjectionChange change = CreateActor(NewcomerActor("12", {"Vodskov"}));
  EXPECT_EQ(change.kind, Kind::kNewcomerPlaced);
  EXPECT_EQ(change.actor, Actor("12"));
}

TEST_F(RegistryProjectionTest, MovingTownPlacesTheNewcomerAgain) {
  const absl::Time now = absl::Now();
  CreateActor(NewcomerActor("12", {"Vodskov"}, true, now));
  EXPECT_EQ(UpdateActor(NewcomerActor("12", {"Nørresundby"}, true,
                                      now + absl::Seconds(1)))
                .kind,
            Kind::kNewcomerPlaced);
}

TEST_F(RegistryProjectionTest, NewlyGivenConsentPlacesTheNewcomer) {
  const absl::Time now = absl::Now();
  EXPECT_EQ(CreateActor(NewcomerActor("12", {"Vodskov"}, false, now)).kind,
            Kind::kActorUpserted);
  EXPECT_EQ(UpdateActor(
                NewcomerActor("12", {"Vodskov"}, true, now + absl::Seconds(1)))
                .kind,
            Kind::kNewcomerPlaced);
}

TEST_F(RegistryProjectionTest, UnrelatedUpdatesDoNotPlaceTheNewcomerAgain) {
  const absl::Time now = absl::Now();
  CreateActor(NewcomerActor("12", {"Vodskov"}, true, now));
  rv1::Actor updated =
      NewcomerActor("12", {"Vodskov"}, true, now + absl::Seconds(1));
  updated.mutable_newcomer()->add_needs("doctor");
  EXPECT_EQ(UpdateActor(updated).kind, Kind::kActorUpserted);
  // Nor does the same town spelt differently.
  EXPECT_EQ(UpdateActor(
                NewcomerActor("12", {"VODSKOV"}, true, now + absl::Seconds(2)))
                .kind,
            Kind::kActorUpserted);
}

TEST_F(RegistryProjectionTest, ANewcomerWithoutConsentOrTownIsNotPlaced) {
  EXPECT_EQ(CreateActor(NewcomerActor("12", {"Vodskov"}, false)).kind,
            Kind::kActorUpserted);
  rv1::Actor data_sharing_only = NewcomerActor("13", {"Vodskov"}, false);
  data_sharing_only.mutable_newcomer()->mutable_consent()->set_data_sharing(
      true);
  EXPECT_EQ(CreateActor(data_sharing_only).kind, Kind::kActorUpserted);
  EXPECT_EQ(CreateActor(NewcomerActor("14", {}, true)).kind,
            Kind::kActorUpserted);
}

// ---- Indexes ------------------------------------------------------------

TEST_F(RegistryProjectionTest,
       VolunteersInAnAreaCompareFoldedAndIncludeWholeMunicipality) {
  CreateActor(VolunteerActor("1", {"Nørresundby"}));
  CreateActor(VolunteerActor("2", {"Vodskov"}));
  CreateActor(VolunteerActor("3", {}));  // active in the whole municipality
  CreateActor(VolunteerActor("4", {"Sønder Tranders", "Hals"}));
  CreateActor(NewcomerActor("12", {"Nørresundby"}));

  EXPECT_THAT(InArea("Nørresundby"), ElementsAre("1", "3"));
  EXPECT_THAT(InArea("NØRRESUNDBY"), ElementsAre("1", "3"));
  EXPECT_THAT(InArea("noerresundby"), ElementsAre("1", "3"));
  EXPECT_THAT(InArea("  sønder   tranders "), ElementsAre("3", "4"));
  EXPECT_THAT(InArea("Hals"), ElementsAre("3", "4"));
  EXPECT_THAT(InArea("Skørping"), ElementsAre("3"));
  // No area: every volunteer.
  EXPECT_THAT(InArea(""), ElementsAre("1", "2", "3", "4"));
}

TEST_F(RegistryProjectionTest, MovingAreasMovesTheVolunteerBetweenIndexes) {
  const absl::Time now = absl::Now();
  CreateActor(VolunteerActor("1", {"Nørresundby"}, "V", "", now));
  UpdateActor(
      VolunteerActor("1", {"Vodskov"}, "V", "", now + absl::Seconds(1)));
  EXPECT_THAT(InArea("Nørresundby"), IsEmpty());
  EXPECT_THAT(InArea("Vodskov"), ElementsAre("1"));

  // Dropping every area makes them active in the whole municipality.
  UpdateActor(VolunteerActor("1", {}, "V", "", now + absl::Seconds(2)));
  EXPECT_THAT(InArea("Vodskov"), ElementsAre("1"));
  EXPECT_THAT(InArea("Hals"), ElementsAre("1"));
}

TEST_F(RegistryProjectionTest, MembersFollowTheirOrganisation) {
  const absl::Time now = absl::Now();
  CreateActor(VolunteerActor("1", {}, "V", "50", now));
  CreateActor(VolunteerActor("2", {}, "V", "50", now));
  CreateActor(VolunteerActor("3", {}, "V", "60", now));
  EXPECT_THAT(*projection().MemberIds(kMunicipality, "50"),
              ElementsAre("1", "2"));

  UpdateActor(VolunteerActor("2", {}, "V", "60", now + absl::Seconds(1)));
  EXPECT_THAT(*projection().MemberIds(kMunicipality, "50"), ElementsAre("1"));
  EXPECT_THAT(*projection().MemberIds(kMunicipality, "60"),
              ElementsAre("2", "3"));
  EXPECT_THAT(*projection().MemberIds(kMunicipality, "70"), IsEmpty());
}

TEST_F(RegistryProjectionTest, ActorIdsOfAKindAreSortedNumerically) {
  CreateActor(VolunteerActor("10"));
  CreateActor(VolunteerActor("9"));
  CreateActor(VolunteerActor("100"));
  CreateActor(EmployeeActor("2", "Mette Hansen"));
  CreateActor(NewcomerActor("12"));

  EXPECT_THAT(
      *projection().ActorIdsOfKind(kMunicipality, rv1::ACTOR_KIND_VOLUNTEER),
      ElementsAre("9", "10", "100"));
  EXPECT_THAT(*projection().ActorIdsOfKind(kMunicipality,
                                           rv1::ACTOR_KIND_MUNICIPAL_EMPLOYEE),
              ElementsAre("2"));
  EXPECT_THAT(
      *projection().ActorIdsOfKind(kMunicipality, rv1::ACTOR_KIND_NEWCOMER),
      ElementsAre("12"));
}

// ---- Grants -------------------------------------------------------------

TEST_F(RegistryProjectionTest, AnAcceptedMatchGrantsAndAnEndedOneDoesNot) {
  EXPECT_FALSE(Granted("12", "4"));
  ProjectionChange added = AcceptMatch("30", "12", "4");
  EXPECT_EQ(added.kind, Kind::kGrantAdded);
  EXPECT_EQ(added.actor, Actor("12"));
  EXPECT_EQ(added.volunteer, Actor("4"));
  EXPECT_TRUE(Granted("12", "4"));
  EXPECT_FALSE(Granted("12", "5"));
  EXPECT_THAT(*projection().Granted(kMunicipality, "12"),
              ElementsAre(Actor("4")));
  // A redelivery changes nothing.
  EXPECT_EQ(AcceptMatch("30", "12", "4").kind, Kind::kNone);

  EXPECT_EQ(EndMatch("30", "12", "4").kind, Kind::kGrantRemoved);
  EXPECT_FALSE(Granted("12", "4"));
  EXPECT_THAT(*projection().Granted(kMunicipality, "12"), IsEmpty());
}

TEST_F(RegistryProjectionTest,
       AnEndedMatchStaysEndedWhenItsAcceptanceComesAgain) {
  AcceptMatch("30", "12", "4");
  EndMatch("30", "12", "4");
  EXPECT_EQ(AcceptMatch("30", "12", "4").kind, Kind::kNone);
  EXPECT_FALSE(Granted("12", "4"));

  // Another match of the same pair grants again.
  AcceptMatch("31", "12", "4");
  EXPECT_TRUE(Granted("12", "4"));
}

TEST_F(RegistryProjectionTest, EndingOneOfTwoMatchesKeepsTheOtherGrant) {
  AcceptMatch("30", "12", "4");
  AcceptMatch("31", "12", "5");
  EndMatch("30", "12", "4");
  EXPECT_FALSE(Granted("12", "4"));
  EXPECT_TRUE(Granted("12", "5"));
}

// ---- Contacts -----------------------------------------------------------

TEST_F(RegistryProjectionTest, ATopicAndAreaContactBeatsATopicWideOne) {
  CreateMunicipality("1");
  CreateActor(EmployeeActor("1", "Karen Coordinator"));
  CreateActor(EmployeeActor("2", "Mette Hansen"));
  CreateActor(EmployeeActor("3", "Lars Nielsen"));
  CreateContactPoint("20", "housing", {}, "2");
  CreateContactPoint("21", "housing", {"Vodskov", "Hals"}, "3");

  ResolvedContact in_vodskov = Resolve("housing", "vodskov");
  EXPECT_EQ(in_vodskov.contact, Actor("3"));
  EXPECT_EQ(in_vodskov.contact_display_name, "Lars Nielsen");
  EXPECT_EQ(in_vodskov.contact_point,
            "municipalities/aalborg/contactPoints/21");

  ResolvedContact elsewhere = Resolve("housing", "Nørresundby");
  EXPECT_EQ(elsewhere.contact, Actor("2"));
  EXPECT_EQ(elsewhere.contact_display_name, "Mette Hansen");
  EXPECT_EQ(elsewhere.contact_point, "municipalities/aalborg/contactPoints/20");

  // No area: the topic-wide contact.
  EXPECT_EQ(Resolve("housing", "").contact, Actor("2"));
}

TEST_F(RegistryProjectionTest, ATopicWideContactBeatsTheCoordinator) {
  CreateMunicipality("1");
  CreateActor(EmployeeActor("1", "Karen Coordinator"));
  CreateActor(EmployeeActor("2", "Mette Hansen"));
  CreateContactPoint("20", "benefits", {}, "2");

  ResolvedContact resolved = Resolve("benefits", "Vodskov");
  EXPECT_EQ(resolved.contact, Actor("2"));
  EXPECT_EQ(resolved.contact_display_name, "Mette Hansen");
}

TEST_F(RegistryProjectionTest, TheCoordinatorTakesTopicsWithoutAContactPoint) {
  CreateMunicipality("1");
  CreateActor(EmployeeActor("1", "Karen Coordinator"));
  CreateActor(EmployeeActor("2", "Mette Hansen"));
  CreateContactPoint("20", "housing", {}, "2");
  // A contact point for another area only does not count either.
  CreateContactPoint("21", "school", {"Hals"}, "2");

  ResolvedContact resolved = Resolve("health", "Vodskov");
  EXPECT_EQ(resolved.contact_point, "");
  EXPECT_EQ(resolved.contact, Actor("1"));
  EXPECT_EQ(resolved.contact_display_name, "Karen Coordinator");
  EXPECT_EQ(Resolve("school", "Vodskov").contact, Actor("1"));
}

TEST_F(RegistryProjectionTest, AContactWhoIsNoActorIsPassedOver) {
  CreateMunicipality("1");
  CreateActor(EmployeeActor("1", "Karen Coordinator"));
  CreateActor(EmployeeActor("2", "Mette Hansen"));
  CreateContactPoint("20", "housing", {}, "2");
  CreateContactPoint("21", "housing", {"Vodskov"}, "99");  // not known

  EXPECT_EQ(Resolve("housing", "Vodskov").contact, Actor("2"));
}

TEST_F(RegistryProjectionTest,
       NoContactPointAndNoCoordinatorIsAFailedPrecondition) {
  CreateMunicipality("");
  absl::StatusOr<ResolvedContact> resolved =
      projection().ResolveContact(kMunicipality, "housing", "Vodskov");
  EXPECT_EQ(resolved.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(resolved.status().message()), HasSubstr("housing"));

  // Nor before the municipality is known at all.
  EXPECT_EQ(projection().ResolveContact("lejre", "housing", "").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(RegistryProjectionTest, AsOfIsTheTimeOfTheNewestEventApplied) {
  EXPECT_EQ(*projection().AsOf(kMunicipality), absl::InfinitePast());
  const absl::Time at = absl::FromUnixMillis(1'780'000'000'000);
  rv1::ActorCreated created;
  *created.mutable_actor() = VolunteerActor("4");
  Feed(EventOf(created.actor().name(), created, at));
  EXPECT_EQ(*projection().AsOf(kMunicipality), at);
}

}  // namespace
}  // namespace brobygger::notifications
