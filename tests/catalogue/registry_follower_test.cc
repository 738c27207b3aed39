// Following the registry against a real redis-server: organisations become
// organisers, renames and deletions reach their activities, redelivered and
// out-of-order events change nothing, deletions are final, and an erased
// newcomer's personal plans go. Events are handed to the follower directly
// (its thread reads the same events from the registry's stream).
#include "services/catalogue/registry_follower.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "brobygger/catalogue/v1/events.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "tests/catalogue/catalogue_fixture.h"

namespace brobygger::catalogue {
namespace {

namespace rv1 = ::brobygger::registry::v1;

constexpr char kRedCross[] = "municipalities/aalborg/actors/7";
constexpr char kRefugeeCouncil[] = "municipalities/aalborg/actors/8";

class RegistryFollowerTest : public CatalogueFixture {
 protected:
  void SetUp() override {
    CatalogueFixture::SetUp();
    registered_ = absl::Now();
    RegisterOrganiser("7", "Røde Kors Aalborg", rv1::ACTOR_KIND_NGO, "aalborg",
                      registered_);
    RegisterOrganiser("8", "Dansk Flygtningehjælp");
  }

  Activities& activities() { return catalogue().activities(); }

  v1::Activity Read(const v1::Activity& activity) {
    auto read = activities().Get(Coordinator(), "aalborg",
                                 store::IdOf(activity.name()));
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? *read : v1::Activity();
  }

  void Feed(const events::v1::Event& event) {
    const absl::Status status = FeedRegistry(event);
    ASSERT_TRUE(status.ok()) << status;
  }

