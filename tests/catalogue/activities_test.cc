// Activities against a real redis-server: what is stored and announced on
// create, the refusals (every bad field named, organisers the registry does
// not allow), idempotency and uniqueness, who may see and change what,
// updates with field masks and etags, deletes, cancelled occurrences and
// filtered lists.
#include "services/catalogue/activities.h"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "brobygger/catalogue/v1/events.pb.h"
#include "common/store/etag.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "services/catalogue/activity_rules.h"
#include "tests/catalogue/catalogue_fixture.h"

namespace brobygger::catalogue {
namespace {

namespace rv1 = ::brobygger::registry::v1;

constexpr char kRedCross[] = "municipalities/aalborg/actors/7";
constexpr char kRefugeeCouncil[] = "municipalities/aalborg/actors/8";
constexpr char kJobCentre[] = "municipalities/aalborg/actors/9";

google::protobuf::FieldMask Paths(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         absl::UTCTimeZone());
}

std::vector<std::string> NamesOf(const std::vector<v1::Activity>& activities) {
  std::vector<std::string> names;
  for (const v1::Activity& activity : activities) {
    names.push_back(activity.name());
  }
  return names;
}

class ActivitiesTest : public CatalogueFixture {
 protected:
  void SetUp() override {
    CatalogueFixture::SetUp();
    RegisterOrganiser("7", "Røde Kors Aalborg");
    RegisterOrganiser("8", "Dansk Flygtningehjælp");
    RegisterOrganiser("9", "Jobcenter Aalborg",
                      rv1::ACTOR_KIND_MUNICIPAL_DEPARTMENT);
  }

  Activities& activities() { return catalogue().activities(); }

  static std::string IdOf(const v1::Activity& activity) {
    return store::IdOf(activity.name());
  }

  // A municipal task of the job centre.
  static v1::Activity JobCentreTask() {
    v1::Activity task = NewActivity("9", "Job centre welcome meeting");
    task.set_kind(v1::ACTIVITY_KIND_MUNICIPAL_TASK);
    task.set_category(v1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS);
    return task;
  }

  static v1::Activity Draft(const std::string& organiser_id,
                            const std::string& display_name = "Draft café") {
    v1::Activity draft = NewActivity(organiser_id, display_name);
    draft.set_state(v1::ACTIVITY_STATE_DRAFT);
    return draft;
  }

  // Names listed by `principal` with `filter`, all pages.
  std::vector<std::string> ListAll(const auth::Principal& principal,
                                   const std::string& filter = "") {
    std::vector<std::string> names;
    std::string token;
    do {
      auto page = activities().List(principal, "aalborg", 2, token, filter);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const std::string& name : NamesOf(page->activities)) {
        names.push_back(name);
      }
      token = page->next_page_token;
    } while (!token.empty());
    return names;
  }

  int64_t StreamLength() {
    auto reply = pool_->Run({"XLEN", "catalogue:{aalborg}:events"});
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? reply->integer : -1;
  }
};

TEST_F(ActivitiesTest, CreateStoresTheActivityWithOrganiserNameEtagAndTimes) {
  const absl::Time before = absl::Now();
  auto created =
      activities().Create(Coordinator(), "aalborg", NewActivity("7"), "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(
      absl::StartsWith(created->name(), "municipalities/aalborg/activities/"));
  EXPECT_EQ(created->display_name(), "Language café");
  EXPECT_EQ(created->organiser(), kRedCross);
  EXPECT_EQ(created->organiser_display_name(), "Røde Kors Aalborg");
  EXPECT_EQ(created->state(), v1::ACTIVITY_STATE_PUBLISHED);
  EXPECT_FALSE(created->etag().empty());
  const absl::Time created_at = store::FromTimestamp(created->create_time());
  EXPECT_GE(created_at, before - absl::Seconds(1));
  EXPECT_LE(created_at, absl::Now());
  EXPECT_EQ(created->update_time().SerializeAsString(),
            created->create_time().SerializeAsString());
  // Stored in canonical form.
  EXPECT_EQ(created->schedule().start_time(), "2027-01-05T18:00:00");
  EXPECT_EQ(created->schedule().time_zone(), "Europe/Copenhagen");

  auto read = activities().Get(Volunteer(), "aalborg", IdOf(*created));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), created->SerializeAsString());
}

