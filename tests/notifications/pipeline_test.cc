// The delivery pipeline from an event to people's inboxes, as subscribers
// experience it, against a real redis-server: who is told, what they read,
// that a redelivered event tells nobody twice, that a consumer killed in
// the middle of a batch loses nothing and repeats nothing, and that an
// erased newcomer disappears from the inboxes.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "brobygger/catalogue/v1/events.pb.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "common/events/event_bus.h"
#include "common/events/event_consumer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/concern_person_notifier.h"
#include "services/notifications/concerns.h"
#include "services/notifications/dead_letters.h"
#include "services/notifications/digest_queue.h"
#include "services/notifications/erasure.h"
#include "services/notifications/inbox_person_notifier.h"
#include "services/notifications/inbox_store.h"
#include "services/notifications/preferences_store.h"
#include "services/notifications/router.h"
#include "services/notifications/subscription_cache.h"
#include "services/notifications/subscriptions.h"
#include "tests/notifications/registry_feed.h"
#include "tests/support/test_principals.h"

namespace brobygger::notifications {
namespace {

namespace cv1 = ::brobygger::catalogue::v1;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

class PipelineTest : public RegistryFeedTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(RegistryFeedTest::SetUp());
    NotificationsContext& ctx = context();
    inbox_ = std::make_unique<InboxStore>(ctx);
    preferences_ = std::make_unique<PreferencesStore>(ctx, projection());
    digests_ = std::make_unique<DigestQueue>(ctx.pool);
    people_ = std::make_unique<InboxPersonNotifier>(
        ctx, *inbox_, *preferences_, *digests_, projection(),
        [this](absl::string_view, absl::string_view actor,
               const OutgoingEmail&) {
          emails_.push_back(std::string(actor));
          return absl::OkStatus();
        });
    concern_notifier_ = std::make_unique<ConcernPersonNotifier>(*people_);
    concerns_ =
        std::make_unique<Concerns>(ctx, projection(), *concern_notifier_);
    subscriptions_ = std::make_unique<Subscriptions>(ctx, projection());
    cache_ = std::make_unique<SubscriptionCache>(ctx);
    dead_letters_ =
        std::make_unique<DeadLetters>(ctx, DeadLetters::Replayers{});
    erasure_ = std::make_unique<Erasure>(
        *inbox_, *concerns_, *digests_, *dead_letters_, *preferences_,
        [this](absl::string_view, absl::string_view newcomer) {
          erased_deliveries_.push_back(std::string(newcomer));
          return absl::OkStatus();
        });
    router_ = std::make_unique<Router>(
        ctx, projection(), *cache_, *people_,
        [this](absl::string_view, absl::string_view webhook,
               const events::v1::Event& event, absl::string_view) {
          webhook_posts_.push_back(std::string(webhook) + "|" + event.id());
          return absl::OkStatus();
        },
        *concerns_, *concern_notifier_, *erasure_);
  }

  void Route(const events::v1::Event& event) {
    absl::Status status = router_->Handle(event);
    ASSERT_TRUE(status.ok()) << status;
  }
  void RouteActor(const rv1::Actor& actor) {
    rv1::ActorCreated created;
    *created.mutable_actor() = actor;
    Route(EventOf(actor.name(), created));
  }

  void Subscribe(const std::string& subscriber, v1::Topic topic,
                 std::vector<std::string> areas = {}) {
    v1::Subscription subscription;
    subscription.set_subscriber(subscriber);
    subscription.add_topics(topic);
    for (const std::string& area : areas) subscription.add_areas(area);
    const auth::Principal coordinator = test::MakePrincipal(
        "coordinator-1", auth::Role::kCoordinator, kMunicipality);
    absl::StatusOr<v1::Subscription> created =
        subscriptions_->Create(coordinator, kMunicipality, subscription, "");
    ASSERT_TRUE(created.ok()) << created.status();
  }

  std::vector<v1::Notification> Inbox(const std::string& actor_id) {
    absl::StatusOr<v1::ListNotificationsResponse> page =
        inbox_->List(kMunicipality, actor_id, 500, "", false);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return {};
    return {page->notifications().begin(), page->notifications().end()};
  }

