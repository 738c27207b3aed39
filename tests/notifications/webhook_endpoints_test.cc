// Webhook endpoints against a real redis-server: the signing secret is
// shown once and kept out of documents, events, Get and List; who may
// manage which endpoint; owners; field masks and etags; idempotent
// creates; rotation; the delete that takes the endpoint's subscriptions
// and secret with it.
#include "services/notifications/webhook_endpoints.h"

#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "services/notifications/webhook_circuits.h"
#include "tests/notifications/subscription_fixture.h"

namespace brobygger::notifications {
namespace {

using ::google::protobuf::FieldMask;

FieldMask Mask(std::initializer_list<const char*> paths) {
  FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

class WebhookEndpointsTest : public SubscriptionFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SubscriptionFixture::SetUp());
    AddOrganisation("10");
    AddVolunteer("11", "10");
    AddOrganisation("20");
    AddActor("21", rv1::ACTOR_KIND_MUNICIPAL_DEPARTMENT);
    AddActor("22", rv1::ACTOR_KIND_MUNICIPAL_EMPLOYEE, "21");
    AddActor("30", rv1::ACTOR_KIND_NEWCOMER);
  }

  // Every byte Redis holds for the municipality, to look for a secret.
  std::string EverythingStoredExceptSecrets() {
    std::string all;
    auto keys = pool().Run({"KEYS", "notifications:*"});
    EXPECT_TRUE(keys.ok());
    for (const auto& key : keys->elements) {
      if (absl::EndsWith(key.str, ":secret")) continue;
      auto type = pool().Run({"TYPE", key.str});
      if (type->str == "hash") {
        auto values = pool().Run({"HGETALL", key.str});
        for (const auto& v : values->elements) all += v.str + "\n";
      } else if (type->str == "string") {
        all += pool().Run({"GET", key.str})->str + "\n";
      }
    }
    for (const std::string& event : RawEvents()) all += event + "\n";
    return all;
  }

  std::set<std::string> ListedNames(const auth::Principal& principal) {
    auto page = webhooks().List(principal, kMunicipality, 0, "");
    EXPECT_TRUE(page.ok()) << page.status();
    std::set<std::string> names;
    if (!page.ok()) return names;
    for (const auto& endpoint : page->webhook_endpoints) {
      EXPECT_TRUE(endpoint.secret().empty());
      names.insert(endpoint.name());
    }
    return names;
  }
};

TEST_F(WebhookEndpointsTest, TheSecretIsShownOnceAndStoredApart) {
  auto created =
      webhooks().Create(NgoApp("10"), kMunicipality, Endpoint("10"), "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "municipalities/aalborg/webhooks/1");
  EXPECT_EQ(created->owner(), Actor("10"));
  EXPECT_EQ(created->circuit_state(),
            v1::WebhookEndpoint::CIRCUIT_STATE_CLOSED);
  EXPECT_FALSE(created->etag().empty());
  const std::string secret = created->secret();
  ASSERT_EQ(secret.size(), 43u) << "32 bytes, base64url without padding";
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(secret, &raw));
  EXPECT_EQ(raw.size(), 32u);
  EXPECT_EQ(secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
                                     "nopqrstuvwxyz0123456789-_"),
            std::string::npos);

  auto got = webhooks().Get(NgoApp("10"), created->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->secret().empty());
  EXPECT_EQ(got->etag(), created->etag());
  EXPECT_EQ(got->url(), created->url());
  EXPECT_EQ(ListedNames(Caseworker()), std::set<std::string>{created->name()});

  auto kept = webhooks().SecretOf(kMunicipality, "1");
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(*kept, secret);
  EXPECT_EQ(EverythingStoredExceptSecrets().find(secret), std::string::npos)
      << "the secret is in no document, index or event";

  const auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  v1::WebhookEndpointCreated payload;
  ASSERT_TRUE(events[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.webhook_endpoint().name(), created->name());
  EXPECT_TRUE(payload.webhook_endpoint().secret().empty());

  auto second =
      webhooks().Create(Caseworker(), kMunicipality, Endpoint("10"), "");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->secret(), secret) << "every endpoint has its own";
}

