// Notifications about newcomers, end to end: two volunteers matched with
// the same newcomer worry about the same thing, and the municipality's
// housing contact gets one concern (the second volunteer is told who is
// already on it) and both hear when it is resolved; a local welcome
// contact learns that a consenting newcomer has come to town (first name
// only), and the message is gone once the registry erases the newcomer.
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/notifications_e2e_fixture.h"

namespace brobygger::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class NotificationsNewcomerE2eTest : public NotificationsE2eTest {
 protected:
  std::vector<std::string> Titles(const nv1::ListNotificationsResponse& inbox) {
    std::vector<std::string> titles;
    for (const nv1::Notification& n : inbox.notifications()) {
      titles.push_back(n.title());
    }
    return titles;
  }

  absl::StatusOr<nv1::RaiseConcernResponse> Raise(
      const std::string& token, const std::string& newcomer,
      const std::string& description) {
    nv1::RaiseConcernRequest raise;
    raise.set_parent(Parent());
    raise.mutable_concern()->set_newcomer(newcomer);
    raise.mutable_concern()->set_topic("housing");
    raise.mutable_concern()->set_description(description);
    return Call(*notifications_stub_, &NotificationsStub::RaiseConcern, token,
                raise);
  }

  // Raises once notifications knows the volunteer may see the newcomer
  // (PERMISSION_DENIED until it has read matching's acceptance).
  nv1::RaiseConcernResponse MustRaise(const std::string& token,
                                      const std::string& newcomer,
                                      const std::string& description) {
    absl::StatusOr<nv1::RaiseConcernResponse> raised;
    Within(kDeliveryDeadline, [&] {
      raised = Raise(token, newcomer, description);
      return raised.status().code() != absl::StatusCode::kPermissionDenied;
    });
    EXPECT_TRUE(raised.ok()) << raised.status();
    return raised.ok() ? *raised : nv1::RaiseConcernResponse();
  }
};

TEST_F(NotificationsNewcomerE2eTest,
       SameConcernFromTwoVolunteersReachesTheContactOnceAndBothHearTheEnd) {
  rv1::Actor mette_profile;
  mette_profile.set_kind(rv1::ACTOR_KIND_MUNICIPAL_EMPLOYEE);
  mette_profile.set_display_name("Mette Hansen");
  const rv1::Actor mette = MustCreateActor(mette_profile);
  rv1::CreateContactPointRequest contact_point;
  contact_point.set_parent(Parent());
  contact_point.mutable_contact_point()->set_topic("housing");
  contact_point.mutable_contact_point()->set_contact(mette.name());
  contact_point.mutable_contact_point()->mutable_channel()->set_type(
      rv1::ContactChannel::TYPE_PHONE);
  contact_point.mutable_contact_point()->mutable_channel()->set_value(
      "+45 79 79 79 79");
  auto created_point = Call(*registry_stub_, &RegistryStub::CreateContactPoint,
                            coordinator_, contact_point);
  ASSERT_TRUE(created_point.ok()) << created_point.status();

  const rv1::Actor red_cross = MustCreateActor(Organisation(
      rv1::ACTOR_KIND_NGO_BRANCH, "Røde Kors Kolding", {"Vamdrup"}));
  const rv1::Actor senait =
      MustCreateCorpsVolunteer("Senait", red_cross.name());
  const rv1::Actor dawit = MustCreateCorpsVolunteer("Dawit", red_cross.name());
  const rv1::Actor newcomer = MustCreateNewcomer("Yonas");
  // Created after the contact point: once it is known, so is the point.
  WaitUntilKnown(newcomer);

  // Senait becomes Yonas's reception buddy, Dawit his mentor.
  const std::string senait_token = TokenOf(senait);
  const std::string dawit_token = TokenOf(dawit);
  for (const auto& [volunteer, kind, token] :
       {std::tuple(senait, mv1::MATCH_KIND_RECEPTION_BUDDY, senait_token),
        std::tuple(dawit, mv1::MATCH_KIND_MENTOR, dawit_token)}) {
    const mv1::VolunteerRequest request =
        MustCreateRequestOfKind(newcomer.name(), kind);
    const mv1::Match proposed = MustPropose(request.name(), volunteer);
    auto accepted = Accept(token, proposed.name());
    ASSERT_TRUE(accepted.ok())
        << volunteer.display_name() << ": " << accepted.status();
  }

  const nv1::RaiseConcernResponse first = MustRaise(
      senait_token, newcomer.name(), "The flat has no heating since Monday.");
  EXPECT_FALSE(first.joined_existing());
  EXPECT_EQ(first.concern().state(), nv1::Concern::STATE_OPEN);
  EXPECT_EQ(first.concern().contact(), mette.name());
  EXPECT_EQ(first.concern().contact_point(), created_point->name());
  EXPECT_THAT(first.message(), HasSubstr("Mette Hansen"));

  const nv1::RaiseConcernResponse second = MustRaise(
      dawit_token, newcomer.name(), "Yonas says the radiators are cold.");
  EXPECT_TRUE(second.joined_existing());
  EXPECT_EQ(second.concern().name(), first.concern().name());
  EXPECT_THAT(second.message(), HasSubstr("Mette Hansen"));
  EXPECT_THAT(second.message(), HasSubstr("already handling"));
  EXPECT_EQ(second.concern().reporters_size(), 2);

  // Mette is called once, and told that one more person raised it.
  const nv1::ListNotificationsResponse mettes =
      WaitForMessages(coordinator_, mette.name(), 2);
  EXPECT_THAT(Titles(mettes),
              ElementsAre("Concern about housing: one more person raised it",
                          "New concern about housing"));
  for (const nv1::Notification& n : mettes.notifications()) {
    EXPECT_EQ(n.resource(), first.concern().name());
  }
  nv1::ListConcernsRequest list;
  list.set_parent(Parent());
  auto concerns = Call(*notifications_stub_, &NotificationsStub::ListConcerns,
                       caseworker_, list);
  ASSERT_TRUE(concerns.ok()) << concerns.status();
  EXPECT_EQ(concerns->concerns_size(), 1);

  nv1::ResolveConcernRequest resolve;
  resolve.set_name(first.concern().name());
  resolve.set_resolution("The landlord repaired the boiler on Thursday.");
  auto resolved = Call(*notifications_stub_, &NotificationsStub::ResolveConcern,
                       caseworker_, resolve);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->state(), nv1::Concern::STATE_RESOLVED);

  const std::string resolved_title = "Concern about housing resolved";
  for (const auto& [volunteer, token] :
       {std::pair(senait, senait_token), std::pair(dawit, dawit_token)}) {
    const nv1::ListNotificationsResponse inbox = WaitForInbox(
        token, volunteer.name(),
        [&](const nv1::ListNotificationsResponse& got) {
          return got.notifications_size() > 0 &&
                 got.notifications(0).title() == resolved_title;
        },
        absl::StrCat(volunteer.display_name(),
                     " was not told it was resolved"));
    ASSERT_GT(inbox.notifications_size(), 0);
    EXPECT_THAT(inbox.notifications(0).body(),
                HasSubstr("The landlord repaired the boiler"));
  }
  // Dawit, who joined, was also told whom it was with.
  auto dawits = ListInbox(dawit_token, dawit.name());
  ASSERT_TRUE(dawits.ok()) << dawits.status();
  EXPECT_THAT(Titles(*dawits),
              ElementsAre(resolved_title,
                          "Concern about housing: one more person raised it"));
  auto mettes_after = ListInbox(coordinator_, mette.name());
  ASSERT_TRUE(mettes_after.ok());
  EXPECT_EQ(mettes_after->notifications_size(), 2)
      << "the contact was called twice";
}

