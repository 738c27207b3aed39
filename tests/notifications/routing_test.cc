// Who is told about what: events classified into topics and messages, and
// subscriptions filtering them, as subscribers experience it.
#include "services/notifications/routing.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "brobygger/catalogue/v1/events.pb.h"
#include "brobygger/matching/v1/events.pb.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/events/event_bus.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/routed_event.h"

namespace brobygger::notifications {
namespace {

namespace cv1 = ::brobygger::catalogue::v1;
namespace mv1 = ::brobygger::matching::v1;
namespace rv1 = ::brobygger::registry::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kVolunteer[] = "municipalities/aalborg/actors/20";
constexpr char kOtherVolunteer[] = "municipalities/aalborg/actors/21";
constexpr char kRedCross[] = "municipalities/aalborg/actors/7";
constexpr char kOtherNgo[] = "municipalities/aalborg/actors/8";
constexpr char kDepartment[] = "municipalities/aalborg/actors/2";
constexpr char kRedCrossHook[] = "municipalities/aalborg/webhooks/1";
constexpr char kOtherHook[] = "municipalities/aalborg/webhooks/2";

class FakeFacts : public RoutingFacts {
 public:
  rv1::ActorKind KindOf(const std::string& actor) override {
    auto it = kinds.find(actor);
    return it == kinds.end() ? rv1::ACTOR_KIND_UNSPECIFIED : it->second;
  }
  std::string WebhookOwner(const std::string& webhook) override {
    auto it = owners.find(webhook);
    return it == owners.end() ? "" : it->second;
  }
  std::map<std::string, rv1::ActorKind> kinds = {
      {kVolunteer, rv1::ACTOR_KIND_VOLUNTEER},
      {kOtherVolunteer, rv1::ACTOR_KIND_VOLUNTEER},
      {kRedCross, rv1::ACTOR_KIND_NGO},
      {kDepartment, rv1::ACTOR_KIND_MUNICIPAL_DEPARTMENT}};
  std::map<std::string, std::string> owners = {{kRedCrossHook, kRedCross},
                                               {kOtherHook, kOtherNgo}};
};

template <typename Payload>
events::v1::Event EventOf(const Payload& payload) {
  return events::MakeEvent({"test", "someone", ""}, "aalborg", "resource",
                           payload);
}

cv1::Activity LanguageCafe() {
  cv1::Activity activity;
  activity.set_name("municipalities/aalborg/activities/5");
  activity.set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
  activity.set_display_name("Sprogcafé");
  activity.set_organiser_display_name("Røde Kors Aalborg");
  activity.set_category(cv1::CATEGORY_LANGUAGE_CAFE);
  activity.mutable_place()->set_area("Vester Hassing");
  activity.set_state(cv1::ACTIVITY_STATE_PUBLISHED);
  return activity;
}

mv1::Match ProposedMatch() {
  mv1::Match match;
  match.set_name("municipalities/aalborg/matches/3");
  match.set_newcomer("municipalities/aalborg/actors/99");
  match.set_volunteer(kVolunteer);
  match.set_organisation(kRedCross);
  match.set_kind(mv1::MATCH_KIND_RECEPTION_BUDDY);
  match.set_state(mv1::Match::STATE_PROPOSED);
  return match;
}

v1::Subscription ActorSubscription(const std::string& id,
                                   const std::string& subscriber,
                                   v1::Topic topic) {
  v1::Subscription subscription;
  subscription.set_name("municipalities/aalborg/subscriptions/" + id);
  subscription.set_subscriber(subscriber);
  subscription.add_topics(topic);
  return subscription;
}

v1::Subscription WebhookSubscription(const std::string& id,
                                     const std::string& webhook,
                                     v1::Topic topic) {
  v1::Subscription subscription;
  subscription.set_name("municipalities/aalborg/subscriptions/" + id);
  subscription.set_webhook(webhook);
  subscription.add_topics(topic);
  return subscription;
}

std::vector<std::string> Targets(const RoutedEvent& event,
                                 const std::vector<v1::Subscription>& subs) {
  std::vector<const v1::Subscription*> pointers;
  for (const v1::Subscription& s : subs) pointers.push_back(&s);
  FakeFacts facts;
  std::vector<std::string> targets;
  for (const Recipient& r : Route(event, pointers, facts)) {
    targets.push_back(r.target);
  }
  return targets;
}

TEST(ClassifyEventTest, PublishedActivityIsAnnouncedWithItsTownAndOrganiser) {
  cv1::ActivityPublished published;
  *published.mutable_activity() = LanguageCafe();
  auto routed = ClassifyEvent(EventOf(published), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  EXPECT_EQ(routed->topic, v1::TOPIC_ACTIVITIES);
  EXPECT_EQ(routed->title, "New activity in Vester Hassing: Sprogcafé");
  EXPECT_THAT(routed->body, HasSubstr("Røde Kors Aalborg"));
  EXPECT_THAT(routed->areas, ElementsAre("Vester Hassing"));
  EXPECT_EQ(routed->category, cv1::CATEGORY_LANGUAGE_CAFE);
  EXPECT_TRUE(routed->to_webhooks);
}

TEST(ClassifyEventTest, MunicipalTasksAndUnpublishedChangesTellNobody) {
  cv1::ActivityPublished task;
  *task.mutable_activity() = LanguageCafe();
  task.mutable_activity()->set_kind(cv1::ACTIVITY_KIND_MUNICIPAL_TASK);
  EXPECT_FALSE(ClassifyEvent(EventOf(task), std::nullopt).has_value());

  cv1::ActivityChanged draft;
  *draft.mutable_activity() = LanguageCafe();
  draft.mutable_activity()->set_state(cv1::ACTIVITY_STATE_DRAFT);
  EXPECT_FALSE(ClassifyEvent(EventOf(draft), std::nullopt).has_value());

  rv1::ActorUpdated updated;
  updated.mutable_actor()->set_name(kVolunteer);
  EXPECT_FALSE(ClassifyEvent(EventOf(updated), std::nullopt).has_value());
}

TEST(ClassifyEventTest, CancellationSaysWhy) {
  cv1::ActivityCancelled cancelled;
  *cancelled.mutable_activity() = LanguageCafe();
  cancelled.set_reason("the hall is being renovated");
  auto routed = ClassifyEvent(EventOf(cancelled), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  EXPECT_THAT(routed->title, HasSubstr("cancelled"));
  EXPECT_THAT(routed->body, HasSubstr("the hall is being renovated"));
}

TEST(ClassifyEventTest, MatchEventsNameNoNewcomer) {
  mv1::MatchProposed proposed;
  *proposed.mutable_match() = ProposedMatch();
  auto routed = ClassifyEvent(EventOf(proposed), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  EXPECT_EQ(routed->topic, v1::TOPIC_MATCHES);
  EXPECT_EQ(routed->urgency, v1::URGENCY_URGENT);
  EXPECT_EQ(routed->volunteer, kVolunteer);
  EXPECT_EQ(routed->organisation, kRedCross);
  EXPECT_THAT(routed->body, Not(HasSubstr("actors/99")));
  EXPECT_THAT(routed->title, Not(HasSubstr("actors/99")));
  EXPECT_THAT(routed->title, HasSubstr("reception buddy"));
}

TEST(ClassifyEventTest, PlacedNewcomerCarriesOnlyTheRedactedView) {
  rv1::Actor newcomer;
  newcomer.set_name("municipalities/aalborg/actors/99");
  newcomer.set_kind(rv1::ACTOR_KIND_NEWCOMER);
  newcomer.add_areas("Vester Hassing");
  newcomer.add_languages()->set_code("ti");
  newcomer.mutable_newcomer()->set_first_name("Yonas");
  newcomer.mutable_newcomer()->add_needs("bank");
  rv1::ActorCreated created;
  *created.mutable_actor() = newcomer;
  created.mutable_actor()->mutable_newcomer()->set_family_name("Tesfay");

  auto routed = ClassifyEvent(EventOf(created), newcomer);
  ASSERT_TRUE(routed.has_value());
  EXPECT_EQ(routed->topic, v1::TOPIC_NEWCOMER_PLACED);
  EXPECT_FALSE(routed->to_webhooks);
  EXPECT_EQ(routed->about_newcomer, "99");
  EXPECT_THAT(routed->body, HasSubstr("Yonas"));
  EXPECT_THAT(routed->body, HasSubstr("Vester Hassing"));
  EXPECT_THAT(routed->body, HasSubstr("bank"));
  EXPECT_THAT(routed->body, Not(HasSubstr("Tesfay")));
  // Without the projection's word that the newcomer was placed, creating a
  // newcomer announces nothing (no consent, or no town).
  EXPECT_FALSE(ClassifyEvent(EventOf(created), std::nullopt).has_value());
}

TEST(ClassifyEventTest, LongTextsAreShortenedWithoutBreakingCharacters) {
  cv1::ActivityPublished published;
  *published.mutable_activity() = LanguageCafe();
  std::string name;
  for (int i = 0; i < 300; ++i) name += "æ";
  published.mutable_activity()->set_display_name(name);
  auto routed = ClassifyEvent(EventOf(published), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  EXPECT_LE(routed->title.size(), 200u * 3);
  EXPECT_TRUE(absl::EndsWith(routed->title, "…"));
  // Every "æ" is two bytes; a cut inside one would leave a lone byte.
  const std::string prefix = "New activity in Vester Hassing: ";
  EXPECT_EQ((routed->title.size() - prefix.size() - 3) % 2, 0u);
}

TEST(RouteTest, AreaFilterComparesIgnoringCaseAndAccents) {
  cv1::ActivityPublished published;
  *published.mutable_activity() = LanguageCafe();
  auto routed = ClassifyEvent(EventOf(published), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  v1::Subscription near =
      ActorSubscription("1", kVolunteer, v1::TOPIC_ACTIVITIES);
  near.add_areas("vester hassing");
  v1::Subscription far =
      ActorSubscription("2", kOtherVolunteer, v1::TOPIC_ACTIVITIES);
  far.add_areas("Nørresundby");
  v1::Subscription everywhere =
      ActorSubscription("3", kDepartment, v1::TOPIC_ACTIVITIES);
  EXPECT_THAT(Targets(*routed, {near, far, everywhere}),
              ElementsAre(kVolunteer, kDepartment));
}

TEST(RouteTest, CategoryFilterAndTopicMustMatch) {
  cv1::ActivityPublished published;
  *published.mutable_activity() = LanguageCafe();
  auto routed = ClassifyEvent(EventOf(published), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  v1::Subscription sport =
      ActorSubscription("1", kVolunteer, v1::TOPIC_ACTIVITIES);
  sport.add_categories(cv1::CATEGORY_SPORT_AND_LEISURE);
  v1::Subscription cafes =
      ActorSubscription("2", kOtherVolunteer, v1::TOPIC_ACTIVITIES);
  cafes.add_categories(cv1::CATEGORY_LANGUAGE_CAFE);
  v1::Subscription forums =
      ActorSubscription("3", kDepartment, v1::TOPIC_FORUMS);
  EXPECT_THAT(Targets(*routed, {sport, cafes, forums}),
              ElementsAre(kOtherVolunteer));
}

TEST(RouteTest, MatchesGoOnlyToTheVolunteerAndTheirOrganisation) {
  mv1::MatchProposed proposed;
  *proposed.mutable_match() = ProposedMatch();
  auto routed = ClassifyEvent(EventOf(proposed), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  EXPECT_THAT(
      Targets(*routed,
              {ActorSubscription("1", kVolunteer, v1::TOPIC_MATCHES),
               ActorSubscription("2", kOtherVolunteer, v1::TOPIC_MATCHES),
               ActorSubscription("3", kRedCross, v1::TOPIC_MATCHES),
               ActorSubscription("4", kOtherNgo, v1::TOPIC_MATCHES),
               WebhookSubscription("5", kRedCrossHook, v1::TOPIC_MATCHES),
               WebhookSubscription("6", kOtherHook, v1::TOPIC_MATCHES)}),
      ElementsAre(kVolunteer, kRedCross, kRedCrossHook));
}

TEST(RouteTest, PlacedNewcomerNeverReachesWebhooks) {
  rv1::Actor newcomer;
  newcomer.set_name("municipalities/aalborg/actors/99");
  newcomer.set_kind(rv1::ACTOR_KIND_NEWCOMER);
  newcomer.add_areas("Vester Hassing");
  rv1::ActorCreated created;
  *created.mutable_actor() = newcomer;
  auto routed = ClassifyEvent(EventOf(created), newcomer);
  ASSERT_TRUE(routed.has_value());
  v1::Subscription contact =
      ActorSubscription("1", kVolunteer, v1::TOPIC_NEWCOMER_PLACED);
  contact.add_areas("Vester Hassing");
  v1::Subscription elsewhere =
      ActorSubscription("2", kOtherVolunteer, v1::TOPIC_NEWCOMER_PLACED);
  elsewhere.add_areas("Hals");
  EXPECT_THAT(
      Targets(*routed, {contact, elsewhere,
                        WebhookSubscription("3", kRedCrossHook,
                                            v1::TOPIC_NEWCOMER_PLACED)}),
      ElementsAre(kVolunteer));
}

TEST(RouteTest, ConcernsOverviewIsForMunicipalSubscribersOnly) {
  v1::ConcernRaised raised;
  raised.mutable_concern()->set_name("municipalities/aalborg/concerns/4");
  raised.mutable_concern()->set_newcomer("municipalities/aalborg/actors/99");
  raised.mutable_concern()->set_topic("housing");
  auto routed = ClassifyEvent(EventOf(raised), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  EXPECT_EQ(routed->about_newcomer, "99");
  EXPECT_THAT(
      Targets(*routed,
              {ActorSubscription("1", kVolunteer, v1::TOPIC_CONCERNS),
               ActorSubscription("2", kDepartment, v1::TOPIC_CONCERNS),
               WebhookSubscription("3", kRedCrossHook, v1::TOPIC_CONCERNS)}),
      ElementsAre(kDepartment));
}

TEST(RouteTest, SubscriberWithTwoMatchingSubscriptionsIsToldOnce) {
  cv1::ActivityPublished published;
  *published.mutable_activity() = LanguageCafe();
  auto routed = ClassifyEvent(EventOf(published), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  std::vector<v1::Subscription> subs = {
      ActorSubscription("1", kVolunteer, v1::TOPIC_ACTIVITIES),
      ActorSubscription("2", kVolunteer, v1::TOPIC_ACTIVITIES)};
  std::vector<const v1::Subscription*> pointers = {&subs[0], &subs[1]};
  FakeFacts facts;
  std::vector<Recipient> recipients = Route(*routed, pointers, facts);
  ASSERT_EQ(recipients.size(), 1u);
  EXPECT_EQ(recipients[0].subscription,
            "municipalities/aalborg/subscriptions/1");
}

TEST(RouteTest, NoSubscriptionsTellNobody) {
  cv1::ActivityPublished published;
  *published.mutable_activity() = LanguageCafe();
  auto routed = ClassifyEvent(EventOf(published), std::nullopt);
  ASSERT_TRUE(routed.has_value());
  EXPECT_THAT(Targets(*routed, {}), IsEmpty());
}

}  // namespace
}  // namespace brobygger::notifications
