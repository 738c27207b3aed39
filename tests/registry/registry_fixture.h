// A Registry domain over a private redis-server, with principals for each
// role. Shared by the Redis-backed registry tests.
#ifndef BROBYGGER_TESTS_REGISTRY_REGISTRY_FIXTURE_H_
#define BROBYGGER_TESTS_REGISTRY_REGISTRY_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "brobygger/events/v1/event.pb.h"
#include "common/auth/principal.h"
#include "gtest/gtest.h"
#include "services/registry/registry.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_principals.h"

namespace brobygger::registry {

using test::MakePrincipal;

class RegistryFixture : public ::testing::Test {
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
    ASSERT_TRUE(server_->FlushAll().ok());
    pool_ = std::make_unique<redis::RedisPool>(server_->options());
    registry_ = std::make_unique<Registry>(*pool_, RegistryOptions());
    v1::Municipality aalborg;
    aalborg.set_display_name("Aalborg Kommune");
    aalborg.add_areas("Kærby");
    aalborg.add_areas("St. Restrup");
    ASSERT_TRUE(registry_->municipalities()
                    .Create(Operator(), "aalborg", aalborg, "")
                    .ok());
    v1::Municipality kolding;
    kolding.set_display_name("Kolding Kommune");
    ASSERT_TRUE(registry_->municipalities()
                    .Create(Operator(), "kolding", kolding, "")
                    .ok());
  }

  static auth::Principal Operator() {
    return MakePrincipal("ops", auth::Role::kOperator, "*");
  }
  static auth::Principal Coordinator(std::string municipality = "aalborg") {
    return MakePrincipal("coordinator-1", auth::Role::kCoordinator,
                         std::move(municipality));
  }
  static auth::Principal Caseworker() {
    return MakePrincipal("caseworker-1", auth::Role::kCaseworker, "aalborg");
  }
  static auth::Principal NgoApp(std::string organisation) {
    return MakePrincipal("redcross-app", auth::Role::kNgoApp, "aalborg",
                         std::move(organisation));
  }
  static auth::Principal Volunteer(std::string actor_name) {
    return MakePrincipal(std::move(actor_name), auth::Role::kVolunteer,
                         "aalborg");
  }

  static v1::Actor Organisation(
      const std::string& name, v1::ActorKind kind = v1::ACTOR_KIND_NGO_BRANCH) {
    v1::Actor actor;
    actor.set_kind(kind);
    actor.set_display_name(name);
    actor.add_areas("Kærby");
    return actor;
  }
  static v1::Actor VolunteerActor(const std::string& name,
                                  const std::string& parent = "") {
    v1::Actor actor;
    actor.set_kind(v1::ACTOR_KIND_VOLUNTEER);
    actor.set_display_name(name);
    actor.set_parent(parent);
    actor.add_areas("Kærby");
    actor.mutable_volunteer()->set_capacity(2);
    auto* language = actor.add_languages();
    language->set_code("ar");
    language->set_mother_tongue(true);
    return actor;
  }
  static v1::Actor NewcomerActor(const std::string& first_name,
                                 bool data_sharing = true) {
    v1::Actor actor;
    actor.set_kind(v1::ACTOR_KIND_NEWCOMER);
    actor.add_areas("Kærby");
    actor.add_languages()->set_code("ti");
    auto* newcomer = actor.mutable_newcomer();
    newcomer->set_first_name(first_name);
    newcomer->set_family_name("Tesfaye");
    newcomer->add_needs("bank");
    newcomer->mutable_consent()->set_volunteer_contact(true);
    newcomer->mutable_consent()->set_data_sharing(data_sharing);
    return actor;
  }

  v1::Actor MustCreate(const auth::Principal& principal, v1::Actor actor) {
    auto created =
        registry_->actors().Create(principal, "aalborg", std::move(actor), {});
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Actor();
  }

  // The events on a municipality's registry stream, oldest first.
  std::vector<events::v1::Event> Events(const std::string& municipality) {
    std::vector<events::v1::Event> out;
    auto reply = pool_->Run(
        {"XRANGE", "registry:{" + municipality + "}:events", "-", "+"});
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

  static test::RedisServer* server_;
  std::unique_ptr<redis::RedisPool> pool_;
  std::unique_ptr<Registry> registry_;
};

inline test::RedisServer* RegistryFixture::server_ = nullptr;

}  // namespace brobygger::registry

#endif  // BROBYGGER_TESTS_REGISTRY_REGISTRY_FIXTURE_H_
