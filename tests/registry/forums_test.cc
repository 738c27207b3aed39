// Fora against a real redis-server: representation balance (Aalborg's
// steering group), member sectors, validation, dissolving working groups,
// references that keep members from being deleted, tenancy, optimistic
// concurrency and events.
#include "services/registry/forums.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "tests/registry/registry_fixture.h"

namespace brobygger::registry {
namespace {

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

bool Names(const absl::Status& status, const std::string& field) {
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    if (violation.field == field) return true;
  }
  return false;
}

std::string Fields(const absl::Status& status) {
  std::string out;
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    out += violation.field + " ";
  }
  return out;
}

class ForumsTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    if (HasFatalFailure()) return;
    const v1::ActorKind municipal_kinds[] = {
        v1::ACTOR_KIND_MUNICIPAL_DEPARTMENT, v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE};
    for (int i = 0; i < 7; ++i) {
      v1::Actor actor;
      actor.set_kind(municipal_kinds[i % 2]);
      actor.set_display_name(absl::StrCat("Kommunal ", i));
      municipal_.push_back(MustCreate(Coordinator(), actor).name());
    }
    const v1::ActorKind civil_kinds[] = {
        v1::ACTOR_KIND_NGO_BRANCH, v1::ACTOR_KIND_SPORTS_ASSOCIATION,
        v1::ACTOR_KIND_FAITH_COMMUNITY, v1::ACTOR_KIND_VOLUNTEER_GROUP,
        v1::ACTOR_KIND_VOLUNTEER_CENTRE};
    for (int i = 0; i < 8; ++i) {
      civil_.push_back(
          MustCreate(Coordinator(), Organisation(absl::StrCat("Forening ", i),
                                                 civil_kinds[i % 5]))
              .name());
    }
    for (int i = 0; i < 2; ++i) {
      civil_.push_back(MustCreate(Coordinator(),
                                  VolunteerActor(absl::StrCat("Frivillig ", i)))
                           .name());
    }
    newcomer_ = MustCreate(Coordinator(), NewcomerActor("Aster")).name();
  }

  Forums& forums() { return registry_->forums(); }

  static v1::Forum ForumOf(v1::ForumKind kind, const std::string& display_name,
                           const std::vector<std::string>& members,
                           const std::string& coordinator = "") {
    v1::Forum forum;
    forum.set_kind(kind);
    forum.set_display_name(display_name);
    forum.set_coordinator(coordinator);
    v1::TermsOfReference* terms = forum.mutable_terms_of_reference();
    terms->set_purpose(
        "Receive refugees together, municipality and civil "
        "society");
    terms->add_tasks("First meeting between refugee and volunteer");
    terms->add_tasks("Welcome in the smaller towns");
    terms->set_meeting_frequency("every second month");
    v1::WeeklyWindow* time = terms->mutable_meeting_time();
    time->set_day(v1::DAY_OF_WEEK_TUESDAY);
    time->mutable_start_time()->set_hours(17);
    time->mutable_end_time()->set_hours(19);
    for (const std::string& actor : members) {
      v1::ForumMember* member = forum.add_members();
      member->set_actor(actor);
      member->set_role("member");
    }
    return forum;
  }

  v1::Forum MustCreateForum(v1::Forum forum) {
    auto created =
        forums().Create(Coordinator(), "aalborg", std::move(forum), "");
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Forum();
  }

  std::vector<std::string> Some(const std::vector<std::string>& from, int n) {
    return std::vector<std::string>(from.begin(), from.begin() + n);
  }
  std::vector<std::string> Join(std::vector<std::string> a,
                                const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  std::vector<std::string> municipal_;
  std::vector<std::string> civil_;
  std::string newcomer_;
};

