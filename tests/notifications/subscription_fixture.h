// Subscriptions, webhook endpoints and the subscription cache over a
// private redis-server, with the registry projection fed the actors the
// way the follower hears of them (registry ActorCreated events), and
// principals of every role. Shared by the subscription, cache and webhook
// tests.
#ifndef BROBYGGER_TESTS_NOTIFICATIONS_SUBSCRIPTION_FIXTURE_H_
#define BROBYGGER_TESTS_NOTIFICATIONS_SUBSCRIPTION_FIXTURE_H_

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/notifications/v1/subscription.pb.h"
#include "brobygger/notifications/v1/webhook.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "common/status/errors.h"
#include "common/store/document_store.h"
#include "common/store/resource_io.h"
#include "gtest/gtest.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/notifications_keys.h"
#include "services/notifications/registry_projection.h"
#include "services/notifications/subscription_cache.h"
#include "services/notifications/subscriptions.h"
#include "services/notifications/webhook_endpoints.h"
#include "tests/support/redis_test.h"
#include "tests/support/test_principals.h"

namespace brobygger::notifications {

namespace rv1 = ::brobygger::registry::v1;

class SubscriptionFixture : public test::RedisTest {
 protected:
  static constexpr char kMunicipality[] = "aalborg";
  static constexpr char kOther[] = "vejle";

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(RedisTest::SetUp());
    store_ = std::make_unique<store::DocumentStore>(*pool_, keys_.space(),
                                                    retention_);
    ctx_ = std::make_unique<NotificationsContext>(
        NotificationsContext{*pool_, *store_, keys_, retention_});
    projection_ = std::make_unique<RegistryProjection>(*ctx_);
    subscriptions_ = std::make_unique<Subscriptions>(*ctx_, *projection_);
    webhooks_ = std::make_unique<WebhookEndpoints>(*ctx_, *projection_);
  }
  void TearDown() override {
    webhooks_.reset();
    subscriptions_.reset();
    projection_.reset();
    ctx_.reset();
    store_.reset();
  }

  NotificationsContext& ctx() { return *ctx_; }
  Subscriptions& subscriptions() { return *subscriptions_; }
  WebhookEndpoints& webhooks() { return *webhooks_; }

  static std::string Actor(const std::string& id,
                           const std::string& municipality = kMunicipality) {
    return absl::StrCat("municipalities/", municipality, "/actors/", id);
  }
  static std::string Forum(const std::string& id,
                           const std::string& municipality = kMunicipality) {
    return absl::StrCat("municipalities/", municipality, "/forums/", id);
  }

  // ---- Principals ----
  static auth::Principal Caseworker(const std::string& m = kMunicipality) {
    return test::MakePrincipal("caseworker-1", auth::Role::kCaseworker, m);
  }
  static auth::Principal Coordinator() {
    return test::MakePrincipal("coordinator-1", auth::Role::kCoordinator,
                               kMunicipality);
  }
  static auth::Principal Volunteer(const std::string& id) {
    return test::MakePrincipal(Actor(id), auth::Role::kVolunteer,
                               kMunicipality);
  }
  static auth::Principal NgoApp(const std::string& organisation_id) {
    return test::MakePrincipal("ngo-app-" + organisation_id,
                               auth::Role::kNgoApp, kMunicipality,
                               Actor(organisation_id));
  }
  static auth::Principal Operator() {
    return test::MakePrincipal("operator-1", auth::Role::kOperator, "*");
  }

  // ---- The registry, as the follower hears of it ----
  void AddActor(const std::string& id, rv1::ActorKind kind,
                const std::string& parent_id = "",
                const std::string& municipality = kMunicipality) {
    rv1::ActorCreated created;
    rv1::Actor* actor = created.mutable_actor();
    actor->set_name(Actor(id, municipality));
    actor->set_kind(kind);
    actor->set_display_name(absl::StrCat("Actor ", id));
    if (!parent_id.empty()) actor->set_parent(Actor(parent_id, municipality));
    if (kind == rv1::ACTOR_KIND_NEWCOMER) {
      actor->mutable_newcomer()->set_first_name("Amina");
      actor->add_areas("Vester Hassing");
    }
    *actor->mutable_update_time() = store::ToTimestamp(absl::Now());
    const events::v1::Event event =
        events::MakeEvent(events::EventContext{"registry", "test", ""},
                          municipality, actor->name(), created);
    auto applied = projection_->Apply(event);
    ASSERT_TRUE(applied.ok()) << applied.status();
  }
  void AddVolunteer(const std::string& id, const std::string& org = "") {
    AddActor(id, rv1::ACTOR_KIND_VOLUNTEER, org);
  }
  void AddOrganisation(const std::string& id) {
    AddActor(id, rv1::ACTOR_KIND_NGO);
  }