TEST_F(ActivitiesTest, OrganiserMustBeAnOrganisationOfTheMunicipality) {
  RegisterOrganiser("20", "Volunteer Vera", rv1::ACTOR_KIND_VOLUNTEER);
  RegisterOrganiser("21", "", rv1::ACTOR_KIND_NEWCOMER);
  RegisterOrganiser("7", "Røde Kors Kolding", rv1::ACTOR_KIND_NGO, "kolding");
  const std::vector<std::string> kinds_of_wrong = {
      "55",  // unknown to the registry
      "20",  // a single volunteer: their name would be published
      "21",  // a newcomer
  };
  for (const std::string& id : kinds_of_wrong) {
    auto refused =
        activities().Create(Coordinator(), "aalborg", NewActivity(id), "");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << id << ": " << refused.status();
    EXPECT_TRUE(FieldNamed(refused.status(), "activity.organiser"))
        << id << ": " << refused.status();
  }
  auto foreign = activities().Create(Coordinator(), "aalborg",
                                     NewActivity("7", "Café", "kolding"), "");
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(FieldNamed(foreign.status(), "activity.organiser"))
      << foreign.status();

  v1::Activity with_unknown_partner = NewActivity("7");
  with_unknown_partner.add_co_organisers(kRefugeeCouncil);
  with_unknown_partner.add_co_organisers(ActorName("56"));
  auto partner =
      activities().Create(Coordinator(), "aalborg", with_unknown_partner, "");
  EXPECT_EQ(partner.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(FieldNamed(partner.status(), "activity.co_organisers[1]"))
      << partner.status();
  EXPECT_TRUE(ListAll(Coordinator()).empty());
}

TEST_F(ActivitiesTest, EveryBadFieldIsNamed) {
  struct Case {
    std::string field;
    std::function<void(v1::Activity*)> spoil;
  };
  const std::vector<Case> cases = {
      {"activity.schedule.rrule",
       [](v1::Activity* a) {
         a->mutable_schedule()->set_rrule("FREQ=SOMETIMES");
       }},
      {"activity.place.area",
       [](v1::Activity* a) { a->mutable_place()->clear_area(); }},
      {"activity.target_groups[0]",
       [](v1::Activity* a) {
         v1::TargetGroup* children = a->add_target_groups();
         children->set_kind(v1::TargetGroup::KIND_CHILDREN);
         children->set_min_age(10);
         children->set_max_age(5);
       }},
      {"activity.price.amount_ore",
       [](v1::Activity* a) {
         a->mutable_price()->set_kind(v1::Price::KIND_LOW_COST);
         a->mutable_price()->set_amount_ore(0);
       }},
      {"activity.languages[1]",
       [](v1::Activity* a) { a->add_languages("not a language"); }},
      {"activity.co_organisers",
       [](v1::Activity* a) {
         for (int i = 0; i <= kMaxCoOrganisers; ++i) {
           a->add_co_organisers(ActorName(absl::StrCat(100 + i)));
         }
       }},
      {"activity.display_name",
       [](v1::Activity* a) { a->set_display_name("   "); }},
      {"activity.kind", [](v1::Activity* a) { a->clear_kind(); }},
  };
  v1::Activity everything_wrong = NewActivity("7");
  for (const Case& c : cases) {
    v1::Activity activity = NewActivity("7");
    c.spoil(&activity);
    c.spoil(&everything_wrong);
    auto refused = activities().Create(Coordinator(), "aalborg", activity, "");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << c.field;
    EXPECT_TRUE(FieldNamed(refused.status(), c.field))
        << c.field << ": " << refused.status();
  }
  // All at once: every one named in the same answer.
  auto refused =
      activities().Create(Coordinator(), "aalborg", everything_wrong, "");
  for (const Case& c : cases) {
    EXPECT_TRUE(FieldNamed(refused.status(), c.field))
        << c.field << ": " << refused.status();
  }
  EXPECT_TRUE(ListAll(Coordinator()).empty());
}

TEST_F(ActivitiesTest, FailedCreatesLeaveNoKeysBehind) {
  v1::Activity first = NewActivity("7");
  first.set_external_id("rk-aalborg-1");
  CreateActivity(first);
  const std::vector<std::string> keys = AllKeys();
  const int64_t events = StreamLength();

  v1::Activity invalid = NewActivity("7");
  invalid.mutable_place()->clear_area();
  EXPECT_FALSE(
      activities().Create(Coordinator(), "aalborg", invalid, "req-1").ok());
  EXPECT_FALSE(activities()
                   .Create(Coordinator(), "aalborg", NewActivity("55"), "req-2")
                   .ok());
  v1::Activity duplicate = NewActivity("8", "Another café");
  duplicate.set_external_id("rk-aalborg-1");
  auto refused =
      activities().Create(Coordinator(), "aalborg", duplicate, "req-3");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists)
      << refused.status();
  EXPECT_EQ(AllKeys(), keys);
  EXPECT_EQ(StreamLength(), events);

  // The refused requests' ids were not used up: corrected, they create.
  duplicate.set_external_id("dfh-aalborg-1");
  auto corrected =
      activities().Create(Coordinator(), "aalborg", duplicate, "req-3");
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(corrected->display_name(), "Another café");
}