TEST_F(ForumsTest, AalborgSteeringGroupIsBalanced) {
  v1::Forum created =
      MustCreateForum(ForumOf(v1::FORUM_KIND_COORDINATION_FORUM, "Styregruppen",
                              Join(civil_, municipal_), municipal_[1]));
  EXPECT_EQ(created.name(), "municipalities/aalborg/forums/1");
  EXPECT_EQ(created.state(), v1::Forum::STATE_ACTIVE);
  const v1::Representation& representation = created.representation();
  EXPECT_EQ(representation.civil_society_members(), 10);
  EXPECT_EQ(representation.municipal_members(), 7);
  EXPECT_NEAR(representation.civil_society_share(), 10.0 / 17, 1e-9);
  EXPECT_TRUE(representation.balanced());
  EXPECT_EQ(representation.warnings_size(), 0) << representation.warnings(0);

  // Stored, not only returned.
  auto got = forums().Get(Volunteer(civil_[8]), created.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->representation().balanced());
  EXPECT_EQ(got->etag(), "\"1\"");
}

TEST_F(ForumsTest, MunicipalDominatedForumIsFlagged) {
  v1::Forum created = MustCreateForum(
      ForumOf(v1::FORUM_KIND_COORDINATION_FORUM, "Integrationsrådet",
              Join(Some(civil_, 2), municipal_), municipal_[0]));
  const v1::Representation& representation = created.representation();
  EXPECT_EQ(representation.civil_society_members(), 2);
  EXPECT_EQ(representation.municipal_members(), 7);
  EXPECT_FALSE(representation.balanced());
  ASSERT_EQ(representation.warnings_size(), 1);
  EXPECT_EQ(representation.warnings(0),
            "only 2 of 9 members are from civil society: civil actors drop "
            "out when meetings become internal municipal talk");
}

TEST_F(ForumsTest, MemberSectorComesFromTheActorNotTheClient) {
  v1::Forum forum = ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "Netværket",
                            {civil_[0], municipal_[0], civil_[9]});
  forum.mutable_members(0)->set_sector(v1::SECTOR_MUNICIPAL);  // wrong
  v1::Forum created = MustCreateForum(forum);
  ASSERT_EQ(created.members_size(), 3);
  EXPECT_EQ(created.members(0).sector(), v1::SECTOR_CIVIL_SOCIETY);
  EXPECT_EQ(created.members(1).sector(), v1::SECTOR_MUNICIPAL);
  EXPECT_EQ(created.members(2).sector(), v1::SECTOR_CIVIL_SOCIETY);
  EXPECT_EQ(created.members(0).role(), "member");
}

TEST_F(ForumsTest, WeekdayDaytimeMeetingIsFlagged) {
  v1::Forum forum = ForumOf(v1::FORUM_KIND_WORKING_GROUP, "Boligkursus",
                            {civil_[0], municipal_[0]});
  v1::WeeklyWindow* time =
      forum.mutable_terms_of_reference()->mutable_meeting_time();
  time->set_day(v1::DAY_OF_WEEK_MONDAY);
  time->mutable_start_time()->set_hours(10);
  time->mutable_end_time()->set_hours(12);
  v1::Forum created = MustCreateForum(forum);
  EXPECT_TRUE(created.representation().balanced());
  ASSERT_EQ(created.representation().warnings_size(), 1);
  EXPECT_EQ(created.representation().warnings(0),
            "meets on a weekday at 10:00: volunteers are mostly free in the "
            "evening and at weekends");

  // Moving the meeting to the evening clears the warning.
  v1::Forum patch;
  patch.set_name(created.name());
  v1::WeeklyWindow* evening =
      patch.mutable_terms_of_reference()->mutable_meeting_time();
  evening->set_day(v1::DAY_OF_WEEK_MONDAY);
  evening->mutable_start_time()->set_hours(19);
  evening->mutable_end_time()->set_hours(21);
  auto updated = forums().Update(Caseworker(), patch,
                                 Mask({"terms_of_reference.meeting_time"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->representation().warnings_size(), 0);
  // Only the masked sub-field changed.
  EXPECT_EQ(updated->terms_of_reference().tasks_size(), 2);
  EXPECT_EQ(updated->terms_of_reference().purpose(),
            created.terms_of_reference().purpose());
}

TEST_F(ForumsTest, InvalidForumNamesEveryField) {
  v1::Forum bad;
  bad.set_display_name(std::string(201, 'x'));
  for (int i = 0; i < 51; ++i) bad.mutable_terms_of_reference()->add_tasks("t");
  bad.mutable_terms_of_reference()->set_decision_mandate(
      std::string(1001, 'm'));
  v1::WeeklyWindow* time =
      bad.mutable_terms_of_reference()->mutable_meeting_time();
  time->set_day(v1::DAY_OF_WEEK_TUESDAY);
  time->mutable_start_time()->set_hours(19);
  time->mutable_end_time()->set_hours(17);
  bad.set_coordinator("municipalities/kolding/actors/1");
  auto created = forums().Create(Coordinator(), "aalborg", bad, "");
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* field :
       {"forum.kind", "forum.display_name", "forum.terms_of_reference.purpose",
        "forum.terms_of_reference.tasks",
        "forum.terms_of_reference.decision_mandate",
        "forum.terms_of_reference.meeting_time.end_time",
        "forum.coordinator"}) {
    EXPECT_TRUE(Names(created.status(), field))
        << field << " not in " << Fields(created.status());
  }

  v1::Forum crowded = ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "Alle", {});
  for (int i = 0; i < 201; ++i) {
    crowded.add_members()->set_actor(
        absl::StrCat("municipalities/aalborg/actors/", i + 1));
  }
  EXPECT_TRUE(
      Names(forums().Create(Coordinator(), "aalborg", crowded, "").status(),
            "forum.members"));
}