  static events::v1::Event ActivityEvent(int id, const std::string& area) {
    cv1::ActivityPublished published;
    cv1::Activity* activity = published.mutable_activity();
    activity->set_name(absl::StrCat("municipalities/aalborg/activities/", id));
    activity->set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
    activity->set_display_name(absl::StrCat("Sprogcafé ", id));
    activity->set_category(cv1::CATEGORY_LANGUAGE_CAFE);
    activity->mutable_place()->set_area(area);
    activity->set_state(cv1::ACTIVITY_STATE_PUBLISHED);
    return EventOf(activity->name(), published, absl::Now(), "catalogue");
  }

  std::unique_ptr<InboxStore> inbox_;
  std::unique_ptr<PreferencesStore> preferences_;
  std::unique_ptr<DigestQueue> digests_;
  std::unique_ptr<InboxPersonNotifier> people_;
  std::unique_ptr<ConcernPersonNotifier> concern_notifier_;
  std::unique_ptr<Concerns> concerns_;
  std::unique_ptr<Subscriptions> subscriptions_;
  std::unique_ptr<SubscriptionCache> cache_;
  std::unique_ptr<DeadLetters> dead_letters_;
  std::unique_ptr<Erasure> erasure_;
  std::unique_ptr<Router> router_;
  std::vector<std::string> emails_;
  std::vector<std::string> webhook_posts_;
  std::vector<std::string> erased_deliveries_;
};

TEST_F(PipelineTest, ActivityReachesSubscribersInTheAreaOnceEvenIfRedelivered) {
  RouteActor(VolunteerActor("20", {"Vester Hassing"}));
  RouteActor(VolunteerActor("21", {"Hals"}));
  Subscribe(Actor("20"), v1::TOPIC_ACTIVITIES, {"vester hassing"});
  Subscribe(Actor("21"), v1::TOPIC_ACTIVITIES, {"Hals"});

  const events::v1::Event event = ActivityEvent(5, "Vester Hassing");
  Route(event);
  Route(event);  // redelivered after a lost acknowledgement

  std::vector<v1::Notification> inbox = Inbox("20");
  ASSERT_THAT(inbox, SizeIs(1));
  EXPECT_EQ(inbox[0].title(), "New activity in Vester Hassing: Sprogcafé 5");
  EXPECT_EQ(inbox[0].event_id(), event.id());
  EXPECT_EQ(inbox[0].topic(), v1::TOPIC_ACTIVITIES);
  EXPECT_THAT(Inbox("21"), IsEmpty());
  // Nobody chose e-mail.
  EXPECT_THAT(emails_, IsEmpty());
}

TEST_F(PipelineTest, ConsumerKilledMidBatchLosesNothingAndRepeatsNothing) {
  RouteActor(VolunteerActor("20", {"Vester Hassing"}));
  Subscribe(Actor("20"), v1::TOPIC_ACTIVITIES);
  const std::string stream = "catalogue:{aalborg}:events";
  constexpr int kEvents = 20;
  std::set<std::string> published;
  for (int i = 1; i <= kEvents; ++i) {
    const events::v1::Event event = ActivityEvent(i, "Vester Hassing");
    ASSERT_TRUE(events::Publish(*pool_, stream, event, {}).ok());
    published.insert(event.id());
  }
  events::ConsumerOptions options;
  options.group = "notifications";
  options.streams = {stream};
  options.batch_size = kEvents;
  options.block = absl::Milliseconds(50);
  options.claim_idle = absl::Milliseconds(200);
  options.dead_letter_stream = context().keys.DeadLetters();

  {
    // The first replica handles part of its batch, acknowledges some of
    // it, handles one more without acknowledging, and dies.
    options.consumer = "replica-a";
    events::EventConsumer doomed(*pool_, context().keys.space(), options);
    ASSERT_TRUE(doomed.EnsureGroups().ok());
    auto batch = doomed.ReadBatch();
    ASSERT_TRUE(batch.ok()) << batch.status();
    ASSERT_THAT(*batch, SizeIs(kEvents));
    for (int i = 0; i < 8; ++i) {
      Route((*batch)[i].event);
      ASSERT_TRUE(doomed.Ack((*batch)[i]).ok());
    }
    Route((*batch)[8].event);  // handled, never acknowledged
  }

  // The second replica reclaims what the first left pending.
  options.consumer = "replica-b";
  events::EventConsumer survivor(*pool_, context().keys.space(), options);
  absl::SleepFor(absl::Milliseconds(250));
  int handled = 0;
  for (int round = 0; round < 20 && handled < kEvents - 8; ++round) {
    auto batch = survivor.ReadBatch();
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const events::ReceivedEvent& received : *batch) {
      auto seen = survivor.AlreadyProcessed(received);
      ASSERT_TRUE(seen.ok());
      if (!*seen) Route(received.event);
      ASSERT_TRUE(survivor.Ack(received).ok());
      ++handled;
    }
  }
  EXPECT_EQ(handled, kEvents - 8);

  std::multiset<std::string> delivered;
  for (const v1::Notification& n : Inbox("20")) delivered.insert(n.event_id());
  EXPECT_EQ(delivered.size(), static_cast<size_t>(kEvents)) << "none twice";
  EXPECT_EQ(std::set<std::string>(delivered.begin(), delivered.end()),
            published)
      << "every event delivered";
}

