// Subscriptions against a real redis-server: who may manage which, the
// newcomer-placed restriction, validation naming fields, limits, field
// masks, etags, idempotent creates, events and the version counter the
// router's cache watches.
#include "services/notifications/subscriptions.h"

#include <set>
#include <string>

#include "brobygger/notifications/v1/events.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "tests/notifications/subscription_fixture.h"

namespace brobygger::notifications {
namespace {

using ::google::protobuf::FieldMask;

FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

class SubscriptionsTest : public SubscriptionFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SubscriptionFixture::SetUp());
    AddOrganisation("10");
    AddVolunteer("11", /*org=*/"10");
    AddVolunteer("12");
    AddOrganisation("20");
    AddActor("30", rv1::ACTOR_KIND_NEWCOMER);
  }

  std::set<std::string> ListedNames(const auth::Principal& principal,
                                    const std::string& filter = "") {
    auto page = subscriptions().List(principal, kMunicipality, 0, "", filter);
    EXPECT_TRUE(page.ok()) << page.status();
    std::set<std::string> names;
    if (!page.ok()) return names;
    for (const auto& s : page->subscriptions) names.insert(s.name());
    return names;
  }
};

TEST_F(SubscriptionsTest, CreatesWithEventAndBumpsTheVersion) {
  v1::Subscription wanted = ForActor("12", {v1::TOPIC_ACTIVITIES});
  wanted.add_areas("  Vester Hassing ");
  wanted.add_categories(catalogue::v1::CATEGORY_LANGUAGE_CAFE);
  auto created =
      subscriptions().Create(Coordinator(), kMunicipality, wanted, "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "municipalities/aalborg/subscriptions/1");
  EXPECT_EQ(created->subscriber(), Actor("12"));
  EXPECT_EQ(created->creator(), "coordinator-1");
  EXPECT_EQ(created->areas(0), "Vester Hassing") << "trimmed";
  EXPECT_FALSE(created->etag().empty());
  EXPECT_TRUE(created->has_create_time());
  EXPECT_EQ(SubscriptionsVersion(), 1);

  auto got = subscriptions().Get(Volunteer("12"), created->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), created->SerializeAsString());

  const auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), "brobygger.notifications.v1.SubscriptionCreated");
  EXPECT_EQ(events[0].resource(), created->name());
  v1::SubscriptionCreated payload;
  ASSERT_TRUE(events[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.subscription().subscriber(), Actor("12"));
  EXPECT_EQ(payload.subscription().topics(0), v1::TOPIC_ACTIVITIES);
}

