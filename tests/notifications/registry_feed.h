// The notification service's projection of the registry and of matching
// over a private redis-server, fed with the events those services publish,
// and builders of the actors, contact points, municipality and matches the
// events carry. Shared by the projection and concern tests.
#ifndef BROBYGGER_TESTS_NOTIFICATIONS_REGISTRY_FEED_H_
#define BROBYGGER_TESTS_NOTIFICATIONS_REGISTRY_FEED_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/matching/v1/events.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "brobygger/registry/v1/municipality.pb.h"
#include "common/events/event_bus.h"
#include "common/store/document_store.h"
#include "common/store/resource_io.h"
#include "gtest/gtest.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/registry_projection.h"
#include "tests/support/redis_test.h"

namespace brobygger::notifications {

namespace rv1 = ::brobygger::registry::v1;
namespace mv1 = ::brobygger::matching::v1;

class RegistryFeedTest : public test::RedisTest {
 protected:
  static constexpr char kMunicipality[] = "aalborg";

  void SetUp() override {
    projection_.reset();
    context_.reset();
    store_.reset();
    ASSERT_NO_FATAL_FAILURE(RedisTest::SetUp());
    store_ = std::make_unique<store::DocumentStore>(
        *pool_, NotificationsKeys().space(), events::StreamRetention{});
    context_ = std::make_unique<NotificationsContext>(NotificationsContext{
        *pool_, *store_, NotificationsKeys(), events::StreamRetention{}});
    projection_ = std::make_unique<RegistryProjection>(*context_);
  }
  void TearDown() override {
    projection_.reset();
    context_.reset();
    store_.reset();
  }

  NotificationsContext& context() { return *context_; }
  RegistryProjection& projection() { return *projection_; }

  static std::string Actor(const std::string& id,
                           const std::string& municipality = kMunicipality) {
    return absl::StrCat("municipalities/", municipality, "/actors/", id);
  }

  // ---- Events as the registry and matching publish them ----

  static events::v1::Event EventOf(
      const std::string& resource, const google::protobuf::Message& payload,
      absl::Time time = absl::Now(), const std::string& source = "registry",
      const std::string& municipality = kMunicipality) {
    return events::MakeEvent(events::EventContext{source, "test", ""},
                             municipality, resource, payload, time);
  }
  ProjectionChange Feed(const events::v1::Event& event) {
    absl::StatusOr<ProjectionChange> change = projection().Apply(event);
    EXPECT_TRUE(change.ok()) << change.status();
    return change.ok() ? *change : ProjectionChange();
  }

  // ---- Actors ----

  static rv1::Actor VolunteerActor(
      const std::string& id, std::vector<std::string> areas = {"Nørresundby"},
      const std::string& display_name = "Volunteer",
      const std::string& parent_id = "", absl::Time updated = absl::Now()) {
    rv1::Actor actor;
    actor.set_name(Actor(id));
    actor.set_kind(rv1::ACTOR_KIND_VOLUNTEER);
    actor.set_display_name(display_name);
    if (!parent_id.empty()) actor.set_parent(Actor(parent_id));
    for (const std::string& area : areas) actor.add_areas(area);
    actor.set_description("Retired teacher; evenings and weekends");
    actor.mutable_volunteer()->set_capacity(2);
    *actor.mutable_update_time() = store::ToTimestamp(updated);
    return actor;
  }
  static rv1::Actor EmployeeActor(const std::string& id,
                                  const std::string& display_name) {
    rv1::Actor actor;
    actor.set_name(Actor(id));
    actor.set_kind(rv1::ACTOR_KIND_MUNICIPAL_EMPLOYEE);
    actor.set_display_name(display_name);
    *actor.mutable_update_time() = store::ToTimestamp(absl::Now());
    return actor;
  }
  static rv1::Actor NewcomerActor(const std::string& id,
                                  std::vector<std::string> areas = {"Vodskov"},
                                  bool consents = true,
                                  absl::Time updated = absl::Now()) {
    rv1::Actor actor;
    actor.set_name(Actor(id));
    actor.set_kind(rv1::ACTOR_KIND_NEWCOMER);
    actor.set_display_name("Amina Haddad");
    actor.set_description("Arrived from Aleppo with two children");
    for (const std::string& area : areas) actor.add_areas(area);
    rv1::LanguageSkill* arabic = actor.add_languages();
    arabic->set_code("ar");
    arabic->set_mother_tongue(true);
    rv1::NewcomerProfile* newcomer = actor.mutable_newcomer();
    newcomer->set_first_name("Amina");
    newcomer->set_family_name("Haddad");
    newcomer->add_needs("bank");
    newcomer->set_caseworker("caseworker-7");
    newcomer->mutable_household()->set_adults(1);
    newcomer->mutable_consent()->set_volunteer_contact(consents);
    newcomer->mutable_consent()->set_data_sharing(consents);
    *actor.mutable_update_time() = store::ToTimestamp(updated);
    return actor;
  }