TEST_F(PipelineTest, PlacedNewcomerReachesLocalContactsWithTheRedactedView) {
  RouteActor(VolunteerActor("20", {"Vodskov"}));
  RouteActor(VolunteerActor("21", {"Vodskov"}));
  Subscribe(Actor("20"), v1::TOPIC_NEWCOMER_PLACED, {"Vodskov"});
  // Volunteer 21 subscribed to activities only.
  Subscribe(Actor("21"), v1::TOPIC_ACTIVITIES, {"Vodskov"});

  RouteActor(NewcomerActor("30", {"Vodskov"}, /*consents=*/true));
  RouteActor(NewcomerActor("31", {"Vodskov"}, /*consents=*/false));

  std::vector<v1::Notification> inbox = Inbox("20");
  ASSERT_THAT(inbox, SizeIs(1)) << "only the newcomer who consented";
  EXPECT_EQ(inbox[0].topic(), v1::TOPIC_NEWCOMER_PLACED);
  EXPECT_THAT(inbox[0].body(), HasSubstr("Amina"));
  EXPECT_THAT(inbox[0].body(), HasSubstr("Vodskov"));
  EXPECT_THAT(inbox[0].body(), Not(HasSubstr("Haddad")));
  EXPECT_THAT(inbox[0].body(), Not(HasSubstr("Aleppo")));
  EXPECT_THAT(Inbox("21"), IsEmpty());
}

TEST_F(PipelineTest, ErasedNewcomerDisappearsFromInboxes) {
  RouteActor(VolunteerActor("20", {"Vodskov"}));
  Subscribe(Actor("20"), v1::TOPIC_NEWCOMER_PLACED, {"Vodskov"});
  Subscribe(Actor("20"), v1::TOPIC_ACTIVITIES);
  RouteActor(NewcomerActor("30", {"Vodskov"}));
  Route(ActivityEvent(5, "Vodskov"));
  ASSERT_THAT(Inbox("20"), SizeIs(2));

  rv1::NewcomerErased erased;
  erased.set_name(Actor("30"));
  const events::v1::Event erasure = EventOf(Actor("30"), erased);
  Route(erasure);
  Route(erasure);  // a redelivery finds nothing left and succeeds

  std::vector<v1::Notification> inbox = Inbox("20");
  ASSERT_THAT(inbox, SizeIs(1));
  EXPECT_EQ(inbox[0].topic(), v1::TOPIC_ACTIVITIES);
  EXPECT_THAT(erased_deliveries_, Not(IsEmpty()));
}