TEST_F(SubscriptionsTest, ValidationNamesEveryOffendingField) {
  v1::Subscription bad;  // no target, no topics
  auto refused = subscriptions().Create(Caseworker(), kMunicipality, bad, "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(refused.status(), "subscription.subscriber"));
  EXPECT_TRUE(Names(refused.status(), "subscription.topics"));

  bad = ForActor("12",
                 {v1::TOPIC_UNSPECIFIED, v1::TOPIC_MATCHES, v1::TOPIC_MATCHES});
  bad.add_topics(static_cast<v1::Topic>(99));
  bad.add_areas("Kærby");
  bad.add_areas("KAERBY");
  bad.add_areas("   ");
  bad.add_areas(std::string(101, 'a'));
  bad.add_categories(catalogue::v1::CATEGORY_CULTURE);  // no ACTIVITIES
  bad.add_forums(Forum("3"));                           // no FORUMS
  refused = subscriptions().Create(Caseworker(), kMunicipality, bad, "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* field : {"subscription.topics[0]", "subscription.topics[2]",
                            "subscription.topics[3]", "subscription.areas[1]",
                            "subscription.areas[2]", "subscription.areas[3]",
                            "subscription.categories", "subscription.forums"}) {
    EXPECT_TRUE(Names(refused.status(), field)) << field;
  }
  EXPECT_FALSE(Names(refused.status(), "subscription.areas[0]"));

  bad = ForActor("12", {v1::TOPIC_ACTIVITIES, v1::TOPIC_FORUMS});
  bad.add_categories(catalogue::v1::CATEGORY_UNSPECIFIED);
  bad.add_categories(catalogue::v1::CATEGORY_HEALTH);
  bad.add_categories(catalogue::v1::CATEGORY_HEALTH);
  bad.add_forums(Forum("3", kOther));
  bad.add_forums(Forum("4"));
  bad.add_forums(Forum("4"));
  bad.add_forums("forums/5");
  refused = subscriptions().Create(Caseworker(), kMunicipality, bad, "");
  for (const char* field :
       {"subscription.categories[0]", "subscription.categories[2]",
        "subscription.forums[0]", "subscription.forums[2]",
        "subscription.forums[3]"}) {
    EXPECT_TRUE(Names(refused.status(), field)) << field;
  }

  bad = ForActor("12", {v1::TOPIC_ACTIVITIES, v1::TOPIC_FORUMS});
  for (int i = 0; i < 51; ++i) bad.add_areas(absl::StrCat("Town ", i));
  for (int i = 0; i < 21; ++i) {
    bad.add_categories(catalogue::v1::CATEGORY_CULTURE);
  }
  for (int i = 1; i <= 51; ++i) bad.add_forums(Forum(absl::StrCat(i)));
  refused = subscriptions().Create(Caseworker(), kMunicipality, bad, "");
  for (const char* field : {"subscription.areas", "subscription.categories",
                            "subscription.forums"}) {
    EXPECT_TRUE(Names(refused.status(), field)) << field;
  }

  refused = subscriptions().Create(Caseworker(), kMunicipality,
                                   ForActor("x", {v1::TOPIC_MATCHES}), "");
  EXPECT_TRUE(Names(refused.status(), "subscription.subscriber"));
  v1::Subscription elsewhere = ForActor("12", {v1::TOPIC_MATCHES});
  elsewhere.set_subscriber(Actor("12", kOther));
  refused = subscriptions().Create(Caseworker(), kMunicipality, elsewhere, "");
  EXPECT_TRUE(Names(refused.status(), "subscription.subscriber"));
  refused = subscriptions().Create(
      Caseworker(), kMunicipality,
      ForWebhook("municipalities/vejle/webhooks/1", {v1::TOPIC_MATCHES}), "");
  EXPECT_TRUE(Names(refused.status(), "subscription.webhook"));

  EXPECT_EQ(SubscriptionsVersion(), 0) << "nothing was written";
  EXPECT_TRUE(Events().empty());
}

TEST_F(SubscriptionsTest, AcceptsTheLimitsExactly) {
  v1::Subscription full =
      ForActor("12", {v1::TOPIC_ACTIVITIES, v1::TOPIC_FORUMS});
  for (int i = 0; i < 50; ++i) {
    full.add_areas(absl::StrCat("Town ", i, std::string(90, 'x')));
  }
  for (int c = 1; c <= 13; ++c) {
    full.add_categories(static_cast<catalogue::v1::Category>(c));
  }
  for (int i = 1; i <= 50; ++i) full.add_forums(Forum(absl::StrCat(i)));
  auto created = subscriptions().Create(Caseworker(), kMunicipality, full, "");
  EXPECT_TRUE(created.ok()) << created.status();
}