  absl::Time registered_;
};

TEST_F(RegistryFollowerTest, ACreatedOrganisationMayOrganise) {
  auto unknown = activities().Create(Coordinator(), "aalborg",
                                     NewActivity("30", "Football"), "");
  EXPECT_TRUE(FieldNamed(unknown.status(), "activity.organiser"))
      << unknown.status();

  RegisterOrganiser("30", "Kærby Boldklub", rv1::ACTOR_KIND_SPORTS_ASSOCIATION);
  RegisterOrganiser("31", "Volunteers of Kærby",
                    rv1::ACTOR_KIND_VOLUNTEER_GROUP);
  RegisterOrganiser("32", "Integration unit",
                    rv1::ACTOR_KIND_MUNICIPAL_DEPARTMENT);
  for (const auto& [id, name] :
       std::vector<std::pair<std::string, std::string>>{
           {"30", "Kærby Boldklub"},
           {"31", "Volunteers of Kærby"},
           {"32", "Integration unit"}}) {
    auto created = activities().Create(Coordinator(), "aalborg",
                                       NewActivity(id, "Football"), "");
    ASSERT_TRUE(created.ok()) << id << ": " << created.status();
    EXPECT_EQ(created->organiser_display_name(), name);
  }
  // Persons never do.
  RegisterOrganiser("40", "Erik Hansen", rv1::ACTOR_KIND_MUNICIPAL_EMPLOYEE);
  RegisterOrganiser("41", "Vera", rv1::ACTOR_KIND_VOLUNTEER);
  for (const char* id : {"40", "41"}) {
    EXPECT_TRUE(FieldNamed(
        activities()
            .Create(Coordinator(), "aalborg", NewActivity(id, "Walk"), "")
            .status(),
        "activity.organiser"))
        << id;
  }
}

TEST_F(RegistryFollowerTest, RenamesReachTheOrganisersActivities) {
  const v1::Activity cafe = CreateActivity(NewActivity("7", "Café"));
  v1::Activity draft_activity = NewActivity("7", "Draft");
  draft_activity.set_state(v1::ACTIVITY_STATE_DRAFT);
  const v1::Activity draft = CreateActivity(draft_activity);
  v1::Activity shared_activity = NewActivity("8", "Shared");
  shared_activity.add_co_organisers(kRedCross);
  const v1::Activity shared = CreateActivity(shared_activity);
  const size_t changed_before =
      EventsOfType("brobygger.catalogue.v1.ActivityChanged").size();

  Feed(RenameEvent("7", "Red Cross Aalborg", registered_ + absl::Minutes(1)));
  EXPECT_EQ(Read(cafe).organiser_display_name(), "Red Cross Aalborg");
  EXPECT_EQ(Read(draft).organiser_display_name(), "Red Cross Aalborg");
  EXPECT_EQ(Read(shared).organiser_display_name(), "Dansk Flygtningehjælp");

  const auto changed = EventsOfType("brobygger.catalogue.v1.ActivityChanged");
  ASSERT_EQ(changed.size(), changed_before + 2);
  for (size_t i = changed_before; i < changed.size(); ++i) {
    v1::ActivityChanged payload;
    ASSERT_TRUE(changed[i].payload().UnpackTo(&payload));
    EXPECT_EQ(payload.activity().organiser_display_name(), "Red Cross Aalborg");
    ASSERT_EQ(payload.update_mask().paths_size(), 1);
    EXPECT_EQ(payload.update_mask().paths(0), "organiser_display_name");
  }
  // Searches show the new name, and new activities get it.
  auto found = catalogue().index().Search(Volunteer(), "aalborg",
                                          v1::ActivityQuery(), 0, "");
  ASSERT_TRUE(found.ok());
  for (const v1::SearchResult& result : found->results) {
    if (result.activity().name() == cafe.name()) {
      EXPECT_EQ(result.activity().organiser_display_name(),
                "Red Cross Aalborg");
    }
  }
  EXPECT_EQ(CreateActivity(NewActivity("7", "New")).organiser_display_name(),
            "Red Cross Aalborg");
}

TEST_F(RegistryFollowerTest, RedeliveredAndOlderEventsChangeNothing) {
  const v1::Activity cafe = CreateActivity(NewActivity("7", "Café"));
  const events::v1::Event rename =
      RenameEvent("7", "Red Cross Aalborg", registered_ + absl::Minutes(2));
  Feed(rename);
  const v1::Activity renamed = Read(cafe);
  const size_t events = Events("aalborg").size();

  Feed(rename);  // redelivered
  Feed(RenameEvent("7", "Old name", registered_ + absl::Minutes(1)));  // late
  RegisterOrganiser("7", "Røde Kors Aalborg", rv1::ACTOR_KIND_NGO, "aalborg",
                    registered_);  // the creation, redelivered
  EXPECT_EQ(Read(cafe).SerializeAsString(), renamed.SerializeAsString());
  EXPECT_EQ(Events("aalborg").size(), events);
  EXPECT_EQ(CreateActivity(NewActivity("7", "New")).organiser_display_name(),
            "Red Cross Aalborg");
}

TEST_F(RegistryFollowerTest, DeletedOrganisersActivitiesEnd) {
  const v1::Activity cafe = CreateActivity(NewActivity("7", "Café"));
  v1::Activity draft_activity = NewActivity("7", "Draft");
  draft_activity.set_state(v1::ACTIVITY_STATE_DRAFT);
  const v1::Activity draft = CreateActivity(draft_activity);
  v1::Activity shared_activity = NewActivity("8", "Shared");
  shared_activity.add_co_organisers(kRedCross);
  const v1::Activity shared = CreateActivity(shared_activity);
  const v1::Activity other = CreateActivity(NewActivity("8", "Other"));

  Feed(DeleteEvent("7"));
  EXPECT_EQ(Read(cafe).state(), v1::ACTIVITY_STATE_ENDED);
  EXPECT_EQ(Read(draft).state(), v1::ACTIVITY_STATE_ENDED);
  const v1::Activity shared_now = Read(shared);
  EXPECT_EQ(shared_now.state(), v1::ACTIVITY_STATE_PUBLISHED);
  EXPECT_TRUE(shared_now.co_organisers().empty());
  EXPECT_EQ(Read(other).SerializeAsString(), other.SerializeAsString());

  const auto cancelled =
      EventsOfType("brobygger.catalogue.v1.ActivityCancelled");
  ASSERT_EQ(cancelled.size(), 1u);
  v1::ActivityCancelled payload;
  ASSERT_TRUE(cancelled[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.activity().name(), cafe.name());
  EXPECT_FALSE(payload.deleted());
  EXPECT_TRUE(absl::StrContains(payload.reason(), "Røde Kors Aalborg"))
      << payload.reason();
  bool co_organiser_change = false;
  for (const auto& event :
       EventsOfType("brobygger.catalogue.v1.ActivityChanged")) {
    v1::ActivityChanged changed;
    ASSERT_TRUE(event.payload().UnpackTo(&changed));
    if (changed.activity().name() == shared.name()) {
      co_organiser_change = true;
      ASSERT_EQ(changed.update_mask().paths_size(), 1);
      EXPECT_EQ(changed.update_mask().paths(0), "co_organisers");
    }
  }
  EXPECT_TRUE(co_organiser_change);

  // Gone from searches and lists of its organisations' activities.
  auto found = catalogue().index().Search(Volunteer(), "aalborg",
                                          v1::ActivityQuery(), 0, "");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->total_size, 2);
  auto listed = activities().List(
      Coordinator(), "aalborg", 0, "",
      absl::StrCat("organiser = \"", kRedCross, "\" AND state = PUBLISHED"));
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->activities.empty());

