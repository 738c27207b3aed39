// The actor rules against a real redis-server: duplicates, idempotency,
// organisation scoping, newcomer disclosure and audit, references and
// erasure.
#include "services/registry/actors.h"

#include "brobygger/registry/v1/events.pb.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "tests/registry/registry_fixture.h"

namespace brobygger::registry {
namespace {

class ActorsTest : public RegistryFixture {};

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

TEST_F(ActorsTest, CreateAssignsNameEtagAndPublishesEvent) {
  v1::Actor created =
      MustCreate(Coordinator(), Organisation("Røde Kors Aalborg"));
  EXPECT_EQ(created.name(), "municipalities/aalborg/actors/1");
  EXPECT_EQ(created.etag(), "\"1\"");
  EXPECT_TRUE(created.has_create_time());
  auto events = Events("aalborg");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type(), "brobygger.registry.v1.ActorCreated");
  EXPECT_EQ(events.back().resource(), created.name());
  EXPECT_EQ(events.back().caused_by(), "coordinator-1");
  v1::ActorCreated payload;
  ASSERT_TRUE(events.back().payload().UnpackTo(&payload));
  EXPECT_EQ(payload.actor().display_name(), "Røde Kors Aalborg");
}

TEST_F(ActorsTest, ProbableDuplicateIsRefusedUnlessConfirmed) {
  v1::Actor first = MustCreate(Coordinator(), Organisation("Kærby Madklub"));
  v1::Actor again = Organisation("KAERBY  madklub");
  auto refused =
      registry_->actors().Create(Coordinator(), "aalborg", again, {});
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(refused.status().message().find(first.name()), std::string::npos);
  CreateActorOptions confirm;
  confirm.allow_duplicate = true;
  auto confirmed =
      registry_->actors().Create(Coordinator(), "aalborg", again, confirm);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_NE(confirmed->name(), first.name());
}

TEST_F(ActorsTest, SameRequestIdCreatesOnce) {
  CreateActorOptions options;
  options.request_id = "7f1c2a54-0d3e-4d59-9f0e-2b4a3c1d5e6f";
  auto first = registry_->actors().Create(
      Coordinator(), "aalborg", Organisation("Frivilligcenter"), options);
  auto second = registry_->actors().Create(
      Coordinator(), "aalborg", Organisation("Frivilligcenter"), options);
  ASSERT_TRUE(first.ok() && second.ok()) << second.status();
  EXPECT_EQ(first->name(), second->name());
  auto page = registry_->actors().List(Coordinator(), "aalborg", 50, "", "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->actors.size(), 1u);
}

TEST_F(ActorsTest, UnknownAreaAndMissingParentAreNamedFields) {
  v1::Actor actor = VolunteerActor("Ali", "municipalities/aalborg/actors/404");
  actor.add_areas("Atlantis");
  auto created =
      registry_->actors().Create(Coordinator(), "aalborg", actor, {});
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  auto violations = FieldViolationsOf(created.status());
  ASSERT_EQ(violations.size(), 1u);  // areas are checked before references
  EXPECT_EQ(violations[0].field, "actor.areas[1]");

  actor.mutable_areas()->RemoveLast();
  created = registry_->actors().Create(Coordinator(), "aalborg", actor, {});
  violations = FieldViolationsOf(created.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "actor.parent");
}

TEST_F(ActorsTest, NgoAppManagesOnlyItsOwnOrganisation) {
  v1::Actor redcross = MustCreate(Coordinator(), Organisation("Røde Kors"));
  v1::Actor church =
      MustCreate(Coordinator(),
                 Organisation("Budolfi Kirke", v1::ACTOR_KIND_FAITH_COMMUNITY));
  const auth::Principal app = NgoApp(redcross.name());
  auto own = registry_->actors().Create(
      app, "aalborg", VolunteerActor("Hana", redcross.name()), {});
  ASSERT_TRUE(own.ok()) << own.status();
  auto foreign = registry_->actors().Create(
      app, "aalborg", VolunteerActor("Omar", church.name()), {});
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kPermissionDenied);
  auto newcomer =
      registry_->actors().Create(app, "aalborg", NewcomerActor("Yonas"), {});
  EXPECT_EQ(newcomer.status().code(), absl::StatusCode::kPermissionDenied);

  // It cannot move its volunteer to another organisation either.
  v1::Actor patch;
  patch.set_name(own->name());
  patch.set_parent(church.name());
  auto moved = registry_->actors().Update(app, patch, Mask({"parent"}));
  EXPECT_EQ(moved.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(ActorsTest, VolunteerEditsOnlyOwnProfile) {
  v1::Actor me = MustCreate(Coordinator(), VolunteerActor("Amina"));
  v1::Actor other = MustCreate(Coordinator(), VolunteerActor("Bashir"));
  v1::Actor patch;
  patch.set_name(me.name());
  patch.mutable_volunteer()->set_capacity(3);
  auto updated = registry_->actors().Update(Volunteer(me.name()), patch,
                                            Mask({"volunteer.capacity"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->volunteer().capacity(), 3);
  EXPECT_EQ(updated->etag(), "\"2\"");

  patch.set_name(other.name());
  auto denied = registry_->actors().Update(Volunteer(me.name()), patch,
                                           Mask({"volunteer.capacity"}));
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(ActorsTest, StaleEtagIsAborted) {
  v1::Actor actor = MustCreate(Coordinator(), Organisation("Kærby Lokalråd"));
  v1::Actor patch;
  patch.set_name(actor.name());
  patch.set_description("first");
  patch.set_etag(actor.etag());
  ASSERT_TRUE(registry_->actors()
                  .Update(Coordinator(), patch, Mask({"description"}))
                  .ok());
  patch.set_description("second, from a stale copy");
  auto stale =
      registry_->actors().Update(Coordinator(), patch, Mask({"description"}));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
}

TEST_F(ActorsTest, NewcomerDisclosureIsRoleAndGrantBasedAndAudited) {
  v1::Actor newcomer = MustCreate(Caseworker(), NewcomerActor("Yonas"));
  EXPECT_EQ(newcomer.view(), v1::DISCLOSURE_VIEW_FULL);
  v1::Actor volunteer = MustCreate(Coordinator(), VolunteerActor("Amina"));
  const auth::Principal as_volunteer = Volunteer(volunteer.name());

  auto denied = registry_->actors().Get(as_volunteer, newcomer.name());
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  auto listed = registry_->actors().List(as_volunteer, "aalborg", 50, "", "");
  ASSERT_TRUE(listed.ok());
  for (const auto& actor : listed->actors) {
    EXPECT_NE(actor.kind(), v1::ACTOR_KIND_NEWCOMER);
  }

  ASSERT_TRUE(registry_->grants().Grant("aalborg", "1", volunteer.name()).ok());
  auto redacted = registry_->actors().Get(as_volunteer, newcomer.name());
  ASSERT_TRUE(redacted.ok()) << redacted.status();
  EXPECT_EQ(redacted->view(), v1::DISCLOSURE_VIEW_REDACTED);
  EXPECT_EQ(redacted->display_name(), "Yonas");
  EXPECT_EQ(redacted->newcomer().family_name(), "");

  auto full = registry_->actors().Get(Caseworker(), newcomer.name());
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->newcomer().family_name(), "Tesfaye");

  auto operator_read = registry_->actors().Get(Operator(), newcomer.name());
  EXPECT_EQ(operator_read.status().code(), absl::StatusCode::kPermissionDenied);

  auto audit = registry_->audit().List("aalborg", "", 10, newcomer.name(), "");
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->entries.size(), 2u);  // the redacted and the full read
  EXPECT_EQ(audit->entries[0].reader(), "caseworker-1");
  EXPECT_EQ(audit->entries[0].view(), v1::DISCLOSURE_VIEW_FULL);
  EXPECT_EQ(audit->entries[1].reader(), volunteer.name());
  EXPECT_EQ(audit->entries[1].view(), v1::DISCLOSURE_VIEW_REDACTED);
}

TEST_F(ActorsTest, ConsentChangesAreTimestamped) {
  v1::Actor newcomer = NewcomerActor("Sara");
  newcomer.mutable_newcomer()->mutable_consent()->set_volunteer_contact(false);
  v1::Actor created = MustCreate(Caseworker(), newcomer);
  EXPECT_FALSE(created.newcomer().consent().has_volunteer_contact_time());
  v1::Actor patch;
  patch.set_name(created.name());
  patch.mutable_newcomer()->mutable_consent()->set_volunteer_contact(true);
  patch.mutable_newcomer()->mutable_consent()->set_data_sharing(true);
  auto updated = registry_->actors().Update(Caseworker(), patch,
                                            Mask({"newcomer.consent"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->newcomer().consent().volunteer_contact());
  EXPECT_TRUE(updated->newcomer().consent().has_volunteer_contact_time());
  // data_sharing did not change, so its time is the original one.
  EXPECT_EQ(updated->newcomer().consent().data_sharing_time().seconds(),
            created.newcomer().consent().data_sharing_time().seconds());
}

TEST_F(ActorsTest, ReferencedActorCannotBeDeleted) {
  v1::Actor redcross = MustCreate(Coordinator(), Organisation("Røde Kors"));
  v1::Actor volunteer =
      MustCreate(Coordinator(), VolunteerActor("Hana", redcross.name()));
  absl::Status refused =
      registry_->actors().Delete(Coordinator(), redcross.name(), "");
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("actors/2"), std::string::npos)
      << refused.message();
  ASSERT_TRUE(
      registry_->actors().Delete(Coordinator(), volunteer.name(), "").ok());
  EXPECT_TRUE(
      registry_->actors().Delete(Coordinator(), redcross.name(), "").ok());
}

TEST_F(ActorsTest, DeletingANewcomerErasesAndPublishesErasure) {
  v1::Actor newcomer = MustCreate(Caseworker(), NewcomerActor("Yonas"));
  MustCreate(Coordinator(), Organisation("Røde Kors"));
  v1::Actor patch;
  patch.set_name(newcomer.name());
  patch.mutable_newcomer()->add_needs("doctor");
  google::protobuf::FieldMask mask;
  mask.add_paths("newcomer.needs");
  ASSERT_TRUE(registry_->actors().Update(Caseworker(), patch, mask).ok());
  ASSERT_TRUE(registry_->grants().Grant("aalborg", "1", "someone").ok());
  ASSERT_TRUE(
      registry_->actors().Delete(Caseworker(), newcomer.name(), "").ok());
  EXPECT_EQ(
      registry_->actors().Get(Caseworker(), newcomer.name()).status().code(),
      absl::StatusCode::kNotFound);
  for (const char* key :
       {"registry:{aalborg}:actor:1", "registry:{aalborg}:actor:grants:1"}) {
    EXPECT_EQ(pool_->Run({"EXISTS", key})->integer, 0) << key;
  }
  auto events = Events("aalborg");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type(), "brobygger.registry.v1.NewcomerErased");
  EXPECT_EQ(events.back().resource(), newcomer.name());
  // The events that carried the profile are gone from the bus; only the
  // erasure itself names the newcomer.
  for (const auto& event : events) {
    if (event.resource() == newcomer.name()) {
      EXPECT_EQ(event.type(), "brobygger.registry.v1.NewcomerErased");
    }
  }
  EXPECT_EQ(pool_->Run({"EXISTS", "registry:{aalborg}:actor:trail:1"})->integer,
            0);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const auto& e) {
    return e.type() == "brobygger.registry.v1.ActorCreated";
  }));  // the organisation's event stays
  // The name is free again: no duplicate claim is left behind.
  EXPECT_TRUE(registry_->actors()
                  .Create(Caseworker(), "aalborg", NewcomerActor("Yonas"), {})
                  .ok());
}

TEST_F(ActorsTest, OtherMunicipalitiesAreIsolated) {
  v1::Actor actor = MustCreate(Coordinator(), Organisation("Røde Kors"));
  EXPECT_EQ(registry_->actors()
                .Get(Coordinator("kolding"), actor.name())
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(registry_->actors()
                .List(Coordinator("kolding"), "aalborg", 10, "", "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      registry_->actors()
          .Create(Coordinator("kolding"), "aalborg", Organisation("X"), {})
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(ActorsTest, ListUsesIndexesAndPagesStably) {
  for (int i = 0; i < 30; ++i) {
    v1::Actor actor = VolunteerActor("Volunteer " + std::to_string(i));
    if (i % 3 == 0) actor.mutable_languages(0)->set_code("prs");
    MustCreate(Coordinator(), actor);
  }
  std::vector<std::string> seen;
  std::string cursor;
  do {
    auto page = registry_->actors().List(Coordinator(), "aalborg", 4, cursor,
                                         "mother_tongue = prs");
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& actor : page->actors) seen.push_back(actor.name());
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_TRUE(std::is_sorted(
      seen.begin(), seen.end(), [](const std::string& a, const std::string& b) {
        return a.size() < b.size() || (a.size() == b.size() && a < b);
      }));
}

}  // namespace
}  // namespace brobygger::registry