TEST_F(SubscriptionsTest, SubscriberMustBeAKnownActorButNotANewcomer) {
  auto unknown = subscriptions().Create(
      Caseworker(), kMunicipality, ForActor("999", {v1::TOPIC_MATCHES}), "");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("actors/999"),
            absl::string_view::npos);

  auto newcomer = subscriptions().Create(
      Caseworker(), kMunicipality, ForActor("30", {v1::TOPIC_MATCHES}), "");
  EXPECT_EQ(newcomer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(newcomer.status(), "subscription.subscriber"));

  auto no_webhook = subscriptions().Create(
      Caseworker(), kMunicipality,
      ForWebhook("municipalities/aalborg/webhooks/77", {v1::TOPIC_MATCHES}),
      "");
  EXPECT_EQ(no_webhook.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SubscriptionsTest, AVolunteerManagesOnlyTheirOwn) {
  auto own = subscriptions().Create(Volunteer("12"), kMunicipality,
                                    ForActor("12", {v1::TOPIC_MATCHES}), "");
  ASSERT_TRUE(own.ok()) << own.status();
  const v1::Subscription others =
      MustSubscribe(ForActor("11", {v1::TOPIC_MATCHES}));

  auto for_other = subscriptions().Create(
      Volunteer("12"), kMunicipality, ForActor("11", {v1::TOPIC_MATCHES}), "");
  EXPECT_EQ(for_other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(subscriptions().Get(Volunteer("12"), others.name()).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::Subscription patch = others;
  patch.add_areas("Nibe");
  EXPECT_EQ(subscriptions()
                .Update(Volunteer("12"), patch, Mask({"areas"}))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(subscriptions().Delete(Volunteer("12"), others.name(), "").code(),
            absl::StatusCode::kPermissionDenied);

  EXPECT_EQ(ListedNames(Volunteer("12")), std::set<std::string>{own->name()});
  EXPECT_TRUE(
      ListedNames(Volunteer("12"), "subscriber = \"" + Actor("11") + "\"")
          .empty());
  EXPECT_EQ(ListedNames(Caseworker()).size(), 2u);
  EXPECT_TRUE(subscriptions().Delete(Volunteer("12"), own->name(), "").ok());
}

TEST_F(SubscriptionsTest, AnNgoAppManagesItsOrganisationMembersAndEndpoints) {
  const v1::WebhookEndpoint own_hook = MustCreateEndpoint("10");
  const v1::WebhookEndpoint other_hook = MustCreateEndpoint("20");
  const auth::Principal app = NgoApp("10");

  auto for_org = subscriptions().Create(
      app, kMunicipality, ForActor("10", {v1::TOPIC_MATCHES}), "");
  ASSERT_TRUE(for_org.ok()) << for_org.status();
  auto for_member = subscriptions().Create(
      app, kMunicipality, ForActor("11", {v1::TOPIC_MATCHES}), "");
  ASSERT_TRUE(for_member.ok()) << for_member.status();
  auto for_hook = subscriptions().Create(
      app, kMunicipality, ForWebhook(own_hook.name(), {v1::TOPIC_ACTIVITIES}),
      "");
  ASSERT_TRUE(for_hook.ok()) << for_hook.status();

  for (const v1::Subscription& foreign :
       {ForActor("12", {v1::TOPIC_MATCHES}),
        ForActor("20", {v1::TOPIC_MATCHES}),
        ForActor("30", {v1::TOPIC_MATCHES}),
        ForActor("999", {v1::TOPIC_MATCHES}),
        ForWebhook(other_hook.name(), {v1::TOPIC_ACTIVITIES})}) {
    auto refused = subscriptions().Create(app, kMunicipality, foreign, "");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied)
        << foreign.ShortDebugString() << " " << refused.status();
  }
  const v1::Subscription not_theirs =
      MustSubscribe(ForActor("12", {v1::TOPIC_MATCHES}));
  MustSubscribe(ForWebhook(other_hook.name(), {v1::TOPIC_MATCHES}));

  EXPECT_EQ(ListedNames(app),
            (std::set<std::string>{for_org->name(), for_member->name(),
                                   for_hook->name()}));
  EXPECT_EQ(subscriptions().Get(app, not_theirs.name()).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::Subscription patch = *for_member;
  patch.add_topics(v1::TOPIC_CONCERNS);
  EXPECT_TRUE(subscriptions().Update(app, patch, Mask({"topics"})).ok());
  EXPECT_TRUE(subscriptions().Delete(app, for_hook->name(), "").ok());
}

TEST_F(SubscriptionsTest, OperatorsAndOtherMunicipalitiesAreRefused) {
  const v1::Subscription existing =
      MustSubscribe(ForActor("12", {v1::TOPIC_MATCHES}));
  auto by_operator = subscriptions().Create(
      Operator(), kMunicipality, ForActor("12", {v1::TOPIC_MATCHES}), "");
  EXPECT_EQ(by_operator.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(subscriptions().Get(Operator(), existing.name()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(subscriptions()
                .List(Operator(), kMunicipality, 0, "", "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  const auth::Principal vejle = Caseworker(kOther);
  EXPECT_EQ(
      subscriptions()
          .Create(vejle, kMunicipality, ForActor("12", {v1::TOPIC_MATCHES}), "")
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(subscriptions().Get(vejle, existing.name()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(subscriptions().Delete(vejle, existing.name(), "").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      subscriptions().List(vejle, kMunicipality, 0, "", "").status().code(),
      absl::StatusCode::kPermissionDenied);
  auto own_list = subscriptions().List(vejle, kOther, 0, "", "");
  ASSERT_TRUE(own_list.ok()) << own_list.status();
  EXPECT_TRUE(own_list->subscriptions.empty()) << "tenants do not mix";
}

TEST_F(SubscriptionsTest, OnlyStaffSubscribeActorsToNewcomerPlacements) {
  const v1::Subscription placements =
      ForActor("12", {v1::TOPIC_NEWCOMER_PLACED});
  auto by_volunteer =
      subscriptions().Create(Volunteer("12"), kMunicipality, placements, "");
  EXPECT_EQ(by_volunteer.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(by_volunteer.status().message().find("TOPIC_NEWCOMER_PLACED"),
            absl::string_view::npos);
  auto by_app =
      subscriptions().Create(NgoApp("10"), kMunicipality,
                             ForActor("11", {v1::TOPIC_NEWCOMER_PLACED}), "");
  EXPECT_EQ(by_app.status().code(), absl::StatusCode::kPermissionDenied);

  auto by_caseworker =
      subscriptions().Create(Caseworker(), kMunicipality, placements, "");
  ASSERT_TRUE(by_caseworker.ok()) << by_caseworker.status();

  // The volunteer may narrow the subscription staff made for them, and
  // drop the topic, but not add it back.
  v1::Subscription narrowed = *by_caseworker;
  narrowed.add_areas("Nibe");
  auto updated =
      subscriptions().Update(Volunteer("12"), narrowed, Mask({"areas"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  v1::Subscription dropped = *updated;
  dropped.clear_topics();
  dropped.add_topics(v1::TOPIC_MATCHES);
  updated = subscriptions().Update(Volunteer("12"), dropped, Mask({"topics"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  v1::Subscription re_added = *updated;
  re_added.add_topics(v1::TOPIC_NEWCOMER_PLACED);
  EXPECT_EQ(subscriptions()
                .Update(Volunteer("12"), re_added, Mask({"topics"}))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      subscriptions().Update(Coordinator(), re_added, Mask({"topics"})).ok());
}

TEST_F(SubscriptionsTest, NewcomerPlacementsNeverGoToAWebhook) {
  const v1::WebhookEndpoint hook = MustCreateEndpoint("10");
  auto refused = subscriptions().Create(
      Coordinator(), kMunicipality,
      ForWebhook(hook.name(),
                 {v1::TOPIC_ACTIVITIES, v1::TOPIC_NEWCOMER_PLACED}),
      "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(refused.status(), "subscription.topics[1]"));
  EXPECT_NE(refused.status().ToString().find("external"), std::string::npos);

  const v1::Subscription activities =
      MustSubscribe(ForWebhook(hook.name(), {v1::TOPIC_ACTIVITIES}));
  v1::Subscription patch = activities;
  patch.add_topics(v1::TOPIC_NEWCOMER_PLACED);
  auto updated = subscriptions().Update(Coordinator(), patch, Mask({"*"}));
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(updated.status(), "subscription.topics[1]"));
}

TEST_F(SubscriptionsTest, AtMostAHundredPerSubscriber) {
  for (int i = 0; i < kMaxSubscriptionsPerSubscriber; ++i) {
    v1::Subscription s = ForActor("12", {v1::TOPIC_ACTIVITIES});
    s.add_areas(absl::StrCat("Town ", i));
    auto created =
        subscriptions().Create(Volunteer("12"), kMunicipality, s, "");
    ASSERT_TRUE(created.ok()) << i << " " << created.status();
  }
  auto refused = subscriptions().Create(
      Volunteer("12"), kMunicipality, ForActor("12", {v1::TOPIC_MATCHES}), "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("100"), absl::string_view::npos);
  EXPECT_TRUE(subscriptions()
                  .Create(Volunteer("11"), kMunicipality,
                          ForActor("11", {v1::TOPIC_MATCHES}), "")
                  .ok())
      << "the limit is per subscriber";

  // Deleting one makes room again.
  auto page = subscriptions().List(Volunteer("12"), kMunicipality, 1, "", "");
  ASSERT_TRUE(page.ok());
  ASSERT_TRUE(subscriptions()
                  .Delete(Volunteer("12"), page->subscriptions[0].name(), "")
                  .ok());
  EXPECT_TRUE(subscriptions()
                  .Create(Volunteer("12"), kMunicipality,
                          ForActor("12", {v1::TOPIC_MATCHES}), "")
                  .ok());
}

TEST_F(SubscriptionsTest, UpdatesOnlyTheMaskedFields) {
  v1::Subscription wanted = ForActor("12", {v1::TOPIC_ACTIVITIES});
  wanted.add_areas("Nibe");
  const v1::Subscription created = MustSubscribe(wanted);
  const int64_t version_before = SubscriptionsVersion();

  v1::Subscription patch;
  patch.set_name(created.name());
  patch.add_topics(v1::TOPIC_ACTIVITIES);
  patch.add_topics(v1::TOPIC_FORUMS);
  patch.add_areas("Hals");
  patch.add_forums(Forum("4"));
  auto topics_only =
      subscriptions().Update(Caseworker(), patch, Mask({"topics"}));
  ASSERT_TRUE(topics_only.ok()) << topics_only.status();
  EXPECT_EQ(topics_only->topics_size(), 2);
  ASSERT_EQ(topics_only->areas_size(), 1);
  EXPECT_EQ(topics_only->areas(0), "Nibe") << "not in the mask";
  EXPECT_TRUE(topics_only->forums().empty());
  EXPECT_NE(topics_only->etag(), created.etag());
  EXPECT_EQ(SubscriptionsVersion(), version_before + 1);

  auto everything = subscriptions().Update(Caseworker(), patch, Mask({"*"}));
  ASSERT_TRUE(everything.ok()) << everything.status();
  EXPECT_EQ(everything->areas(0), "Hals");
  EXPECT_EQ(everything->forums(0), Forum("4"));
  EXPECT_EQ(everything->subscriber(), Actor("12")) << "immutable, kept";
  EXPECT_EQ(everything->creator(), "caseworker-1");

  v1::Subscription retarget = patch;
  retarget.set_subscriber(Actor("11"));
  auto immutable =
      subscriptions().Update(Caseworker(), retarget, Mask({"subscriber"}));
  EXPECT_EQ(immutable.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(immutable.status(), "update_mask"));
  EXPECT_EQ(subscriptions()
                .Update(Caseworker(), patch, Mask({"creator"}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      subscriptions().Update(Caseworker(), patch, FieldMask()).status().code(),
      absl::StatusCode::kInvalidArgument);

  v1::Subscription emptied = patch;
  emptied.clear_topics();
  auto no_topics = subscriptions().Update(Caseworker(), emptied, Mask({"*"}));
  EXPECT_TRUE(Names(no_topics.status(), "subscription.topics"));

  auto got = subscriptions().Get(Caseworker(), created.name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->etag(), everything->etag());
  EXPECT_EQ(EventTypes().back(),
            "brobygger.notifications.v1.SubscriptionUpdated");
}

TEST_F(SubscriptionsTest, EtagsGuardUpdatesAndDeletes) {
  const v1::Subscription created =
      MustSubscribe(ForActor("12", {v1::TOPIC_MATCHES}));
  v1::Subscription first = created;
  first.add_areas("Nibe");
  auto updated = subscriptions().Update(Caseworker(), first, Mask({"areas"}));
  ASSERT_TRUE(updated.ok()) << updated.status();

  v1::Subscription stale = created;  // carries the first etag
  stale.add_areas("Hals");
  auto conflict = subscriptions().Update(Caseworker(), stale, Mask({"areas"}));
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(subscriptions()
                .Delete(Caseworker(), created.name(), created.etag())
                .code(),
            absl::StatusCode::kAborted);
  v1::Subscription garbage = created;
  garbage.set_etag("not an etag");
  EXPECT_EQ(subscriptions()
                .Update(Caseworker(), garbage, Mask({"areas"}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  const int64_t version_before = SubscriptionsVersion();
  ASSERT_TRUE(subscriptions()
                  .Delete(Caseworker(), created.name(), updated->etag())
                  .ok());
  EXPECT_EQ(SubscriptionsVersion(), version_before + 1);
  EXPECT_EQ(subscriptions().Get(Caseworker(), created.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(subscriptions().Delete(Caseworker(), created.name(), "").code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(ListedNames(Caseworker()).empty());
  const auto events = Events();
  ASSERT_FALSE(events.empty());
  v1::SubscriptionDeleted deleted;
  ASSERT_TRUE(events.back().payload().UnpackTo(&deleted));
  EXPECT_EQ(deleted.name(), created.name());
}

TEST_F(SubscriptionsTest, CreatesAreIdempotentByRequestId) {
  const v1::Subscription wanted = ForActor("12", {v1::TOPIC_MATCHES});
  auto first = subscriptions().Create(Volunteer("12"), kMunicipality, wanted,
                                      "3f1c2b9e-request");
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = subscriptions().Create(Volunteer("12"), kMunicipality, wanted,
                                      "3f1c2b9e-request");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());
  EXPECT_EQ(ListedNames(Caseworker()).size(), 1u);
  EXPECT_EQ(Events().size(), 1u);
  EXPECT_EQ(SubscriptionsVersion(), 1);

  // Someone else presenting the same request id learns nothing of it.
  auto stranger = subscriptions().Create(Volunteer("11"), kMunicipality,
                                         ForActor("11", {v1::TOPIC_MATCHES}),
                                         "3f1c2b9e-request");
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(subscriptions()
                .Create(Volunteer("12"), kMunicipality, wanted, "bad id!")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SubscriptionsTest, ListsByFilterAndPage) {
  const v1::WebhookEndpoint hook = MustCreateEndpoint("10");
  const v1::Subscription a =
      MustSubscribe(ForActor("12", {v1::TOPIC_MATCHES, v1::TOPIC_ACTIVITIES}));
  const v1::Subscription b = MustSubscribe(ForActor("11", {v1::TOPIC_MATCHES}));
  const v1::Subscription c =
      MustSubscribe(ForWebhook(hook.name(), {v1::TOPIC_ACTIVITIES}));

  EXPECT_EQ(ListedNames(Caseworker(), "subscriber = \"" + Actor("12") + "\""),
            std::set<std::string>{a.name()});
  EXPECT_EQ(ListedNames(Caseworker(), "webhook = \"" + hook.name() + "\""),
            std::set<std::string>{c.name()});
  EXPECT_EQ(ListedNames(Caseworker(), "topic = ACTIVITIES"),
            (std::set<std::string>{a.name(), c.name()}));
  EXPECT_EQ(ListedNames(Caseworker(),
                        "topic = TOPIC_MATCHES AND subscriber = "
                        "\"" +
                            Actor("11") + "\""),
            std::set<std::string>{b.name()});

  for (const char* bad :
       {"colour = red", "topic = WEATHER",
        "subscriber = \"municipalities/vejle/actors/1\"", "topic != MATCHES"}) {
    auto refused =
        subscriptions().List(Caseworker(), kMunicipality, 0, "", bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_TRUE(Names(refused.status(), "filter")) << bad;
  }

  auto first = subscriptions().List(Caseworker(), kMunicipality, 2, "", "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->subscriptions.size(), 2u);
  EXPECT_EQ(first->subscriptions[0].name(), a.name()) << "oldest first";
  ASSERT_FALSE(first->next_page_token.empty());
  auto second = subscriptions().List(Caseworker(), kMunicipality, 2,
                                     first->next_page_token, "");
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->subscriptions.size(), 1u);
  EXPECT_EQ(second->subscriptions[0].name(), c.name());
  EXPECT_TRUE(second->next_page_token.empty());
  EXPECT_EQ(subscriptions()
                .List(Caseworker(), kMunicipality, 2, first->next_page_token,
                      "topic = MATCHES")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument)
      << "a token belongs to its query";
}

}  // namespace
}  // namespace brobygger::notifications