TEST_F(ForumsTest, MembersMustExistOnceAndNotBeNewcomers) {
  auto duplicate =
      forums().Create(Coordinator(), "aalborg",
                      ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "Dobbelt",
                              {civil_[0], municipal_[0], civil_[0]}),
                      "");
  ASSERT_EQ(duplicate.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(duplicate.status(), "forum.members[2].actor"))
      << Fields(duplicate.status());

  auto newcomer =
      forums().Create(Coordinator(), "aalborg",
                      ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "Med nyankomne",
                              {civil_[0], newcomer_}),
                      "");
  ASSERT_EQ(newcomer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(newcomer.status(), "forum.members[1].actor"));
  EXPECT_NE(newcomer.status().message().find("newcomer"), std::string::npos);

  auto newcomer_leads =
      forums().Create(Coordinator(), "aalborg",
                      ForumOf(v1::FORUM_KIND_NETWORK_GROUP,
                              "Ledet af nyankommen", {civil_[0]}, newcomer_),
                      "");
  EXPECT_TRUE(Names(newcomer_leads.status(), "forum.coordinator"));

  auto missing =
      forums().Create(Coordinator(), "aalborg",
                      ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "Spøgelser",
                              {"municipalities/aalborg/actors/999"}),
                      "");
  ASSERT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(missing.status(), "forum.members[0].actor"));
  EXPECT_NE(missing.status().message().find("does not exist"),
            std::string::npos);

  // Volunteers may be members and coordinators (civil coordinators).
  MustCreateForum(ForumOf(v1::FORUM_KIND_WORKING_GROUP, "Lektiecafé",
                          {civil_[8], municipal_[0]}, civil_[9]));
}