  // ---- Builders ----
  static v1::Subscription ForActor(const std::string& actor_id,
                                   std::initializer_list<v1::Topic> topics) {
    v1::Subscription subscription;
    subscription.set_subscriber(Actor(actor_id));
    for (v1::Topic topic : topics) subscription.add_topics(topic);
    return subscription;
  }
  static v1::Subscription ForWebhook(const std::string& webhook_name,
                                     std::initializer_list<v1::Topic> topics) {
    v1::Subscription subscription;
    subscription.set_webhook(webhook_name);
    for (v1::Topic topic : topics) subscription.add_topics(topic);
    return subscription;
  }
  static v1::WebhookEndpoint Endpoint(
      const std::string& owner_id,
      const std::string& url = "https://hooks.example.org/bro") {
    v1::WebhookEndpoint endpoint;
    endpoint.set_owner(Actor(owner_id));
    endpoint.set_display_name("Red Cross app");
    endpoint.set_url(url);
    return endpoint;
  }

  v1::Subscription MustSubscribe(
      const v1::Subscription& subscription,
      const auth::Principal& principal = Caseworker()) {
    auto created =
        subscriptions().Create(principal, kMunicipality, subscription, "");
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Subscription();
  }
  v1::WebhookEndpoint MustCreateEndpoint(
      const std::string& owner_id,
      const auth::Principal& principal = Caseworker()) {
    auto created =
        webhooks().Create(principal, kMunicipality, Endpoint(owner_id), "");
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::WebhookEndpoint();
  }

  // ---- Inspection ----
  static std::vector<std::string> FieldsOf(const absl::Status& status) {
    std::vector<std::string> fields;
    for (const FieldViolation& v : FieldViolationsOf(status)) {
      fields.push_back(v.field);
    }
    return fields;
  }
  static bool Names(const absl::Status& status, const std::string& field) {
    const std::vector<std::string> fields = FieldsOf(status);
    return std::find(fields.begin(), fields.end(), field) != fields.end();
  }
  int64_t SubscriptionsVersion(const std::string& m = kMunicipality) {
    auto reply = pool().Run({"GET", keys_.SubscriptionsVersion(m)});
    EXPECT_TRUE(reply.ok());
    return reply.ok() && reply->is_string() ? std::stoll(reply->str) : 0;
  }
  std::vector<events::v1::Event> Events(const std::string& m = kMunicipality) {
    std::vector<events::v1::Event> out;
    for (const std::string& bytes : RawEvents(m)) {
      events::v1::Event event;
      EXPECT_TRUE(event.ParseFromString(bytes));
      out.push_back(std::move(event));
    }
    return out;
  }
  std::vector<std::string> EventTypes(const std::string& m = kMunicipality) {
    std::vector<std::string> out;
    for (const events::v1::Event& event : Events(m)) {
      out.push_back(event.type());
    }
    return out;
  }
  // The serialized envelopes on the notification service's stream.
  std::vector<std::string> RawEvents(const std::string& m = kMunicipality) {
    std::vector<std::string> out;
    auto reply = pool().Run({"XRANGE", keys_.space().EventStream(m), "-", "+"});
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return out;
    for (const auto& entry : reply->elements) {
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str == "event") out.push_back(fields[i + 1].str);
      }
    }
    return out;
  }

  NotificationsKeys keys_;
  events::StreamRetention retention_{10000};

 private:
  std::unique_ptr<store::DocumentStore> store_;
  std::unique_ptr<NotificationsContext> ctx_;
  std::unique_ptr<RegistryProjection> projection_;
  std::unique_ptr<Subscriptions> subscriptions_;
  std::unique_ptr<WebhookEndpoints> webhooks_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_TESTS_NOTIFICATIONS_SUBSCRIPTION_FIXTURE_H_