TEST_F(WebhookEndpointsTest, ARetriedCreateReturnsTheEndpointWithoutSecret) {
  auto first = webhooks().Create(NgoApp("10"), kMunicipality, Endpoint("10"),
                                 "9b8c7d6e-create");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->secret().empty());
  auto retry = webhooks().Create(NgoApp("10"), kMunicipality, Endpoint("10"),
                                 "9b8c7d6e-create");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());
  EXPECT_TRUE(retry->secret().empty());
  EXPECT_EQ(ListedNames(Caseworker()).size(), 1u);
  EXPECT_EQ(Events().size(), 1u);

  auto stranger = webhooks().Create(NgoApp("20"), kMunicipality, Endpoint("20"),
                                    "9b8c7d6e-create");
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(WebhookEndpointsTest, RotationReplacesTheSecretAtOnce) {
  const v1::WebhookEndpoint created = MustCreateEndpoint("10");
  auto rotated = webhooks().RotateSecret(NgoApp("10"), created.name());
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_EQ(rotated->secret().size(), 43u);
  EXPECT_NE(rotated->secret(), created.secret());
  EXPECT_NE(rotated->etag(), created.etag());
  EXPECT_EQ(*webhooks().SecretOf(kMunicipality, "1"), rotated->secret());
  EXPECT_TRUE(webhooks().Get(Caseworker(), created.name())->secret().empty());

  EXPECT_EQ(EventTypes().back(),
            "brobygger.notifications.v1.WebhookEndpointUpdated");
  const std::string everything = EverythingStoredExceptSecrets();
  EXPECT_EQ(everything.find(rotated->secret()), std::string::npos);
  EXPECT_EQ(everything.find(created.secret()), std::string::npos);

  EXPECT_EQ(
      webhooks().RotateSecret(NgoApp("20"), created.name()).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(webhooks()
                .RotateSecret(Caseworker(), "municipalities/aalborg/webhooks/9")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(WebhookEndpointsTest, ValidatesFieldsByName) {
  v1::WebhookEndpoint bad;
  auto refused = webhooks().Create(Caseworker(), kMunicipality, bad, "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* field :
       {"webhook_endpoint.owner", "webhook_endpoint.display_name",
        "webhook_endpoint.url"}) {
    EXPECT_TRUE(Names(refused.status(), field)) << field;
  }
  bad = Endpoint("10", "http://hooks.example.org/");
  bad.set_display_name(std::string(201, 'x'));
  refused = webhooks().Create(Caseworker(), kMunicipality, bad, "");
  EXPECT_TRUE(Names(refused.status(), "webhook_endpoint.url"));
  EXPECT_TRUE(Names(refused.status(), "webhook_endpoint.display_name"));
  EXPECT_TRUE(webhooks()
                  .Create(Caseworker(), kMunicipality,
                          Endpoint("10", "http://127.0.0.1:8080/hook"), "")
                  .ok());
}

TEST_F(WebhookEndpointsTest, TheOwnerIsAnOrganisationOfThisMunicipality) {
  for (const char* person : {"11", "22", "30"}) {
    auto refused =
        webhooks().Create(Caseworker(), kMunicipality, Endpoint(person), "");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << person;
    EXPECT_TRUE(Names(refused.status(), "webhook_endpoint.owner")) << person;
  }
  EXPECT_EQ(webhooks()
                .Create(Caseworker(), kMunicipality, Endpoint("999"), "")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  v1::WebhookEndpoint elsewhere = Endpoint("10");
  elsewhere.set_owner(Actor("10", kOther));
  EXPECT_TRUE(Names(
      webhooks().Create(Caseworker(), kMunicipality, elsewhere, "").status(),
      "webhook_endpoint.owner"));
  EXPECT_TRUE(
      webhooks().Create(Coordinator(), kMunicipality, Endpoint("21"), "").ok())
      << "a municipal department may own one";
}

TEST_F(WebhookEndpointsTest, WhoMayManageWhichEndpoint) {
  const v1::WebhookEndpoint red_cross = MustCreateEndpoint("10");
  const v1::WebhookEndpoint other = MustCreateEndpoint("20");
  const auth::Principal app = NgoApp("10");

  EXPECT_EQ(
      webhooks().Create(app, kMunicipality, Endpoint("20"), "").status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(webhooks().Get(app, other.name()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(webhooks().Delete(app, other.name(), "").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ListedNames(app), std::set<std::string>{red_cross.name()});
  EXPECT_EQ(ListedNames(Coordinator()),
            (std::set<std::string>{red_cross.name(), other.name()}));

  for (const auth::Principal& refused :
       {Volunteer("11"), Operator(), Caseworker(kOther)}) {
    EXPECT_EQ(webhooks()
                  .Create(refused, kMunicipality, Endpoint("10"), "")
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(webhooks().Get(refused, red_cross.name()).status().code(),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(webhooks().List(refused, kMunicipality, 0, "").status().code(),
              absl::StatusCode::kPermissionDenied);
  }
}

TEST_F(WebhookEndpointsTest, AtMostTwentyPerOwner) {
  for (int i = 0; i < kMaxWebhooksPerOwner; ++i) MustCreateEndpoint("10");
  auto refused =
      webhooks().Create(Caseworker(), kMunicipality, Endpoint("10"), "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(
      webhooks().Create(Caseworker(), kMunicipality, Endpoint("20"), "").ok());
}

TEST_F(WebhookEndpointsTest, UpdatesTheMaskedFieldsWithEtags) {
  const v1::WebhookEndpoint created = MustCreateEndpoint("10");
  v1::WebhookEndpoint patch;
  patch.set_name(created.name());
  patch.set_display_name("Renamed");
  patch.set_url("https://new.example.org/hook");
  patch.set_paused(true);
  auto paused = webhooks().Update(NgoApp("10"), patch, Mask({"paused"}));
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_TRUE(paused->paused());
  EXPECT_EQ(paused->display_name(), created.display_name());
  EXPECT_EQ(paused->url(), created.url());
  EXPECT_TRUE(paused->secret().empty());
  EXPECT_NE(paused->etag(), created.etag());

  auto all = webhooks().Update(NgoApp("10"), patch, Mask({"*"}));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->display_name(), "Renamed");
  EXPECT_EQ(all->url(), "https://new.example.org/hook");
  EXPECT_EQ(all->owner(), Actor("10"));
  EXPECT_EQ(*webhooks().SecretOf(kMunicipality, "1"), created.secret())
      << "an update keeps the secret";

  for (const char* path : {"owner", "secret", "circuit_state", "etag"}) {
    auto refused = webhooks().Update(Caseworker(), patch, Mask({path}));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << path;
    EXPECT_TRUE(Names(refused.status(), "update_mask")) << path;
  }
  v1::WebhookEndpoint insecure = patch;
  insecure.set_url("http://new.example.org/");
  EXPECT_TRUE(
      Names(webhooks().Update(Caseworker(), insecure, Mask({"url"})).status(),
            "webhook_endpoint.url"));

  v1::WebhookEndpoint stale = patch;
  stale.set_etag(created.etag());
  EXPECT_EQ(
      webhooks().Update(Caseworker(), stale, Mask({"paused"})).status().code(),
      absl::StatusCode::kAborted);
  EXPECT_EQ(
      webhooks().Delete(Caseworker(), created.name(), created.etag()).code(),
      absl::StatusCode::kAborted);

  for (const auto& event : Events()) {
    v1::WebhookEndpointUpdated updated;
    if (event.payload().UnpackTo(&updated)) {
      EXPECT_TRUE(updated.webhook_endpoint().secret().empty());
    }
  }
}

TEST_F(WebhookEndpointsTest, ShowsTheHealthTheDeliveryWorkerKeeps) {
  const v1::WebhookEndpoint created = MustCreateEndpoint("10");
  WebhookCircuits circuits(ctx(), CircuitBreakerPolicy{.failure_threshold = 2});
  const absl::Time t0 = absl::FromUnixSeconds(1'800'000'000);
  WebhookAttempt failed;
  failed.outcome = WebhookOutcome::kRetry;
  failed.circuit = CircuitEffect::kFailure;
  failed.reason = "HTTP 503: down for maintenance";
  ASSERT_TRUE(circuits.Record(kMunicipality, "1", failed, t0).ok());
  ASSERT_TRUE(circuits.Record(kMunicipality, "1", failed, t0).ok());

  auto open = webhooks().Get(Caseworker(), created.name());
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(open->circuit_state(), v1::WebhookEndpoint::CIRCUIT_STATE_OPEN);
  EXPECT_EQ(store::FromTimestamp(open->circuit_retry_time()),
            t0 + absl::Seconds(30));
  EXPECT_EQ(open->last_error(), "HTTP 503: down for maintenance");
  EXPECT_FALSE(open->has_last_success_time());

  ASSERT_TRUE(circuits.Allow(kMunicipality, "1", t0 + absl::Minutes(1)).ok());
  auto page = webhooks().List(Caseworker(), kMunicipality, 0, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->webhook_endpoints.size(), 1u);
  EXPECT_EQ(page->webhook_endpoints[0].circuit_state(),
            v1::WebhookEndpoint::CIRCUIT_STATE_HALF_OPEN);

  WebhookAttempt delivered;
  delivered.outcome = WebhookOutcome::kDelivered;
  delivered.circuit = CircuitEffect::kSuccess;
  ASSERT_TRUE(
      circuits.Record(kMunicipality, "1", delivered, t0 + absl::Minutes(2))
          .ok());
  auto closed = webhooks().Get(Caseworker(), created.name());
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->circuit_state(), v1::WebhookEndpoint::CIRCUIT_STATE_CLOSED);
  EXPECT_FALSE(closed->has_circuit_retry_time());
  EXPECT_EQ(store::FromTimestamp(closed->last_success_time()),
            t0 + absl::Minutes(2));
  // The last failure stays for the owner to read.
  EXPECT_EQ(closed->last_error(), "HTTP 503: down for maintenance");
}

TEST_F(WebhookEndpointsTest, NoHealthIsKeptForADeletedEndpoint) {
  WebhookCircuits circuits(ctx());
  WebhookAttempt failed;
  failed.circuit = CircuitEffect::kFailure;
  failed.reason = "HTTP 500";
  EXPECT_TRUE(circuits.Record(kMunicipality, "77", failed, absl::Now()).ok());
  EXPECT_EQ(pool()
                .Run({"EXISTS", keys_.WebhookCircuit(kMunicipality, "77")})
                ->integer,
            0);
  EXPECT_EQ(circuits.Allow(kMunicipality, "77", absl::Now()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(WebhookEndpointsTest, DeleteTakesItsSubscriptionsAndSecretAlong) {
  const v1::WebhookEndpoint hook = MustCreateEndpoint("10");
  const v1::WebhookEndpoint kept = MustCreateEndpoint("10");
  std::vector<v1::Subscription> of_hook;
  for (v1::Topic topic :
       {v1::TOPIC_ACTIVITIES, v1::TOPIC_MATCHES, v1::TOPIC_FORUMS}) {
    of_hook.push_back(MustSubscribe(ForWebhook(hook.name(), {topic})));
  }
  const v1::Subscription of_kept =
      MustSubscribe(ForWebhook(kept.name(), {v1::TOPIC_MATCHES}));
  const v1::Subscription of_actor =
      MustSubscribe(ForActor("11", {v1::TOPIC_MATCHES}));
  const int64_t version_before = SubscriptionsVersion();
  const size_t events_before = Events().size();

  ASSERT_TRUE(webhooks().Delete(NgoApp("10"), hook.name(), hook.etag()).ok());

  EXPECT_EQ(webhooks().Get(Caseworker(), hook.name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(webhooks().SecretOf(kMunicipality, "1").status().code(),
            absl::StatusCode::kNotFound);
  for (const v1::Subscription& gone : of_hook) {
    EXPECT_EQ(subscriptions().Get(Caseworker(), gone.name()).status().code(),
              absl::StatusCode::kNotFound);
  }
  EXPECT_TRUE(subscriptions().Get(Caseworker(), of_kept.name()).ok());
  EXPECT_TRUE(subscriptions().Get(Caseworker(), of_actor.name()).ok());
  EXPECT_EQ(SubscriptionsVersion(), version_before + 1);
  auto listed = subscriptions().List(Caseworker(), kMunicipality, 0, "", "");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->subscriptions.size(), 2u);
  EXPECT_EQ(ListedNames(Caseworker()), std::set<std::string>{kept.name()});

  const auto events = Events();
  ASSERT_EQ(events.size(), events_before + 4);
  std::set<std::string> deleted;
  for (size_t i = events_before; i + 1 < events.size(); ++i) {
    v1::SubscriptionDeleted payload;
    ASSERT_TRUE(events[i].payload().UnpackTo(&payload));
    deleted.insert(payload.name());
  }
  EXPECT_EQ(deleted,
            (std::set<std::string>{of_hook[0].name(), of_hook[1].name(),
                                   of_hook[2].name()}));
  v1::WebhookEndpointDeleted endpoint_deleted;
  ASSERT_TRUE(events.back().payload().UnpackTo(&endpoint_deleted));
  EXPECT_EQ(endpoint_deleted.name(), hook.name());

  auto late = subscriptions().Create(
      Caseworker(), kMunicipality,
      ForWebhook(hook.name(), {v1::TOPIC_ACTIVITIES}), "");
  EXPECT_EQ(late.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(webhooks().Delete(Caseworker(), hook.name(), "").code(),
            absl::StatusCode::kNotFound);
}

TEST_F(WebhookEndpointsTest, AnEndpointWithoutSubscriptionsLeavesTheVersion) {
  const v1::WebhookEndpoint hook = MustCreateEndpoint("10");
  ASSERT_TRUE(webhooks().Delete(Caseworker(), hook.name(), "").ok());
  EXPECT_EQ(SubscriptionsVersion(), 0)
      << "routers need not reload for an endpoint nobody subscribed";
}

TEST_F(WebhookEndpointsTest, ACascadeBuiltOnAStaleListIsRefusedWhole) {
  // What Delete does when a subscription is added between its read and
  // its write: the write names the subscriptions it read, finds one more,
  // and changes nothing (Delete then redoes it with the current list).
  const v1::WebhookEndpoint hook = MustCreateEndpoint("10");
  SubscriptionStore store(ctx());
  auto stored = store.LoadWebhook(kMunicipality, "1");
  ASSERT_TRUE(stored.ok()) << stored.status();
  const v1::Subscription late =
      MustSubscribe(ForWebhook(hook.name(), {v1::TOPIC_MATCHES}));

  SubscriptionWrite write = store.Write(kMunicipality);
  write.DeleteWebhook("1", *stored, /*subscriptions=*/{});
  auto outcome = write.Run();
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_FALSE(outcome->applied);
  EXPECT_FALSE(write.WebhookChanged(*outcome)) << "the endpoint did not change";
  EXPECT_TRUE(webhooks().Get(Caseworker(), hook.name()).ok());
  EXPECT_TRUE(webhooks().SecretOf(kMunicipality, "1").ok());
  EXPECT_TRUE(subscriptions().Get(Caseworker(), late.name()).ok());

  ASSERT_TRUE(webhooks().Delete(Caseworker(), hook.name(), "").ok());
  EXPECT_EQ(subscriptions().Get(Caseworker(), late.name()).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace brobygger::notifications
