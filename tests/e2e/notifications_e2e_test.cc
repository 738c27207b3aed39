// The notification service end to end, as the people using it see it: a
// volunteer subscribed to activities in their town finds a newly published
// activity in their inbox (and nobody elsewhere does), reads it, watches
// the inbox live and resumes a watch without missing or repeating a
// message; every call is authenticated and scoped to one's own inbox and
// municipality; health and reflection answer like every service's.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/notifications_e2e_fixture.h"
#include "tests/support/health_client.h"
#include "tests/support/reflection_client.h"

namespace brobygger::test {
namespace {

using ::testing::Contains;

TEST_F(NotificationsE2eTest,
       VolunteerSubscribedToTheirTownGetsItsNewActivityAndOnlyThat) {
  const rv1::Actor club = MustCreateActor(Organisation(
      rv1::ACTOR_KIND_SOCIAL_ASSOCIATION, "Vamdrup Madklub", {"Vamdrup"}));
  const rv1::Actor senait = MustCreateActor(Volunteer("Senait", {"Vamdrup"}));
  const rv1::Actor hanne =
      MustCreateActor(Volunteer("Hanne", {"Christiansfeld"}));
  const std::string senait_token = TokenOf(senait);
  const std::string hanne_token = TokenOf(hanne);
  MustSubscribe(
      senait_token,
      ActorSubscription(senait.name(), {nv1::TOPIC_ACTIVITIES}, {"Vamdrup"}));
  MustSubscribe(hanne_token,
                ActorSubscription(hanne.name(), {nv1::TOPIC_ACTIVITIES},
                                  {"Christiansfeld"}));

  const catalogue::v1::Activity dining =
      MustPublishActivity("Fællesspisning i Vamdrup", "Vamdrup", club);
  nv1::ListNotificationsResponse inbox =
      WaitForMessages(senait_token, senait.name(), 1);
  ASSERT_EQ(inbox.notifications_size(), 1);
  const nv1::Notification& message = inbox.notifications(0);
  EXPECT_EQ(message.title(),
            "New activity in Vamdrup: Fællesspisning i Vamdrup");
  EXPECT_EQ(message.topic(), nv1::TOPIC_ACTIVITIES);
  EXPECT_EQ(message.resource(), dining.name());
  EXPECT_FALSE(message.has_read_time());
  EXPECT_EQ(inbox.unread_count(), 1);

  nv1::MarkNotificationsReadRequest mark;
  mark.set_parent(InboxOf(senait.name()));
  mark.add_names(message.name());
  auto marked =
      Call(*notifications_stub_, &NotificationsStub::MarkNotificationsRead,
           senait_token, mark);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->marked_count(), 1);
  EXPECT_EQ(marked->unread_count(), 0);
  auto reread = ListInbox(senait_token, senait.name());
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(reread->unread_count(), 0);
  ASSERT_EQ(reread->notifications_size(), 1);
  EXPECT_TRUE(reread->notifications(0).has_read_time());

  // An activity in Christiansfeld reaches Hanne. The catalogue's events
  // are routed in order, so once it is there the Vamdrup one was routed
  // too: had it been for Hanne, it would be in her inbox now.
  const catalogue::v1::Activity choir =
      MustPublishActivity("Sangaften i Christiansfeld", "Christiansfeld", club);
  const nv1::ListNotificationsResponse hannes =
      WaitForMessages(hanne_token, hanne.name(), 1);
  ASSERT_EQ(hannes.notifications_size(), 1);
  EXPECT_EQ(hannes.notifications(0).resource(), choir.name());
  auto senaits = ListInbox(senait_token, senait.name());
  ASSERT_TRUE(senaits.ok()) << senaits.status();
  EXPECT_EQ(senaits->notifications_size(), 1)
      << "the Christiansfeld activity reached the Vamdrup volunteer";
}

TEST_F(NotificationsE2eTest,
       WatchDeliversLiveAndResumesFromTheCursorWithoutGapsOrRepeats) {
  const rv1::Actor club = MustCreateActor(Organisation(
      rv1::ACTOR_KIND_SOCIAL_ASSOCIATION, "Vamdrup Madklub", {"Vamdrup"}));
  const rv1::Actor senait = MustCreateActor(Volunteer("Senait", {"Vamdrup"}));
  const std::string token = TokenOf(senait);
  MustSubscribe(token,
                ActorSubscription(senait.name(), {nv1::TOPIC_ACTIVITIES}));

  std::string cursor;
  {
    InboxWatch watch(*notifications_stub_, token, InboxOf(senait.name()));
    // The first response is a heartbeat: the watch is in place.
    std::optional<InboxWatch::Response> first = watch.Next(kDeliveryDeadline);
    ASSERT_TRUE(first.has_value()) << "the watch sent no heartbeat";
    EXPECT_FALSE(first->has_notification());
    EXPECT_FALSE(first->cursor().empty());

    const catalogue::v1::Activity first_activity =
        MustPublishActivity("Sprogcafé", "Vamdrup", club);
    std::optional<nv1::Notification> live =
        watch.NextNotification(kDeliveryDeadline);
    ASSERT_TRUE(live.has_value()) << "the activity never came live";
    EXPECT_EQ(live->resource(), first_activity.name());
    cursor = watch.cursor();
    ASSERT_FALSE(cursor.empty());
  }  // the client hangs up

  const catalogue::v1::Activity second =
      MustPublishActivity("Lektiecafé", "Vamdrup", club);
  const catalogue::v1::Activity third =
      MustPublishActivity("Fodbold", "Vamdrup", club);
  WaitForMessages(token, senait.name(), 3);

  InboxWatch resumed(*notifications_stub_, token, InboxOf(senait.name()),
                     cursor);
  std::vector<std::string> resources;
  for (int i = 0; i < 2; ++i) {
    std::optional<nv1::Notification> next =
        resumed.NextNotification(kDeliveryDeadline);
    ASSERT_TRUE(next.has_value()) << "only " << i << " after the cursor";
    resources.push_back(next->resource());
  }
  EXPECT_EQ(resources, (std::vector<std::string>{second.name(), third.name()}));

  // The next message on the stream is a new one: nothing was repeated in
  // between.
  const catalogue::v1::Activity fourth =
      MustPublishActivity("Strikkeklub", "Vamdrup", club);
  std::optional<nv1::Notification> next =
      resumed.NextNotification(kDeliveryDeadline);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->resource(), fourth.name());
}