TEST_F(ForumsTest, WorkingGroupIsDissolvedOnce) {
  v1::Forum group = MustCreateForum(ForumOf(v1::FORUM_KIND_WORKING_GROUP,
                                            "Midlertidige boliger",
                                            {civil_[0], municipal_[0]}));
  auto dissolved = forums().Dissolve(Coordinator(), group.name(), group.etag());
  ASSERT_TRUE(dissolved.ok()) << dissolved.status();
  EXPECT_EQ(dissolved->state(), v1::Forum::STATE_DISSOLVED);
  EXPECT_TRUE(dissolved->has_dissolve_time());
  EXPECT_EQ(dissolved->etag(), "\"2\"");

  auto events = Events("aalborg");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type(), "brobygger.registry.v1.ForumDissolved");
  v1::ForumDissolved payload;
  ASSERT_TRUE(events.back().payload().UnpackTo(&payload));
  EXPECT_EQ(payload.forum().state(), v1::Forum::STATE_DISSOLVED);
  EXPECT_EQ(payload.forum().name(), group.name());

  auto again = forums().Dissolve(Coordinator(), group.name(), "");
  ASSERT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("dissolved"), std::string::npos);

  v1::Forum patch;
  patch.set_name(group.name());
  patch.set_display_name("Nyt navn");
  auto update = forums().Update(Coordinator(), patch, Mask({"display_name"}));
  EXPECT_EQ(update.status().code(), absl::StatusCode::kFailedPrecondition);

  // A dissolved group can still be deleted.
  EXPECT_TRUE(forums().Delete(Coordinator(), group.name(), "").ok());
}

TEST_F(ForumsTest, PermanentStructuresAreNotDissolved) {
  for (v1::ForumKind kind :
       {v1::FORUM_KIND_COORDINATION_FORUM, v1::FORUM_KIND_NETWORK_GROUP}) {
    v1::Forum forum =
        MustCreateForum(ForumOf(kind, "Permanent", {civil_[0]}, civil_[1]));
    auto refused = forums().Dissolve(Coordinator(), forum.name(), "");
    ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(refused.status().message().find("delete them instead"),
              std::string::npos)
        << refused.status();
    auto still = forums().Get(Coordinator(), forum.name());
    ASSERT_TRUE(still.ok());
    EXPECT_EQ(still->state(), v1::Forum::STATE_ACTIVE);
  }
}