TEST_F(PipelineTest, MatchProposalReachesOnlyTheVolunteerAndTheirOrganisation) {
  RouteActor(VolunteerActor("20", {"Hals"}, "Yonas", "7"));
  RouteActor(VolunteerActor("21", {"Hals"}));
  Subscribe(Actor("20"), v1::TOPIC_MATCHES);
  Subscribe(Actor("21"), v1::TOPIC_MATCHES);

  mv1::MatchProposed proposed;
  mv1::Match* match = proposed.mutable_match();
  match->set_name("municipalities/aalborg/matches/3");
  match->set_newcomer(Actor("30"));
  match->set_volunteer(Actor("20"));
  match->set_organisation(Actor("7"));
  match->set_kind(mv1::MATCH_KIND_RECEPTION_BUDDY);
  Route(EventOf(match->name(), proposed, absl::Now(), "matching"));

  std::vector<v1::Notification> inbox = Inbox("20");
  ASSERT_THAT(inbox, SizeIs(1));
  EXPECT_EQ(inbox[0].urgency(), v1::URGENCY_URGENT);
  EXPECT_THAT(inbox[0].body(), Not(HasSubstr("actors/30")));
  EXPECT_THAT(Inbox("21"), IsEmpty());
}

TEST_F(PipelineTest, EmailFollowsPreferencesAndQuietHoursMoveItToTheDigest) {
  RouteActor(VolunteerActor("20", {"Hals"}));
  Subscribe(Actor("20"), v1::TOPIC_ACTIVITIES);
  v1::NotificationPreferences patch;
  patch.set_name("municipalities/aalborg/inboxes/20/preferences");
  patch.add_channels(v1::CHANNEL_EMAIL);
  patch.set_email_address("yonas@example.dk");
  // Quiet all day but one minute, so the test does not depend on the
  // hour it runs at: the message waits for the digest.
  patch.mutable_quiet_hours()->mutable_start()->set_hours(0);
  patch.mutable_quiet_hours()->mutable_start()->set_minutes(0);
  patch.mutable_quiet_hours()->mutable_end()->set_hours(23);
  patch.mutable_quiet_hours()->mutable_end()->set_minutes(59);
  google::protobuf::FieldMask mask;
  mask.add_paths("channels");
  mask.add_paths("email_address");
  mask.add_paths("quiet_hours");
  const auth::Principal volunteer =
      test::MakePrincipal(Actor("20"), auth::Role::kVolunteer, kMunicipality);
  ASSERT_TRUE(preferences_->Update(volunteer, patch, mask).ok());

  const absl::CivilMinute local = absl::ToCivilMinute(absl::Now(), []() {
    absl::TimeZone tz;
    absl::LoadTimeZone("Europe/Copenhagen", &tz);
    return tz;
  }());
  const bool in_quiet_hours = !(local.hour() == 23 && local.minute() == 59);
  Route(ActivityEvent(5, "Hals"));
  ASSERT_THAT(Inbox("20"), SizeIs(1)) << "the inbox gets it at once anyway";
  auto due = digests_->DueTime(kMunicipality, "20");
  ASSERT_TRUE(due.ok());
  if (in_quiet_hours) {
    EXPECT_THAT(emails_, IsEmpty());
    EXPECT_TRUE(due->has_value()) << "it waits for the end of quiet hours";
  } else {
    EXPECT_THAT(emails_, SizeIs(1));
  }
}

TEST_F(PipelineTest, BroadcastSubscriberInTheAudienceIsToldOnce) {
  RouteActor(VolunteerActor("20", {"Hals"}));
  Subscribe(Actor("20"), v1::TOPIC_BROADCASTS);
  v1::Broadcast broadcast;
  broadcast.set_name("municipalities/aalborg/broadcasts/2");
  broadcast.set_title("Fællesmøde torsdag");
  broadcast.set_body("Alle frivillige er velkomne.");
  broadcast.set_sent_count(1);
  // The audience got sending 1 directly, as Broadcasts sends it...
  PersonMessage direct;
  direct.notification.set_topic(v1::TOPIC_BROADCASTS);
  direct.notification.set_title(broadcast.title());
  direct.dedupe_key = "municipalities/aalborg/broadcasts/2#1";
  ASSERT_TRUE(people_->Notify(kMunicipality, {"20"}, direct).ok());
  // ...and the subscription to broadcasts sees its BroadcastSent event.
  v1::BroadcastSent sent;
  *sent.mutable_broadcast() = broadcast;
  Route(EventOf(broadcast.name(), sent, absl::Now(), kServiceName));
  EXPECT_THAT(Inbox("20"), SizeIs(1));
}

}  // namespace
}  // namespace brobygger::notifications