TEST_F(NotificationsNewcomerE2eTest,
       LocalContactLearnsOfAConsentingNewcomerUntilTheNewcomerIsErased) {
  const rv1::Actor lone = MustCreateActor(Volunteer("Lone", {"Vamdrup"}));
  const std::string lone_token = TokenOf(lone);
  // Only staff subscribe someone to newcomers placed in their town.
  MustSubscribe(coordinator_,
                ActorSubscription(lone.name(), {nv1::TOPIC_NEWCOMER_PLACED},
                                  {"Vamdrup"}));

  // A newcomer who did not consent to volunteer contact is not announced;
  // one who did is, by first name only.
  const rv1::Actor private_newcomer =
      MustCreateNewcomer("Amanuel", /*consents=*/false);
  ASSERT_FALSE(private_newcomer.name().empty());
  const rv1::Actor yonas = MustCreateNewcomer("Yonas");
  nv1::ListNotificationsResponse inbox =
      WaitForMessages(lone_token, lone.name(), 1);
  ASSERT_EQ(inbox.notifications_size(), 1)
      << "the newcomer without consent was announced";
  const nv1::Notification& message = inbox.notifications(0);
  EXPECT_EQ(message.topic(), nv1::TOPIC_NEWCOMER_PLACED);
  EXPECT_EQ(message.resource(), yonas.name());
  EXPECT_EQ(message.title(), "A newcomer has come to Vamdrup");
  EXPECT_THAT(message.body(), HasSubstr("Yonas"));
  EXPECT_THAT(message.body(), Not(HasSubstr("Tesfay")))
      << "the family name is not in the redacted view";
  EXPECT_THAT(message.body(), Not(HasSubstr("Amanuel")));

  rv1::DeleteActorRequest erase;
  erase.set_name(yonas.name());
  ASSERT_TRUE(
      Call(*registry_stub_, &RegistryStub::DeleteActor, caseworker_, erase)
          .ok());
  const nv1::ListNotificationsResponse after = WaitForInbox(
      lone_token, lone.name(),
      [](const nv1::ListNotificationsResponse& got) {
        return got.notifications_size() == 0;
      },
      "the erased newcomer's message stayed in the inbox");
  EXPECT_EQ(after.unread_count(), 0);
}

}  // namespace
}  // namespace brobygger::test