TEST_F(ActivitiesTest, RequestIdMakesCreateIdempotent) {
  auto first =
      activities().Create(Coordinator(), "aalborg", NewActivity("7"), "r-1");
  ASSERT_TRUE(first.ok()) << first.status();
  auto again =
      activities().Create(Coordinator(), "aalborg", NewActivity("7"), "r-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), first->name());
  EXPECT_EQ(again->etag(), first->etag());
  EXPECT_EQ(ListAll(Coordinator()).size(), 1u);
  EXPECT_EQ(EventsOfType("brobygger.catalogue.v1.ActivityPublished").size(),
            1u);
  // Another request id is another activity.
  auto other =
      activities().Create(Coordinator(), "aalborg", NewActivity("7"), "r-2");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->name(), first->name());
}

TEST_F(ActivitiesTest, ExternalIdsAreUnique) {
  v1::Activity activity = NewActivity("7");
  activity.set_external_id("rk-1");
  const v1::Activity first = CreateActivity(activity);
  v1::Activity copy = NewActivity("8", "Copy");
  copy.set_external_id("rk-1");
  auto refused = activities().Create(Coordinator(), "aalborg", copy, "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists)
      << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), first.name()))
      << refused.status();

  // An update cannot take an id either.
  copy.set_external_id("dfh-1");
  const v1::Activity second = CreateActivity(copy);
  v1::Activity patch = second;
  patch.set_external_id("rk-1");
  auto taken = activities().Update(Coordinator(), "aalborg", patch,
                                   Paths({"external_id"}));
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists)
      << taken.status();

  // Deleting the owner frees the id.
  ASSERT_TRUE(
      activities().Delete(Coordinator(), "aalborg", IdOf(first), "").ok());
  auto now_free = activities().Update(Coordinator(), "aalborg", patch,
                                      Paths({"external_id"}));
  ASSERT_TRUE(now_free.ok()) << now_free.status();
  EXPECT_EQ(now_free->external_id(), "rk-1");
}