TEST_F(NotificationsE2eTest, InboxesAreTheirOwnersAndTheMunicipalitys) {
  const rv1::Actor senait = MustCreateActor(Volunteer("Senait", {"Vamdrup"}));
  const rv1::Actor hanne = MustCreateActor(Volunteer("Hanne", {"Vamdrup"}));
  WaitUntilKnown(hanne);

  EXPECT_TRUE(ListInbox(TokenOf(senait), senait.name()).ok());
  EXPECT_EQ(ListInbox(TokenOf(senait), hanne.name()).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "a volunteer read another volunteer's inbox";
  const std::string elsewhere =
      MintTestToken(auth::Role::kCoordinator, {"aalborg"}, "coordinator-a");
  EXPECT_EQ(ListInbox(elsewhere, senait.name()).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "another municipality's coordinator read an inbox";
  EXPECT_EQ(ListInbox(operator_, senait.name()).status().code(),
            absl::StatusCode::kPermissionDenied)
      << "operators read no messages";
  EXPECT_EQ(ListInbox("", senait.name()).status().code(),
            absl::StatusCode::kUnauthenticated);

  // Operators handle what the pipeline gave up on instead.
  nv1::ListDeadLettersRequest dead_letters;
  dead_letters.set_municipality(municipality_);
  auto listed = Call(*notifications_stub_, &NotificationsStub::ListDeadLetters,
                     operator_, dead_letters);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->dead_letters_size(), 0);
  EXPECT_EQ(Call(*notifications_stub_, &NotificationsStub::ListDeadLetters,
                 coordinator_, dead_letters)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(NotificationsE2eTest, SubscriptionsAreCheckedAndExplained) {
  const rv1::Actor senait = MustCreateActor(Volunteer("Senait", {"Vamdrup"}));
  const rv1::Actor hanne = MustCreateActor(Volunteer("Hanne", {"Vamdrup"}));
  WaitUntilKnown(hanne);

  auto no_topics =
      Subscribe(coordinator_, ActorSubscription(senait.name(), {}));
  EXPECT_EQ(no_topics.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(no_topics.status()),
              Contains("subscription.topics"))
      << no_topics.status();

  EXPECT_EQ(Subscribe(TokenOf(senait),
                      ActorSubscription(hanne.name(), {nv1::TOPIC_ACTIVITIES}))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied)
      << "a volunteer subscribed someone else";
  EXPECT_EQ(
      Subscribe(TokenOf(senait),
                ActorSubscription(senait.name(), {nv1::TOPIC_NEWCOMER_PLACED}))
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied)
      << "only staff subscribe people to newcomers placed in their town";
  EXPECT_EQ(
      Subscribe("", ActorSubscription(senait.name(), {nv1::TOPIC_ACTIVITIES}))
          .status()
          .code(),
      absl::StatusCode::kUnauthenticated);
  const std::string elsewhere = MintTestToken(
      auth::Role::kVolunteer, {"aalborg"}, "municipalities/aalborg/actors/1");
  EXPECT_EQ(Subscribe(elsewhere,
                      ActorSubscription(senait.name(), {nv1::TOPIC_ACTIVITIES}))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(NotificationsE2eTest, HealthIsServing) {
  absl::StatusOr<bool> readiness = IsServing(notifications_->channel(), "");
  ASSERT_TRUE(readiness.ok()) << readiness.status();
  EXPECT_TRUE(*readiness);
  absl::StatusOr<bool> liveness =
      IsServing(notifications_->channel(), "liveness");
  ASSERT_TRUE(liveness.ok()) << liveness.status();
  EXPECT_TRUE(*liveness);
}

TEST_F(NotificationsE2eTest, ReflectionListsTheNotificationService) {
  absl::StatusOr<std::vector<std::string>> services =
      ListServices(notifications_->channel());
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services,
              Contains("brobygger.notifications.v1.NotificationService"));
}

}  // namespace
}  // namespace brobygger::test