  // No new activities for it; a redelivery changes nothing.
  EXPECT_TRUE(FieldNamed(
      activities()
          .Create(Coordinator(), "aalborg", NewActivity("7", "Too late"), "")
          .status(),
      "activity.organiser"));
  const size_t events = Events("aalborg").size();
  Feed(DeleteEvent("7"));
  EXPECT_EQ(Events("aalborg").size(), events);
}

TEST_F(RegistryFollowerTest, ADeletedOrganiserCannotComeBack) {
  Feed(DeleteEvent("7"));
  // A late update (sent before the deletion, delivered after) and a
  // redelivered creation.
  Feed(RenameEvent("7", "Red Cross Aalborg", absl::Now() + absl::Hours(1)));
  RegisterOrganiser("7", "Røde Kors Aalborg");
  auto organiser = catalogue().projection().FindOrganiser("aalborg", "7");
  ASSERT_TRUE(organiser.ok());
  EXPECT_FALSE(organiser->has_value());
  EXPECT_TRUE(FieldNamed(
      activities()
          .Create(Coordinator(), "aalborg", NewActivity("7", "Café"), "")
          .status(),
      "activity.organiser"));
  // Others are unaffected.
  EXPECT_EQ(CreateActivity(NewActivity("8")).organiser(), kRefugeeCouncil);
}

TEST_F(RegistryFollowerTest, AnErasedNewcomersPlansAreDeleted) {
  RegisterNewcomer("12", {"Kærby"}, {"homework"});
  RegisterNewcomer("13", {"Kærby"}, {"danish"});
  v1::TimelineTemplate timeline;
  v1::TimelineItem* welcome = timeline.add_items();
  welcome->set_id("welcome-meeting");
  welcome->set_title("Welcome meeting");
  welcome->set_owner("citizen service");
  welcome->set_municipal_task(true);
  google::protobuf::FieldMask all;
  all.add_paths("*");
  ASSERT_TRUE(catalogue()
                  .templates()
                  .Update(Coordinator(), "aalborg", timeline, all)
                  .ok());
  for (const char* newcomer : {"12", "13"}) {
    v1::PersonalPlan plan;
    plan.set_newcomer(ActorName(newcomer));
    plan.set_arrival_date("2027-02-01");
    auto created =
        catalogue().plans().Create(Caseworker(), "aalborg", plan, "");
    ASSERT_TRUE(created.ok()) << newcomer << ": " << created.status();
  }

  rv1::NewcomerErased erased;
  erased.set_name(ActorName("12"));
  const events::v1::Event event =
      RegistryEvent("aalborg", erased.name(), erased);
  Feed(event);
  Feed(event);  // redelivered

  auto erased_plans = catalogue().plans().List(Coordinator(), "aalborg", 0, "",
                                               ActorName("12"));
  ASSERT_TRUE(erased_plans.ok()) << erased_plans.status();
  EXPECT_TRUE(erased_plans->plans.empty());
  auto kept = catalogue().plans().List(Coordinator(), "aalborg", 0, "",
                                       ActorName("13"));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->plans.size(), 1u);
  // Not even their needs are counted any more.
  auto known = catalogue().projection().HasNewcomer("aalborg", "12");
  ASSERT_TRUE(known.ok());
  EXPECT_FALSE(*known);
  auto needs = catalogue().projection().NeedsByArea("aalborg");
  ASSERT_TRUE(needs.ok());
  EXPECT_FALSE((*needs)["kaerby"].contains("homework"));
  EXPECT_EQ((*needs)["kaerby"]["danish"], 1);
  // And no new plan for them.
  v1::PersonalPlan again;
  again.set_newcomer(ActorName("12"));
  again.set_arrival_date("2027-02-01");
  EXPECT_FALSE(
      catalogue().plans().Create(Caseworker(), "aalborg", again, "").ok());
}

}  // namespace
}  // namespace brobygger::catalogue