TEST_F(ActivitiesTest, CreatesAreAnnouncedWithTheActivity) {
  const v1::Activity draft = CreateActivity(Draft("7"));
  const v1::Activity published = CreateActivity(NewActivity("8"));

  const auto drafted = EventsOfType("brobygger.catalogue.v1.ActivityDrafted");
  ASSERT_EQ(drafted.size(), 1u);
  v1::ActivityDrafted drafted_payload;
  ASSERT_TRUE(drafted[0].payload().UnpackTo(&drafted_payload));
  EXPECT_EQ(drafted_payload.activity().SerializeAsString(),
            draft.SerializeAsString());
  EXPECT_EQ(drafted[0].resource(), draft.name());

  auto announced = EventsOfType("brobygger.catalogue.v1.ActivityPublished");
  ASSERT_EQ(announced.size(), 1u);
  v1::ActivityPublished published_payload;
  ASSERT_TRUE(announced[0].payload().UnpackTo(&published_payload));
  EXPECT_EQ(published_payload.activity().SerializeAsString(),
            published.SerializeAsString());

  // Publishing the draft announces it too.
  v1::Activity patch = draft;
  patch.set_state(v1::ACTIVITY_STATE_PUBLISHED);
  auto updated =
      activities().Update(Coordinator(), "aalborg", patch, Paths({"state"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  announced = EventsOfType("brobygger.catalogue.v1.ActivityPublished");
  ASSERT_EQ(announced.size(), 2u);
  ASSERT_TRUE(announced[1].payload().UnpackTo(&published_payload));
  EXPECT_EQ(published_payload.activity().SerializeAsString(),
            updated->SerializeAsString());
}

TEST_F(ActivitiesTest, OrganisationsEditOnlyTheirOwnCivilOffers) {
  const auth::Principal red_cross = NgoApp(kRedCross);
  const auth::Principal refugee_council = NgoApp(kRefugeeCouncil);
  auto own = activities().Create(red_cross, "aalborg", NewActivity("7"), "");
  ASSERT_TRUE(own.ok()) << own.status();
  auto draft = activities().Create(red_cross, "aalborg", Draft("7"), "");
  ASSERT_TRUE(draft.ok()) << draft.status();

  // Not in another organisation's name, and no municipal tasks.
  EXPECT_EQ(activities()
                .Create(refugee_council, "aalborg", NewActivity("7"), "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  v1::Activity task = JobCentreTask();
  EXPECT_EQ(activities().Create(red_cross, "aalborg", task, "").status().code(),
            absl::StatusCode::kPermissionDenied);

  // Its own: editable.
  v1::Activity patch = *own;
  patch.set_description("Now with cake.");
  auto edited =
      activities().Update(red_cross, "aalborg", patch, Paths({"description"}));
  ASSERT_TRUE(edited.ok()) << edited.status();

  // The other organisation may read the published offer but not change it.
  ASSERT_TRUE(activities().Get(refugee_council, "aalborg", IdOf(*own)).ok());
  patch = *edited;
  patch.set_description("Hijacked.");
  EXPECT_EQ(
      activities()
          .Update(refugee_council, "aalborg", patch, Paths({"description"}))
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      activities().Delete(refugee_council, "aalborg", IdOf(*own), "").code(),
      absl::StatusCode::kPermissionDenied);

  // The draft does not even exist for it.
  EXPECT_EQ(activities()
                .Get(refugee_council, "aalborg", IdOf(*draft))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  v1::Activity draft_patch = *draft;
  draft_patch.set_description("Peek");
  EXPECT_EQ(activities()
                .Update(refugee_council, "aalborg", draft_patch,
                        Paths({"description"}))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  const auto listed = ListAll(refugee_council);
  EXPECT_EQ(std::count(listed.begin(), listed.end(), draft->name()), 0);
  EXPECT_EQ(std::count(listed.begin(), listed.end(), own->name()), 1);

  // Naming itself co-organiser does not let it publish in another's name.
  v1::Activity in_their_name = NewActivity("7", "Red Cross café?");
  in_their_name.add_co_organisers(kRefugeeCouncil);
  EXPECT_EQ(activities()
                .Create(refugee_council, "aalborg", in_their_name, "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  // A co-organiser edits it like its own.
  v1::Activity shared = Draft("7", "Shared draft");
  shared.add_co_organisers(kRefugeeCouncil);
  auto joint = activities().Create(red_cross, "aalborg", shared, "");
  ASSERT_TRUE(joint.ok()) << joint.status();
  ASSERT_TRUE(activities().Get(refugee_council, "aalborg", IdOf(*joint)).ok());
  v1::Activity joint_patch = *joint;
  joint_patch.set_description("Both of us.");
  EXPECT_TRUE(activities()
                  .Update(refugee_council, "aalborg", joint_patch,
                          Paths({"description"}))
                  .ok());
}

TEST_F(ActivitiesTest, VolunteersReadPublishedActivitiesOnly) {
  const v1::Activity published = CreateActivity(NewActivity("7"));
  const v1::Activity draft = CreateActivity(Draft("7"));
  EXPECT_TRUE(activities().Get(Volunteer(), "aalborg", IdOf(published)).ok());
  EXPECT_EQ(
      activities().Get(Volunteer(), "aalborg", IdOf(draft)).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(ListAll(Volunteer()), std::vector<std::string>{published.name()});
  EXPECT_EQ(activities()
                .Create(Volunteer(), "aalborg", NewActivity("7"), "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  v1::Activity patch = published;
  patch.set_display_name("Mine now");
  EXPECT_EQ(activities()
                .Update(Volunteer(), "aalborg", patch, Paths({"display_name"}))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(ActivitiesTest, CaseworkersEditMunicipalTasksButNotCivilOffers) {
  auto task = activities().Create(Caseworker(), "aalborg", JobCentreTask(), "");
  ASSERT_TRUE(task.ok()) << task.status();
  v1::Activity patch = *task;
  patch.set_description("Bring your residence permit.");
  EXPECT_TRUE(
      activities()
          .Update(Caseworker(), "aalborg", patch, Paths({"description"}))
          .ok());

  EXPECT_EQ(activities()
                .Create(Caseworker(), "aalborg", NewActivity("7"), "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  const v1::Activity offer = CreateActivity(Draft("7"));
  // Caseworkers see drafts (they tell newcomers what is coming) ...
  EXPECT_TRUE(activities().Get(Caseworker(), "aalborg", IdOf(offer)).ok());
  // ... but civil offers are their organisations' to change.
  v1::Activity offer_patch = offer;
  offer_patch.set_description("Changed by the municipality");
  EXPECT_EQ(
      activities()
          .Update(Caseworker(), "aalborg", offer_patch, Paths({"description"}))
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      activities().Delete(Caseworker(), "aalborg", IdOf(offer), "").code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(ActivitiesTest, CoordinatorsDoEverythingInTheirOwnMunicipalityOnly) {
  const v1::Activity offer = CreateActivity(Draft("7"));
  const v1::Activity task = CreateActivity(JobCentreTask());
  for (const v1::Activity& activity : {offer, task}) {
    v1::Activity patch = activity;
    patch.set_description("Checked by the coordinator");
    auto updated = activities().Update(Coordinator(), "aalborg", patch,
                                       Paths({"description"}));
    ASSERT_TRUE(updated.ok()) << updated.status();
    EXPECT_TRUE(
        activities()
            .Delete(Coordinator(), "aalborg", IdOf(activity), updated->etag())
            .ok());
  }

  const v1::Activity published = CreateActivity(NewActivity("7"));
  const auth::Principal kolding = Coordinator("kolding");
  EXPECT_EQ(
      activities().Get(kolding, "aalborg", IdOf(published)).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(activities()
                .Create(kolding, "aalborg", NewActivity("7"), "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(activities().List(kolding, "aalborg", 0, "", "").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(ActivitiesTest, UpdatesNeedTheCurrentEtag) {
  const v1::Activity created = CreateActivity(NewActivity("7"));
  v1::Activity patch = created;
  patch.set_description("First change");
  auto first = activities().Update(Coordinator(), "aalborg", patch,
                                   Paths({"description"}));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_NE(first->etag(), created.etag());
  EXPECT_EQ(first->description(), "First change");
  EXPECT_EQ(first->create_time().SerializeAsString(),
            created.create_time().SerializeAsString());

  patch.set_description("Based on what I read before");  // old etag
  auto stale = activities().Update(Coordinator(), "aalborg", patch,
                                   Paths({"description"}));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted)
      << stale.status();
  auto read = activities().Get(Coordinator(), "aalborg", IdOf(created));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->description(), "First change");
}

TEST_F(ActivitiesTest, KindAndOrganiserCannotChange) {
  const v1::Activity created = CreateActivity(NewActivity("7"));
  v1::Activity patch = created;
  patch.set_kind(v1::ACTIVITY_KIND_MUNICIPAL_TASK);
  patch.set_organiser(kRefugeeCouncil);
  for (const char* path : {"kind", "organiser", "organiser_display_name"}) {
    auto refused =
        activities().Update(Coordinator(), "aalborg", patch, Paths({path}));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << path;
    EXPECT_TRUE(FieldNamed(refused.status(), "update_mask"))
        << path << ": " << refused.status();
  }
  // "*" updates everything else and leaves them alone.
  patch.set_display_name("Renamed café");
  auto all = activities().Update(Coordinator(), "aalborg", patch, Paths({"*"}));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->display_name(), "Renamed café");
  EXPECT_EQ(all->kind(), v1::ACTIVITY_KIND_CIVIL_OFFER);
  EXPECT_EQ(all->organiser(), kRedCross);
}

TEST_F(ActivitiesTest, PublishedActivitiesDoNotGoBackToDraft) {
  const v1::Activity created = CreateActivity(NewActivity("7"));
  v1::Activity patch = created;
  patch.set_state(v1::ACTIVITY_STATE_DRAFT);
  auto refused =
      activities().Update(Coordinator(), "aalborg", patch, Paths({"state"}));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(FieldNamed(refused.status(), "activity.state"))
      << refused.status();
}

TEST_F(ActivitiesTest, EndedActivitiesAreOverForGood) {
  v1::Activity ended = CreateActivity(NewActivity("7"));
  ended.set_state(v1::ACTIVITY_STATE_ENDED);
  auto updated =
      activities().Update(Coordinator(), "aalborg", ended, Paths({"state"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  for (const v1::ActivityState state :
       {v1::ACTIVITY_STATE_PUBLISHED, v1::ACTIVITY_STATE_PAUSED,
        v1::ACTIVITY_STATE_DRAFT}) {
    v1::Activity patch = *updated;
    patch.set_state(state);
    auto refused =
        activities().Update(Coordinator(), "aalborg", patch, Paths({"state"}));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << v1::ActivityState_Name(state);
    EXPECT_TRUE(FieldNamed(refused.status(), "activity.state"))
        << v1::ActivityState_Name(state) << ": " << refused.status();
  }
  // Kept for the record, which may still be corrected.
  v1::Activity patch = *updated;
  patch.set_description("Ran from 2027 to 2028.");
  EXPECT_TRUE(
      activities()
          .Update(Coordinator(), "aalborg", patch, Paths({"description"}))
          .ok());
}

TEST_F(ActivitiesTest, NewCoOrganisersMustBeKnownOrganisations) {
  const v1::Activity created = CreateActivity(NewActivity("7"));
  v1::Activity patch = created;
  patch.add_co_organisers(kRefugeeCouncil);
  patch.add_co_organisers(ActorName("77"));
  auto refused = activities().Update(Coordinator(), "aalborg", patch,
                                     Paths({"co_organisers"}));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(FieldNamed(refused.status(), "activity.co_organisers[1]"))
      << refused.status();
  patch.mutable_co_organisers()->RemoveLast();
  auto added = activities().Update(Coordinator(), "aalborg", patch,
                                   Paths({"co_organisers"}));
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(ListAll(Coordinator(),
                    absl::StrCat("organiser = \"", kRefugeeCouncil, "\"")),
            std::vector<std::string>{created.name()});
}

TEST_F(ActivitiesTest, EndingAPublishedActivityAnnouncesItsCancellation) {
  const v1::Activity created = CreateActivity(NewActivity("7"));
  v1::Activity patch = created;
  patch.set_state(v1::ACTIVITY_STATE_ENDED);
  auto ended =
      activities().Update(Coordinator(), "aalborg", patch, Paths({"state"}));
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->state(), v1::ACTIVITY_STATE_ENDED);
  const auto cancelled =
      EventsOfType("brobygger.catalogue.v1.ActivityCancelled");
  ASSERT_EQ(cancelled.size(), 1u);
  v1::ActivityCancelled payload;
  ASSERT_TRUE(cancelled[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.activity().name(), created.name());
  EXPECT_EQ(payload.activity().state(), v1::ACTIVITY_STATE_ENDED);
  EXPECT_FALSE(payload.deleted());
  EXPECT_FALSE(payload.reason().empty());
}

TEST_F(ActivitiesTest, ChangesAreAnnouncedWithTheChangedFields) {
  const v1::Activity created = CreateActivity(NewActivity("7"));
  v1::Activity patch = created;
  patch.set_display_name("Language café for women");
  patch.mutable_place()->set_area("Nørresundby");
  patch.set_description("Ignored: not in the mask");
  auto updated = activities().Update(Coordinator(), "aalborg", patch,
                                     Paths({"display_name", "place.area"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->place().area(), "Nørresundby");
  EXPECT_EQ(updated->place().address(), created.place().address());
  EXPECT_EQ(updated->description(), created.description());

  const auto changed = EventsOfType("brobygger.catalogue.v1.ActivityChanged");
  ASSERT_EQ(changed.size(), 1u);
  v1::ActivityChanged payload;
  ASSERT_TRUE(changed[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.activity().SerializeAsString(),
            updated->SerializeAsString());
  const std::set<std::string> paths(payload.update_mask().paths().begin(),
                                    payload.update_mask().paths().end());
  EXPECT_EQ(paths, (std::set<std::string>{"display_name", "place"}));
}

TEST_F(ActivitiesTest, AnUpdateThatChangesNothingWritesNothing) {
  const v1::Activity created = CreateActivity(NewActivity("7"));
  const std::vector<events::v1::Event> before = Events("aalborg");
  v1::Activity patch = created;
  // The same values, in a form that normalises to what is stored.
  patch.set_display_name("  Language café ");
  patch.mutable_schedule()->set_start_time("2027-01-05T18:00");
  auto updated = activities().Update(
      Coordinator(), "aalborg", patch,
      Paths({"display_name", "description", "schedule", "place"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), created.etag());
  EXPECT_EQ(updated->update_time().SerializeAsString(),
            created.update_time().SerializeAsString());
  EXPECT_EQ(Events("aalborg").size(), before.size());
  auto read = activities().Get(Coordinator(), "aalborg", IdOf(created));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->SerializeAsString(), created.SerializeAsString());
}

TEST_F(ActivitiesTest, DeletingCancelsPublishedActivitiesAndCleansIndexes) {
  v1::Activity activity = NewActivity("7");
  activity.add_co_organisers(kRefugeeCouncil);
  activity.set_external_id("rk-1");
  const v1::Activity created = CreateActivity(activity);
  const v1::Activity other = CreateActivity(NewActivity("7", "Other café"));
  const std::string organiser_index =
      ctx_->keys.Index("aalborg", kActivityCollection, "organiser", "7");
  const std::string partner_index =
      ctx_->keys.Index("aalborg", kActivityCollection, "organiser", "8");

  EXPECT_EQ(
      activities()
          .Delete(Coordinator(), "aalborg", IdOf(created), store::EtagOf(99))
          .code(),
      absl::StatusCode::kAborted);
  ASSERT_TRUE(
      activities()
          .Delete(Coordinator(), "aalborg", IdOf(created), created.etag())
          .ok());
  EXPECT_EQ(
      activities().Get(Coordinator(), "aalborg", IdOf(created)).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(ListAll(Coordinator()), std::vector<std::string>{other.name()});
  EXPECT_EQ(ListAll(Coordinator(),
                    absl::StrCat("organiser = \"", kRefugeeCouncil, "\"")),
            std::vector<std::string>{});
  auto members = pool_->Run({"ZRANGE", organiser_index, "0", "-1"});
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->elements.size(), 1u);
  EXPECT_EQ(members->elements[0].str, IdOf(other));
  auto partner = pool_->Run({"EXISTS", partner_index});
  ASSERT_TRUE(partner.ok());
  EXPECT_EQ(partner->integer, 0);
  auto claim =
      pool_->Run({"HEXISTS", ctx_->keys.ExternalIdClaims("aalborg"), "rk-1"});
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(claim->integer, 0);

  const auto cancelled =
      EventsOfType("brobygger.catalogue.v1.ActivityCancelled");
  ASSERT_EQ(cancelled.size(), 1u);
  v1::ActivityCancelled payload;
  ASSERT_TRUE(cancelled[0].payload().UnpackTo(&payload));
  EXPECT_TRUE(payload.deleted());
  EXPECT_EQ(payload.activity().name(), created.name());

  // A draft nobody saw published just goes.
  const v1::Activity draft = CreateActivity(Draft("8"));
  ASSERT_TRUE(
      activities().Delete(Coordinator(), "aalborg", IdOf(draft), "").ok());
  const auto deleted = EventsOfType("brobygger.catalogue.v1.ActivityDeleted");
  ASSERT_EQ(deleted.size(), 1u);
  v1::ActivityDeleted deleted_payload;
  ASSERT_TRUE(deleted[0].payload().UnpackTo(&deleted_payload));
  EXPECT_EQ(deleted_payload.name(), draft.name());
  EXPECT_EQ(EventsOfType("brobygger.catalogue.v1.ActivityCancelled").size(),
            1u);
}

TEST_F(ActivitiesTest, CancellingOneOccurrence) {
  const v1::Activity created = CreateActivity(NewActivity("7"));
  const std::string id = IdOf(created);
  auto cancelled = activities().CancelOccurrence(
      Coordinator(), "aalborg", id, "2040-01-03T18:00", "Winter holiday",
      created.etag());
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  ASSERT_EQ(cancelled->cancelled_occurrences_size(), 1);
  EXPECT_EQ(cancelled->cancelled_occurrences(0).start_time(),
            "2040-01-03T18:00:00");
  EXPECT_EQ(cancelled->cancelled_occurrences(0).reason(), "Winter holiday");
  EXPECT_NE(cancelled->etag(), created.etag());

  const auto announced =
      EventsOfType("brobygger.catalogue.v1.OccurrenceCancelled");
  ASSERT_EQ(announced.size(), 1u);
  v1::OccurrenceCancelled payload;
  ASSERT_TRUE(announced[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.activity(), created.name());
  EXPECT_EQ(payload.local_start_time(), "2040-01-03T18:00:00");
  EXPECT_EQ(payload.reason(), "Winter holiday");

  // Listed as cancelled when asked for, skipped otherwise.
  const absl::Time from = Utc(2040, 1, 2), to = Utc(2040, 1, 13);
  auto with = catalogue().index().ListOccurrences(
      Volunteer(), "aalborg", id, v1::ActivityQuery(), from, to, 0, "", true);
  ASSERT_TRUE(with.ok()) << with.status();
  ASSERT_EQ(with->occurrences.size(), 2u);
  EXPECT_EQ(with->occurrences[0].local_start_time(), "2040-01-03T18:00:00");
  EXPECT_TRUE(with->occurrences[0].cancelled());
  EXPECT_EQ(with->occurrences[0].cancel_reason(), "Winter holiday");
  EXPECT_FALSE(with->occurrences[1].cancelled());
  auto without = catalogue().index().ListOccurrences(
      Volunteer(), "aalborg", id, v1::ActivityQuery(), from, to, 0, "", false);
  ASSERT_TRUE(without.ok()) << without.status();
  ASSERT_EQ(without->occurrences.size(), 1u);
  EXPECT_EQ(without->occurrences[0].local_start_time(), "2040-01-10T18:00:00");

  // A retry of the same request (same etag) changes and announces nothing.
  auto retried = activities().CancelOccurrence(
      Coordinator(), "aalborg", id, "2040-01-03T18:00:00", "Winter holiday",
      created.etag());
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->etag(), cancelled->etag());
  EXPECT_EQ(EventsOfType("brobygger.catalogue.v1.OccurrenceCancelled").size(),
            1u);
}

TEST_F(ActivitiesTest, OnlyRealFutureOccurrencesCanBeCancelled) {
  const v1::Activity created = CreateActivity(NewActivity("7"));
  for (const char* start : {"2027-02-03T18:00",  // a Wednesday
                            "2027-02-02T19:00",  // the wrong hour
                            "2026-13-01T18:00",  // not a date
                            "next tuesday"}) {
    auto refused = activities().CancelOccurrence(
        Coordinator(), "aalborg", IdOf(created), start, "Holiday", "");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << start;
    EXPECT_TRUE(FieldNamed(refused.status(), "start_time"))
        << start << ": " << refused.status();
  }
  // Nothing was written.
  auto read = activities().Get(Coordinator(), "aalborg", IdOf(created));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->etag(), created.etag());

  // A past occurrence is history.
  v1::Activity old = NewActivity("7", "Old café");
  old.mutable_schedule()->set_start_time("2026-01-06T18:00");
  const v1::Activity past = CreateActivity(old);
  auto over = activities().CancelOccurrence(
      Coordinator(), "aalborg", IdOf(past), "2026-01-13T18:00", "Too late", "");
  EXPECT_EQ(over.status().code(), absl::StatusCode::kFailedPrecondition)
      << over.status();
}

TEST_F(ActivitiesTest, ListFiltersByStateCategoryOrganiserAndArea) {
  const v1::Activity cafe = CreateActivity(NewActivity("7"));
  v1::Activity homework = Draft("8", "Homework help");
  homework.set_category(v1::CATEGORY_HOMEWORK_HELP);
  const v1::Activity homework_draft = CreateActivity(homework);
  v1::Activity dinner = NewActivity("7", "Communal dinner");
  dinner.set_category(v1::CATEGORY_COMMUNAL_DINING);
  dinner.mutable_place()->set_area("Nørresundby");
  const v1::Activity dinner_created = CreateActivity(dinner);
  v1::Activity second_cafe = NewActivity("8", "Café in Kaerby");
  second_cafe.mutable_place()->set_area("KAERBY");
  const v1::Activity second = CreateActivity(second_cafe);
  const v1::Activity task = CreateActivity(JobCentreTask());

  EXPECT_EQ(ListAll(Coordinator(), "state = PUBLISHED"),
            (std::vector<std::string>{cafe.name(), dinner_created.name(),
                                      second.name(), task.name()}));
  EXPECT_EQ(ListAll(Coordinator(), "state = ACTIVITY_STATE_DRAFT"),
            std::vector<std::string>{homework_draft.name()});
  EXPECT_EQ(ListAll(Coordinator(), "category = HOMEWORK_HELP"),
            std::vector<std::string>{homework_draft.name()});
  EXPECT_EQ(
      ListAll(Coordinator(), absl::StrCat("organiser = \"", kRedCross, "\"")),
      (std::vector<std::string>{cafe.name(), dinner_created.name()}));
  const std::vector<std::string> in_kaerby = {
      cafe.name(), homework_draft.name(), second.name(), task.name()};
  EXPECT_EQ(ListAll(Coordinator(), "area = kaerby"), in_kaerby);
  EXPECT_EQ(ListAll(Coordinator(), "area = \"Kærby\""), in_kaerby);
  EXPECT_EQ(ListAll(Coordinator(),
                    "area = \"Kærby\" AND category = "
                    "LANGUAGE_CAFE AND state = PUBLISHED"),
            (std::vector<std::string>{cafe.name(), second.name()}));
  EXPECT_EQ(ListAll(Coordinator(), "kind = MUNICIPAL_TASK"),
            std::vector<std::string>{task.name()});

  for (const char* bad : {"colour = red", "state = SLEEPING",
                          "state = PUBLISHED OR state = DRAFT"}) {
    auto refused = activities().List(Coordinator(), "aalborg", 0, "", bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_TRUE(FieldNamed(refused.status(), "filter"))
        << bad << ": " << refused.status();
  }
}

TEST_F(ActivitiesTest, ListPagesAreStableAndTokensBoundToTheirFilter) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    created.push_back(
        CreateActivity(NewActivity("7", absl::StrCat("Café ", i))).name());
  }
  auto first = activities().List(Coordinator(), "aalborg", 2, "", "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->activities.size(), 2u);
  ASSERT_FALSE(first->next_page_token.empty());
  EXPECT_EQ(ListAll(Coordinator()), created);

  auto other_filter = activities().List(
      Coordinator(), "aalborg", 2, first->next_page_token, "state = PUBLISHED");
  EXPECT_EQ(other_filter.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(FieldNamed(other_filter.status(), "page_token"))
      << other_filter.status();
  auto too_big = activities().List(Coordinator(), "aalborg", 1000000, "", "");
  EXPECT_TRUE(FieldNamed(too_big.status(), "page_size")) << too_big.status();
}

}  // namespace
}  // namespace brobygger::catalogue