TEST_F(ForumsTest, MembersAndCoordinatorCannotBeDeletedWhileInTheForum) {
  v1::Forum forum =
      MustCreateForum(ForumOf(v1::FORUM_KIND_COORDINATION_FORUM, "Styregruppen",
                              {civil_[0], municipal_[0]}, municipal_[1]));
  Actors& actors = registry_->actors();
  for (const std::string& actor : {civil_[0], municipal_[0], municipal_[1]}) {
    absl::Status refused = actors.Delete(Coordinator(), actor, "");
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition)
        << actor << ": " << refused;
  }

  // Replacing the members frees the one that left, holds the new one.
  v1::Forum patch;
  patch.set_name(forum.name());
  v1::ForumMember* member = patch.add_members();
  member->set_actor(civil_[1]);
  patch.add_members()->set_actor(municipal_[0]);
  auto updated = forums().Update(Coordinator(), patch, Mask({"members"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->representation().civil_society_members(), 1);
  EXPECT_TRUE(actors.Delete(Coordinator(), civil_[0], "").ok());
  EXPECT_EQ(actors.Delete(Coordinator(), civil_[1], "").code(),
            absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(forums().Delete(Coordinator(), forum.name(), "").ok());
  for (const std::string& actor : {civil_[1], municipal_[0], municipal_[1]}) {
    absl::Status deleted = actors.Delete(Coordinator(), actor, "");
    EXPECT_TRUE(deleted.ok()) << actor << ": " << deleted;
  }
  EXPECT_EQ(forums().Get(Coordinator(), forum.name()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ForumsTest, KindIsImmutableAndOutputFieldsAreRefused) {
  v1::Forum forum = MustCreateForum(
      ForumOf(v1::FORUM_KIND_WORKING_GROUP, "Gruppe", {civil_[0]}));
  v1::Forum patch;
  patch.set_name(forum.name());
  patch.set_kind(v1::FORUM_KIND_COORDINATION_FORUM);
  auto kind = forums().Update(Coordinator(), patch, Mask({"kind"}));
  ASSERT_EQ(kind.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(kind.status(), "update_mask"));

  patch.set_state(v1::Forum::STATE_DISSOLVED);
  auto state = forums().Update(Coordinator(), patch, Mask({"state"}));
  EXPECT_EQ(state.status().code(), absl::StatusCode::kInvalidArgument);

  // "*" replaces the mutable fields and keeps kind and state.
  v1::Forum replacement =
      ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "Ny gruppe", {municipal_[2]});
  replacement.set_name(forum.name());
  auto replaced = forums().Update(Coordinator(), replacement, Mask({"*"}));
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(replaced->kind(), v1::FORUM_KIND_WORKING_GROUP);
  EXPECT_EQ(replaced->state(), v1::Forum::STATE_ACTIVE);
  EXPECT_EQ(replaced->display_name(), "Ny gruppe");
  EXPECT_EQ(replaced->members(0).sector(), v1::SECTOR_MUNICIPAL);
}

TEST_F(ForumsTest, StaleEtagIsAborted) {
  v1::Forum forum = MustCreateForum(
      ForumOf(v1::FORUM_KIND_WORKING_GROUP, "Gruppe", {civil_[0]}));
  v1::Forum patch;
  patch.set_name(forum.name());
  patch.set_display_name("Gruppe 2");
  patch.set_etag(forum.etag());
  auto first = forums().Update(Coordinator(), patch, Mask({"display_name"}));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->etag(), "\"2\"");

  patch.set_display_name("Gruppe 3");
  EXPECT_EQ(forums()
                .Update(Coordinator(), patch, Mask({"display_name"}))
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(forums()
                .Dissolve(Coordinator(), forum.name(), forum.etag())
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(forums().Delete(Coordinator(), forum.name(), forum.etag()).code(),
            absl::StatusCode::kAborted);
  EXPECT_TRUE(forums().Delete(Coordinator(), forum.name(), first->etag()).ok());
}

TEST_F(ForumsTest, OtherMunicipalitiesAndRolesAreRefused) {
  v1::Forum forum = MustCreateForum(
      ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "Netværk", {civil_[0]}));
  const auth::Principal kolding = Coordinator("kolding");
  EXPECT_EQ(forums().Get(kolding, forum.name()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(forums().List(kolding, "aalborg", 10, "", "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(forums()
                .Create(kolding, "aalborg",
                        ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "X", {}), "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(forums().Delete(kolding, forum.name(), "").code(),
            absl::StatusCode::kPermissionDenied);

  // Members of the municipality read fora; only the municipality's
  // caseworkers and coordinators change them.
  const auth::Principal volunteer = Volunteer(civil_[8]);
  EXPECT_TRUE(forums().Get(volunteer, forum.name()).ok());
  EXPECT_EQ(forums().Delete(volunteer, forum.name(), "").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      forums().Dissolve(NgoApp(civil_[0]), forum.name(), "").status().code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(ForumsTest, ListFiltersByKindStateAndMember) {
  v1::Forum steering =
      MustCreateForum(ForumOf(v1::FORUM_KIND_COORDINATION_FORUM, "Styregruppen",
                              {civil_[0], municipal_[0]}, municipal_[1]));
  v1::Forum network = MustCreateForum(
      ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "Netværk", {civil_[0], civil_[1]}));
  v1::Forum housing = MustCreateForum(ForumOf(
      v1::FORUM_KIND_WORKING_GROUP, "Boliger", {civil_[1], municipal_[0]}));
  v1::Forum homework = MustCreateForum(
      ForumOf(v1::FORUM_KIND_WORKING_GROUP, "Lektier", {civil_[2]}));
  ASSERT_TRUE(forums().Dissolve(Coordinator(), housing.name(), "").ok());

  auto names = [&](const std::string& filter) {
    std::vector<std::string> out;
    auto page = forums().List(Coordinator(), "aalborg", 50, "", filter);
    EXPECT_TRUE(page.ok()) << filter << ": " << page.status();
    if (page.ok()) {
      for (const auto& forum : page->forums) out.push_back(forum.name());
    }
    return out;
  };
  EXPECT_EQ(names("kind = WORKING_GROUP"),
            (std::vector<std::string>{housing.name(), homework.name()}));
  EXPECT_EQ(names("state = DISSOLVED"),
            (std::vector<std::string>{housing.name()}));
  EXPECT_EQ(names("kind = working_group AND state = ACTIVE"),
            (std::vector<std::string>{homework.name()}));
  EXPECT_EQ(names("member = \"" + civil_[0] + "\""),
            (std::vector<std::string>{steering.name(), network.name()}));
  // The coordinator leads but is not a member.
  EXPECT_TRUE(names("member = \"" + municipal_[1] + "\"").empty());
  EXPECT_EQ(names("").size(), 4u);

  // Pages of one, oldest first, each forum once.
  std::vector<std::string> seen;
  std::string cursor;
  for (int i = 0; i < 10; ++i) {
    auto page = forums().List(Coordinator(), "aalborg", 1, cursor, "");
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& forum : page->forums) seen.push_back(forum.name());
    cursor = page->next_cursor;
    if (cursor.empty()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{steering.name(), network.name(),
                                            housing.name(), homework.name()}));

  for (const char* bad : {"kind = COMMITTEE", "state = SLEEPING",
                          "member = nobody", "colour = red"}) {
    auto page = forums().List(Coordinator(), "aalborg", 10, "", bad);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(Names(page.status(), "filter")) << bad;
  }
}

TEST_F(ForumsTest, EveryChangeIsPublished) {
  const size_t before = Events("aalborg").size();
  v1::Forum forum = MustCreateForum(
      ForumOf(v1::FORUM_KIND_WORKING_GROUP, "Gruppe", {civil_[0]}));
  v1::Forum patch;
  patch.set_name(forum.name());
  patch.set_display_name("Gruppen");
  ASSERT_TRUE(
      forums().Update(Coordinator(), patch, Mask({"display_name"})).ok());
  ASSERT_TRUE(forums().Dissolve(Coordinator(), forum.name(), "").ok());
  ASSERT_TRUE(forums().Delete(Coordinator(), forum.name(), "").ok());

  auto events = Events("aalborg");
  ASSERT_EQ(events.size(), before + 4);
  const char* types[] = {"brobygger.registry.v1.ForumCreated",
                         "brobygger.registry.v1.ForumUpdated",
                         "brobygger.registry.v1.ForumDissolved",
                         "brobygger.registry.v1.ForumDeleted"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(events[before + i].type(), types[i]);
    EXPECT_EQ(events[before + i].resource(), forum.name());
    EXPECT_EQ(events[before + i].municipality(), "aalborg");
  }
  v1::ForumCreated created;
  ASSERT_TRUE(events[before].payload().UnpackTo(&created));
  EXPECT_EQ(created.forum().members(0).sector(), v1::SECTOR_CIVIL_SOCIETY);
  EXPECT_EQ(created.forum().etag(), "\"1\"");
  v1::ForumUpdated updated;
  ASSERT_TRUE(events[before + 1].payload().UnpackTo(&updated));
  EXPECT_EQ(updated.forum().display_name(), "Gruppen");
  EXPECT_EQ(updated.update_mask().paths(0), "display_name");
  v1::ForumDeleted deleted;
  ASSERT_TRUE(events[before + 3].payload().UnpackTo(&deleted));
  EXPECT_EQ(deleted.name(), forum.name());
}

TEST_F(ForumsTest, SameRequestIdCreatesOnce) {
  const std::string request_id = "5d0c7a2e-8f41-4b6a-b1c3-2e9d4f6a8b10";
  v1::Forum forum =
      ForumOf(v1::FORUM_KIND_NETWORK_GROUP, "Netværk", {civil_[0]});
  auto first = forums().Create(Coordinator(), "aalborg", forum, request_id);
  auto second = forums().Create(Coordinator(), "aalborg", forum, request_id);
  ASSERT_TRUE(first.ok() && second.ok()) << second.status();
  EXPECT_EQ(first->name(), second->name());
  auto all = forums().List(Coordinator(), "aalborg", 10, "", "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->forums.size(), 1u);
}

}  // namespace
}  // namespace brobygger::registry
