// The whole matching domain over a private redis-server, with principals
// for each role, registry events fed the way the follower receives them,
// and builders of volunteers, newcomers and requests. Shared by the
// Redis-backed matching tests.
#ifndef BROBYGGER_TESTS_MATCHING_MATCHING_FIXTURE_H_
#define BROBYGGER_TESTS_MATCHING_MATCHING_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/matching/v1/events.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "common/redis/redis_pool.h"
#include "common/store/resource_io.h"
#include "gtest/gtest.h"
#include "services/matching/catalogue_client.h"
#include "services/matching/matching.h"
#include "tests/support/redis_test.h"
#include "tests/support/test_principals.h"

namespace brobygger::matching {

using test::MakePrincipal;
namespace rv1 = ::brobygger::registry::v1;

// No catalogue behind it: the lifecycle tests do not suggest activities.
class NoActivities : public ActivitySource {
 public:
  absl::StatusOr<std::vector<catalogue::v1::SearchResult>> Search(
      absl::string_view, absl::string_view, const catalogue::v1::ActivityQuery&,
      int) override {
    return absl::UnavailableError("no catalogue in this test");
  }
};

// What a test volunteer is like.
struct VolunteerSpec {
  std::string id;
  std::string display_name = "Volunteer";
  std::vector<std::string> languages = {"da"};
  std::string mother_tongue;  // one of `languages`, or empty
  std::vector<std::string> areas = {"Vejle"};
  std::vector<std::string> competences;
  int capacity = 1;
  bool former_refugee = false;
  std::string organisation;  // parent actor id, or empty
};

// What a test newcomer is like.
struct NewcomerSpec {
  std::string id;
  std::vector<std::string> languages = {
      "ar"};  // the first is the mother tongue
  std::vector<std::string> areas = {"Vejle"};
  std::vector<std::string> needs = {"bank", "doctor"};
  bool consents = true;
};

class MatchingFixture : public test::RedisTest {
 protected:
  static constexpr char kMunicipality[] = "kolding";

  void SetUp() override {
    matching_.reset();
    ASSERT_NO_FATAL_FAILURE(RedisTest::SetUp());
    MatchingOptions options;
    options.follower.consumer = "test";
    matching_ = std::make_unique<Matching>(*pool_, activities_, options);
  }
  void TearDown() override { matching_.reset(); }

  Matching& matching() { return *matching_; }

  static std::string ActorName(
      const std::string& id, const std::string& municipality = kMunicipality) {
    return absl::StrCat("municipalities/", municipality, "/actors/", id);
  }
  static std::string Parent() {
    return absl::StrCat("municipalities/", kMunicipality);
  }

  static auth::Principal Coordinator() {
    return MakePrincipal("coordinator-1", auth::Role::kCoordinator,
                         kMunicipality);
  }
  static auth::Principal Caseworker() {
    return MakePrincipal("caseworker-1", auth::Role::kCaseworker,
                         kMunicipality);
  }
  static auth::Principal VolunteerPrincipal(const std::string& id) {
    return MakePrincipal(ActorName(id), auth::Role::kVolunteer, kMunicipality,
                         "");
  }
  static auth::Principal NgoApp(const std::string& organisation_id) {
    return MakePrincipal("red-cross-app", auth::Role::kNgoApp, kMunicipality,
                         ActorName(organisation_id));
  }

  // ---- The registry, as the follower hears of it ----