  ProjectionChange CreateActor(const rv1::Actor& actor) {
    rv1::ActorCreated created;
    *created.mutable_actor() = actor;
    return Feed(EventOf(actor.name(), created));
  }
  ProjectionChange UpdateActor(const rv1::Actor& actor) {
    rv1::ActorUpdated updated;
    *updated.mutable_actor() = actor;
    return Feed(EventOf(actor.name(), updated));
  }
  ProjectionChange DeleteActor(const std::string& id) {
    rv1::ActorDeleted deleted;
    deleted.set_name(Actor(id));
    deleted.set_kind(rv1::ACTOR_KIND_VOLUNTEER);
    return Feed(EventOf(deleted.name(), deleted));
  }
  ProjectionChange EraseNewcomerFromRegistry(const std::string& id) {
    rv1::NewcomerErased erased;
    erased.set_name(Actor(id));
    return Feed(EventOf(erased.name(), erased));
  }

  // ---- The municipality and its contact points ----

  void CreateMunicipality(const std::string& coordinator_id) {
    rv1::MunicipalityCreated created;
    rv1::Municipality* municipality = created.mutable_municipality();
    municipality->set_name(absl::StrCat("municipalities/", kMunicipality));
    municipality->set_display_name("Aalborg Municipality");
    municipality->add_areas("Vodskov");
    municipality->add_areas("Nørresundby");
    if (!coordinator_id.empty()) {
      municipality->set_coordinator(Actor(coordinator_id));
    }
    *municipality->mutable_update_time() = store::ToTimestamp(absl::Now());
    Feed(EventOf(municipality->name(), created));
  }
  void CreateContactPoint(const std::string& id, const std::string& topic,
                          std::vector<std::string> areas,
                          const std::string& contact_id) {
    rv1::ContactPointCreated created;
    rv1::ContactPoint* point = created.mutable_contact_point();
    point->set_name(
        absl::StrCat("municipalities/", kMunicipality, "/contactPoints/", id));
    point->set_topic(topic);
    for (const std::string& area : areas) point->add_areas(area);
    point->set_contact(Actor(contact_id));
    *point->mutable_update_time() = store::ToTimestamp(absl::Now());
    Feed(EventOf(point->name(), created));
  }

  // ---- Matches ----

  static mv1::Match MatchOf(const std::string& match_id,
                            const std::string& newcomer_id,
                            const std::string& volunteer_id) {
    mv1::Match match;
    match.set_name(
        absl::StrCat("municipalities/", kMunicipality, "/matches/", match_id));
    match.set_newcomer(Actor(newcomer_id));
    match.set_volunteer(Actor(volunteer_id));
    return match;
  }
  ProjectionChange AcceptMatch(const std::string& match_id,
                               const std::string& newcomer_id,
                               const std::string& volunteer_id) {
    mv1::MatchAccepted accepted;
    *accepted.mutable_match() = MatchOf(match_id, newcomer_id, volunteer_id);
    accepted.mutable_match()->set_state(mv1::Match::STATE_ACCEPTED);
    return Feed(
        EventOf(accepted.match().name(), accepted, absl::Now(), "matching"));
  }
  ProjectionChange EndMatch(const std::string& match_id,
                            const std::string& newcomer_id,
                            const std::string& volunteer_id) {
    mv1::MatchEnded ended;
    *ended.mutable_match() = MatchOf(match_id, newcomer_id, volunteer_id);
    ended.mutable_match()->set_state(mv1::Match::STATE_ENDED);
    return Feed(EventOf(ended.match().name(), ended, absl::Now(), "matching"));
  }

 private:
  std::unique_ptr<store::DocumentStore> store_;
  std::unique_ptr<NotificationsContext> context_;
  std::unique_ptr<RegistryProjection> projection_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_TESTS_NOTIFICATIONS_REGISTRY_FEED_H_
