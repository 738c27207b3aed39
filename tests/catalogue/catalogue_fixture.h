// A catalogue context over a private redis-server, with principals for
// each role, the whole Catalogue over the same pool, registry events fed
// the way the follower receives them, and a builder of valid activities.
// Shared by the Redis-backed catalogue tests.
#ifndef BROBYGGER_TESTS_CATALOGUE_CATALOGUE_FIXTURE_H_
#define BROBYGGER_TESTS_CATALOGUE_CATALOGUE_FIXTURE_H_

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "common/redis/redis_pool.h"
#include "common/status/errors.h"
#include "common/store/document_store.h"
#include "common/store/resource_io.h"
#include "gtest/gtest.h"
#include "services/catalogue/catalogue.h"
#include "services/catalogue/catalogue_context.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_principals.h"

namespace brobygger::catalogue {

using test::MakePrincipal;

class CatalogueFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = test::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    catalogue_.reset();
    ASSERT_TRUE(server_->FlushAll().ok());
    pool_ = std::make_unique<redis::RedisPool>(server_->options());
    store_ = std::make_unique<store::DocumentStore>(
        *pool_, redis::KeySpace(kServiceName), events::StreamRetention());
    ctx_ = std::make_unique<CatalogueContext>(
        CatalogueContext{*pool_, *store_, CatalogueKeys()});
  }

  static auth::Principal Operator() {
    return MakePrincipal("ops", auth::Role::kOperator, "*");
  }
  static auth::Principal Coordinator(std::string municipality = "aalborg") {
    return MakePrincipal("coordinator-1", auth::Role::kCoordinator,
                         std::move(municipality));
  }
  static auth::Principal Caseworker(std::string municipality = "aalborg") {
    return MakePrincipal("caseworker-1", auth::Role::kCaseworker,
                         std::move(municipality));
  }
  // An organisation's system, e.g. NgoApp("municipalities/aalborg/actors/7").
  static auth::Principal NgoApp(std::string organisation,
                                std::string municipality = "aalborg") {
    return MakePrincipal("ngo-app", auth::Role::kNgoApp,
                         std::move(municipality), std::move(organisation));
  }
  static auth::Principal Volunteer(std::string actor_name =
                                       "municipalities/"
                                       "aalborg/actors/"
                                       "99") {
    return MakePrincipal(std::move(actor_name), auth::Role::kVolunteer,
                         "aalborg");
  }

  // The events on a municipality's catalogue stream, oldest first.
  std::vector<events::v1::Event> Events(const std::string& municipality) {
    std::vector<events::v1::Event> out;
    auto reply = pool_->Run(
        {"XRANGE", "catalogue:{" + municipality + "}:events", "-", "+"});
    EXPECT_TRUE(reply.ok());
    for (const auto& entry : reply->elements) {
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str == "event") {
          events::v1::Event event;
          EXPECT_TRUE(event.ParseFromString(fields[i + 1].str));
          out.push_back(event);
        }
      }
    }
    return out;
  }

  // ---- The assembled catalogue ----

  // Short waits for unknown organisers keep refusals fast.
  static CatalogueOptions TestCatalogueOptions() {
    CatalogueOptions options;
    options.activities.organiser_wait = absl::Milliseconds(5);
    options.feed_base_url = "https://kalender.example.dk/";
    options.follower.consumer = "test";
    return options;
  }
  // Built on first use over the fixture's pool, with catalogue_options_
  // (change them before the first call).
  Catalogue& catalogue() {
    if (catalogue_ == nullptr) {
      catalogue_ = std::make_unique<Catalogue>(*pool_, catalogue_options_);
    }
    return *catalogue_;
  }

  // ---- The registry, as the follower hears of it ----

  static std::string ActorName(const std::string& id,
                               const std::string& municipality = "aalborg") {
    return absl::StrCat("municipalities/", municipality, "/actors/", id);
  }
  static events::v1::Event RegistryEvent(
      const std::string& municipality, const std::string& resource,
      const google::protobuf::Message& payload, absl::Time time = absl::Now()) {
    return events::MakeEvent(
        events::EventContext{"registry", "registry-test", ""}, municipality,
        resource, payload, time);
  }
  // Applies one registry event and its consequences.
  absl::Status FeedRegistry(const events::v1::Event& event) {
    return catalogue().follower().Handle(event);
  }
  static registry::v1::Actor ActorOf(const std::string& id,
                                     const std::string& display_name,
                                     registry::v1::ActorKind kind,
                                     const std::string& municipality,
                                     absl::Time update_time) {
    registry::v1::Actor actor;
    actor.set_name(ActorName(id, municipality));
    actor.set_kind(kind);
    actor.set_display_name(display_name);
    *actor.mutable_update_time() = store::ToTimestamp(update_time);
    return actor;
  }
  // ActorCreated of an organisation (or of any kind given).
  void RegisterOrganiser(
      const std::string& id, const std::string& display_name,
      registry::v1::ActorKind kind = registry::v1::ACTOR_KIND_NGO,
      const std::string& municipality = "aalborg",
      absl::Time update_time = absl::Now()) {
    registry::v1::ActorCreated created;
    *created.mutable_actor() =
        ActorOf(id, display_name, kind, municipality, update_time);
    const absl::Status status = FeedRegistry(RegistryEvent(
        municipality, created.actor().name(), created, update_time));
    ASSERT_TRUE(status.ok()) << status;
  }
  static events::v1::Event RenameEvent(
      const std::string& id, const std::string& display_name,
      absl::Time update_time,
      registry::v1::ActorKind kind = registry::v1::ACTOR_KIND_NGO,
      const std::string& municipality = "aalborg") {
    registry::v1::ActorUpdated updated;
    *updated.mutable_actor() =
        ActorOf(id, display_name, kind, municipality, update_time);
    updated.mutable_update_mask()->add_paths("display_name");
    return RegistryEvent(municipality, updated.actor().name(), updated,
                         update_time);
  }
  static events::v1::Event DeleteEvent(
      const std::string& id,
      registry::v1::ActorKind kind = registry::v1::ACTOR_KIND_NGO,
      const std::string& municipality = "aalborg") {
    registry::v1::ActorDeleted deleted;
    deleted.set_name(ActorName(id, municipality));
    deleted.set_kind(kind);
    return RegistryEvent(municipality, deleted.name(), deleted);
  }
  // ActorCreated of a newcomer with the areas and need tags the
  // coordination report counts.
  void RegisterNewcomer(const std::string& id,
                        const std::vector<std::string>& areas,
                        const std::vector<std::string>& needs,
                        const std::string& municipality = "aalborg") {
    registry::v1::ActorCreated created;
    *created.mutable_actor() = ActorOf(
        id, "", registry::v1::ACTOR_KIND_NEWCOMER, municipality, absl::Now());
    created.mutable_actor()->mutable_newcomer()->set_first_name("Amina");
    for (const std::string& area : areas) {
      created.mutable_actor()->add_areas(area);
    }
    for (const std::string& need : needs) {
      created.mutable_actor()->mutable_newcomer()->add_needs(need);
    }
    const absl::Status status = FeedRegistry(
        RegistryEvent(municipality, created.actor().name(), created));
    ASSERT_TRUE(status.ok()) << status;
  }

  // ---- Activities ----

  // A valid published civil offer of organiser `organiser_id`: a weekly
  // two-hour language café in Kærby from 2027-01-05 (a Tuesday) 18:00.
  static v1::Activity NewActivity(
      const std::string& organiser_id,
      const std::string& display_name = "Language café",
      const std::string& municipality = "aalborg") {
    v1::Activity activity;
    activity.set_kind(v1::ACTIVITY_KIND_CIVIL_OFFER);
    activity.set_display_name(display_name);
    activity.set_description("Practise Danish over coffee.");
    activity.set_organiser(ActorName(organiser_id, municipality));
    activity.set_category(v1::CATEGORY_LANGUAGE_CAFE);
    activity.add_languages("da");
    activity.mutable_place()->set_area("Kærby");
    activity.mutable_place()->set_address("Kærbyvej 1, 9000 Aalborg");
    activity.mutable_schedule()->set_start_time("2027-01-05T18:00");
    activity.mutable_schedule()->mutable_duration()->set_seconds(2 * 3600);
    activity.mutable_schedule()->set_rrule("FREQ=WEEKLY");
    activity.mutable_price()->set_kind(v1::Price::KIND_FREE);
    activity.set_state(v1::ACTIVITY_STATE_PUBLISHED);
    return activity;
  }
  // Creates as a coordinator (who may create anything); fails the test
  // otherwise.
  v1::Activity CreateActivity(const v1::Activity& activity,
                              const std::string& municipality = "aalborg") {
    auto created = catalogue().activities().Create(Coordinator(municipality),
                                                   municipality, activity, "");
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Activity();
  }

  // ---- Inspection ----

  static bool FieldNamed(const absl::Status& status, const std::string& field) {
    for (const FieldViolation& violation : FieldViolationsOf(status)) {
      if (violation.field == field) return true;
    }
    return false;
  }
  // Every key in Redis, sorted.
  std::vector<std::string> AllKeys() {
    auto reply = pool_->Run({"KEYS", "*"});
    EXPECT_TRUE(reply.ok());
    std::vector<std::string> keys;
    if (reply.ok()) {
      for (const redis::Reply& key : reply->elements) keys.push_back(key.str);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  }
  // The events of one payload type ("brobygger.catalogue.v1.ActivityChanged")
  // on a municipality's catalogue stream, oldest first.
  std::vector<events::v1::Event> EventsOfType(
      const std::string& type, const std::string& municipality = "aalborg") {
    std::vector<events::v1::Event> out;
    for (const events::v1::Event& event : Events(municipality)) {
      if (event.type() == type) out.push_back(event);
    }
    return out;
  }

  static test::RedisServer* server_;
  std::unique_ptr<redis::RedisPool> pool_;
  std::unique_ptr<store::DocumentStore> store_;
  std::unique_ptr<CatalogueContext> ctx_;
  CatalogueOptions catalogue_options_ = TestCatalogueOptions();
  // Declared last: destroyed before the pool it uses.
  std::unique_ptr<Catalogue> catalogue_;
};

inline test::RedisServer* CatalogueFixture::server_ = nullptr;

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_TESTS_CATALOGUE_CATALOGUE_FIXTURE_H_