  static events::v1::Event RegistryEvent(
      const std::string& resource, const google::protobuf::Message& payload,
      absl::Time time = absl::Now()) {
    return events::MakeEvent(events::EventContext{"registry", "test", ""},
                             kMunicipality, resource, payload, time);
  }
  void Feed(const events::v1::Event& event) {
    const absl::Status status = matching().follower().Handle(event);
    ASSERT_TRUE(status.ok()) << status;
  }
  static rv1::Actor VolunteerActor(const VolunteerSpec& spec) {
    rv1::Actor actor;
    actor.set_name(ActorName(spec.id));
    actor.set_kind(rv1::ACTOR_KIND_VOLUNTEER);
    actor.set_display_name(spec.display_name);
    if (!spec.organisation.empty())
      actor.set_parent(ActorName(spec.organisation));
    for (const std::string& code : spec.languages) {
      rv1::LanguageSkill* skill = actor.add_languages();
      skill->set_code(code);
      skill->set_proficiency(code == spec.mother_tongue
                                 ? rv1::PROFICIENCY_NATIVE
                                 : rv1::PROFICIENCY_FLUENT);
      skill->set_mother_tongue(code == spec.mother_tongue);
    }
    for (const std::string& area : spec.areas) actor.add_areas(area);
    for (const std::string& tag : spec.competences) actor.add_competences(tag);
    actor.mutable_volunteer()->set_capacity(spec.capacity);
    actor.mutable_volunteer()->set_former_refugee(spec.former_refugee);
    *actor.mutable_update_time() = store::ToTimestamp(absl::Now());
    return actor;
  }
  void AddVolunteer(const VolunteerSpec& spec) {
    rv1::ActorCreated created;
    *created.mutable_actor() = VolunteerActor(spec);
    Feed(RegistryEvent(created.actor().name(), created));
  }
  static rv1::Actor NewcomerActor(const NewcomerSpec& spec) {
    rv1::Actor actor;
    actor.set_name(ActorName(spec.id));
    actor.set_kind(rv1::ACTOR_KIND_NEWCOMER);
    actor.set_display_name("Amina Haddad");
    for (size_t i = 0; i < spec.languages.size(); ++i) {
      rv1::LanguageSkill* skill = actor.add_languages();
      skill->set_code(spec.languages[i]);
      skill->set_proficiency(i == 0 ? rv1::PROFICIENCY_NATIVE
                                    : rv1::PROFICIENCY_BASIC);
      skill->set_mother_tongue(i == 0);
    }
    for (const std::string& area : spec.areas) actor.add_areas(area);
    rv1::NewcomerProfile* newcomer = actor.mutable_newcomer();
    newcomer->set_first_name("Amina");
    newcomer->set_family_name("Haddad");
    for (const std::string& need : spec.needs) newcomer->add_needs(need);
    newcomer->mutable_consent()->set_volunteer_contact(spec.consents);
    *actor.mutable_update_time() = store::ToTimestamp(absl::Now());
    return actor;
  }
  void AddNewcomer(const NewcomerSpec& spec) {
    rv1::ActorCreated created;
    *created.mutable_actor() = NewcomerActor(spec);
    Feed(RegistryEvent(created.actor().name(), created));
  }
  // The registry's update of a newcomer (e.g. consent withdrawn), a moment
  // after the creation.
  void UpdateNewcomer(NewcomerSpec spec) {
    rv1::ActorUpdated updated;
    *updated.mutable_actor() = NewcomerActor(spec);
    *updated.mutable_actor()->mutable_update_time() =
        store::ToTimestamp(absl::Now() + absl::Seconds(1));
    Feed(RegistryEvent(updated.actor().name(), updated));
  }
  void EraseNewcomer(const std::string& id) {
    rv1::NewcomerErased erased;
    erased.set_name(ActorName(id));
    Feed(RegistryEvent(erased.name(), erased));
  }
  void DeleteVolunteer(const std::string& id) {
    rv1::ActorDeleted deleted;
    deleted.set_name(ActorName(id));
    deleted.set_kind(rv1::ACTOR_KIND_VOLUNTEER);
    Feed(RegistryEvent(deleted.name(), deleted));
  }

  // ---- Requests and matches ----

  v1::VolunteerRequest CreateRequest(
      const std::string& newcomer_id,
      v1::MatchKind kind = v1::MATCH_KIND_RECEPTION_BUDDY) {
    v1::VolunteerRequest request;
    request.set_newcomer(ActorName(newcomer_id));
    request.set_kind(kind);
    auto created =
        matching().requests().Create(Coordinator(), kMunicipality, request, "");
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::VolunteerRequest();
  }
  v1::VolunteerRequest GetRequest(const std::string& name) {
    auto got = matching().requests().Get(Coordinator(), name);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : v1::VolunteerRequest();
  }
  v1::Match GetMatch(const std::string& name) {
    auto got = matching().matches().Get(Coordinator(), name);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : v1::Match();
  }
  // The volunteer's live matches as Redis counts them.
  int LoadOf(const std::string& volunteer_id) {
    auto reply =
        pool().Run({"HGET", MatchingKeys().Loads(kMunicipality), volunteer_id});
    EXPECT_TRUE(reply.ok());
    return reply.ok() && reply->is_string() ? std::stoi(reply->str) : 0;
  }
  // The types of the events on matching's stream, oldest first.
  std::vector<std::string> EventTypes() {
    std::vector<std::string> out;
    for (const events::v1::Event& event : Events()) out.push_back(event.type());
    return out;
  }
  std::vector<events::v1::Event> Events() {
    std::vector<events::v1::Event> out;
    auto reply =
        pool().Run({"XRANGE", MatchingKeys().space().EventStream(kMunicipality),
                    "-", "+"});
    EXPECT_TRUE(reply.ok());
    for (const auto& entry : reply->elements) {
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str != "event") continue;
        events::v1::Event event;
        EXPECT_TRUE(event.ParseFromString(fields[i + 1].str));
        out.push_back(std::move(event));
      }
    }
    return out;
  }

 private:
  NoActivities activities_;
  std::unique_ptr<Matching> matching_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_TESTS_MATCHING_MATCHING_FIXTURE_H_
