// HSDS exchange against a real redis-server: one municipality's published
// activities exported and imported into another (organisations matched by
// name), re-imports that change nothing, validate-only imports, and unknown
// organisations refused before anything is written.
#include "services/catalogue/hsds_exchange.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/catalogue/catalogue_fixture.h"

namespace brobygger::catalogue {
namespace {

// What another municipality's copy shares with the original: everything
// but identity, organiser, bookkeeping and the origin's ids.
v1::Activity Portable(v1::Activity activity) {
  activity.clear_name();
  activity.clear_organiser();
  activity.clear_organiser_display_name();
  activity.clear_external_id();
  activity.clear_etag();
  activity.clear_create_time();
  activity.clear_update_time();
  return activity;
}

class HsdsExchangeTest : public CatalogueFixture {
 protected:
  void SetUp() override {
    CatalogueFixture::SetUp();
    RegisterOrganiser("7", "Røde Kors Aalborg");
    RegisterOrganiser("8", "Dansk Flygtningehjælp");

    v1::Activity cafe = NewActivity("7", "Language café for children");
    cafe.set_description("Danish and Arabic, with homework help.");
    v1::TargetGroup* children = cafe.add_target_groups();
    children->set_kind(v1::TargetGroup::KIND_CHILDREN);
    children->set_min_age(6);
    children->set_max_age(12);
    cafe.add_languages("ar");
    cafe.mutable_place()->set_venue("Kærby Library");
    cafe.mutable_place()->mutable_coordinates()->set_latitude(57.05);
    cafe.mutable_place()->mutable_coordinates()->set_longitude(9.92);
    cafe.mutable_schedule()->add_exception_dates("2027-02-16");
    cafe.mutable_price()->set_kind(v1::Price::KIND_LOW_COST);
    cafe.mutable_price()->set_amount_ore(1500);
    cafe.mutable_price()->set_note("cake included");
    cafe.mutable_contact()->set_name("Mette");
    cafe.mutable_contact()->set_phone("+45 12 34 56 78");
    cafe.mutable_contact()->set_email("mette@example.dk");
    cafe.mutable_capacity()->set_max_participants(20);
    cafe.mutable_capacity()->set_signup_required(true);
    cafe.mutable_capacity()->set_signup_instructions("Text Mette.");
    cafe.set_accessibility_notes("Step-free entrance.");
    originals_.push_back(CreateActivity(cafe));

    v1::Activity dinner = NewActivity("8", "Communal dinner");
    dinner.set_category(v1::CATEGORY_COMMUNAL_DINING);
    dinner.mutable_place()->set_area("Nørresundby");
    dinner.mutable_schedule()->set_start_time("2027-01-29T17:30");
    dinner.mutable_schedule()->set_rrule("FREQ=MONTHLY;BYDAY=-1FR");
    dinner.mutable_schedule()->mutable_duration()->set_seconds(3 * 3600);
    originals_.push_back(CreateActivity(dinner));

    v1::Activity draft = NewActivity("7", "Not ready yet");
    draft.set_state(v1::ACTIVITY_STATE_DRAFT);
    CreateActivity(draft);

    auto exported = catalogue().hsds().Export(Coordinator(), "aalborg");
    ASSERT_TRUE(exported.ok()) << exported.status();
    json_ = exported->json();
    ASSERT_EQ(exported->service_count(), 2);
  }

  // The Kolding organisations, spelled their own way.
  void RegisterInKolding(bool with_refugee_council = true) {
    RegisterOrganiser("3", "RØDE KORS AALBORG", registry::v1::ACTOR_KIND_NGO,
                      "kolding");
    if (with_refugee_council) {
      RegisterOrganiser("4", "Dansk Flygtningehjaelp",
                        registry::v1::ACTOR_KIND_NGO_BRANCH, "kolding");
    }
  }

  absl::StatusOr<v1::ImportHsdsResponse> ImportIntoKolding(
      bool validate_only = false) {
    return catalogue().hsds().Import(Coordinator("kolding"), "kolding", json_,
                                     validate_only, false);
  }

  std::vector<v1::Activity> KoldingActivities() {
    auto page = catalogue().activities().List(Coordinator("kolding"), "kolding",
                                              0, "", "");
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->activities : std::vector<v1::Activity>();
  }

  // The index of the exported service the named organisation runs.
  int ServiceIndexOf(const std::string& organisation_name) {
    const nlohmann::json document = nlohmann::json::parse(json_);
    std::string organisation_id;
    for (const auto& organisation : document["organizations"]) {
      if (organisation["name"] == organisation_name) {
        organisation_id = organisation["id"];
      }
    }
    const auto& services = document["services"];
    for (size_t i = 0; i < services.size(); ++i) {
      if (services[i]["organization_id"] == organisation_id) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }

  std::vector<v1::Activity> originals_;
  std::string json_;
};

TEST_F(HsdsExchangeTest, ExportedActivitiesImportIntoAnotherMunicipality) {
  RegisterInKolding();
  auto imported = ImportIntoKolding();
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->created(), 2);
  EXPECT_EQ(imported->updated(), 0);
  EXPECT_EQ(imported->unchanged(), 0);
  EXPECT_EQ(imported->activities_size(), 2);

  const std::vector<v1::Activity> copies = KoldingActivities();
  ASSERT_EQ(copies.size(), 2u);
  for (const v1::Activity& original : originals_) {
    const v1::Activity* copy = nullptr;
    for (const v1::Activity& candidate : copies) {
      if (candidate.display_name() == original.display_name()) {
        copy = &candidate;
      }
    }
    ASSERT_NE(copy, nullptr) << original.display_name();
    EXPECT_TRUE(
        absl::StartsWith(copy->name(), "municipalities/kolding/activities/"));
    EXPECT_FALSE(copy->external_id().empty());
    std::string differences;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&differences);
    EXPECT_TRUE(differencer.Compare(Portable(original), Portable(*copy)))
        << original.display_name() << ":\n"
        << differences;
  }
  const auto by_name = [&](const std::string& display_name) {
    for (const v1::Activity& copy : copies) {
      if (copy.display_name() == display_name) return copy;
    }
    return v1::Activity();
  };
  EXPECT_EQ(by_name("Language café for children").organiser(),
            "municipalities/kolding/actors/3");
  EXPECT_EQ(by_name("Language café for children").organiser_display_name(),
            "RØDE KORS AALBORG");
  EXPECT_EQ(by_name("Communal dinner").organiser(),
            "municipalities/kolding/actors/4");
  // The imports are announced like any create.
  EXPECT_EQ(EventsOfType("brobygger.catalogue.v1.ActivityPublished", "kolding")
                .size(),
            2u);
}

TEST_F(HsdsExchangeTest, ASecondImportOfTheSameDocumentChangesNothing) {
  RegisterInKolding();
  ASSERT_TRUE(ImportIntoKolding().ok());
  const std::vector<v1::Activity> before = KoldingActivities();
  const size_t events = Events("kolding").size();

  auto again = ImportIntoKolding();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->created(), 0);
  EXPECT_EQ(again->updated(), 0);
  EXPECT_EQ(again->unchanged(), 2);
  EXPECT_EQ(again->activities_size(), 0);
  const std::vector<v1::Activity> after = KoldingActivities();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].SerializeAsString(), before[i].SerializeAsString());
  }
  EXPECT_EQ(Events("kolding").size(), events);

  // A changed original updates its copy on the next exchange.
  v1::Activity changed = originals_[1];
  changed.set_description("Bring a dish if you like.");
  google::protobuf::FieldMask description;
  description.add_paths("description");
  ASSERT_TRUE(catalogue()
                  .activities()
                  .Update(Coordinator(), "aalborg", changed, description)
                  .ok());
  auto exported = catalogue().hsds().Export(Coordinator(), "aalborg");
  ASSERT_TRUE(exported.ok());
  json_ = exported->json();
  auto updated = ImportIntoKolding();
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->updated(), 1);
  EXPECT_EQ(updated->unchanged(), 1);
}

TEST_F(HsdsExchangeTest, ImportingOwnExportBackDuplicatesNothing) {
  const size_t events = Events("aalborg").size();
  auto back = catalogue().hsds().Import(Coordinator(), "aalborg", json_,
                                        /*validate_only=*/false,
                                        /*publish=*/false);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->created(), 0);
  EXPECT_EQ(back->unchanged(), 2);
  EXPECT_EQ(Events("aalborg").size(), events);
  auto all = catalogue().activities().List(Coordinator(), "aalborg", 100, "",
                                           "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->activities.size(), 3u);  // the two originals and the draft
}

TEST_F(HsdsExchangeTest, ValidateOnlyWritesNothing) {
  RegisterInKolding();
  const std::vector<std::string> keys = AllKeys();
  auto checked = ImportIntoKolding(/*validate_only=*/true);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->created(), 2);
  EXPECT_EQ(AllKeys(), keys);
  EXPECT_TRUE(KoldingActivities().empty());
}

TEST_F(HsdsExchangeTest, AnUnknownOrganisationIsNamedAndNothingIsWritten) {
  RegisterInKolding(/*with_refugee_council=*/false);
  const int unknown = ServiceIndexOf("Dansk Flygtningehjælp");
  ASSERT_GE(unknown, 0) << json_;
  const std::vector<std::string> keys = AllKeys();
  auto refused = ImportIntoKolding();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      FieldNamed(refused.status(),
                 absl::StrCat("json.services[", unknown, "].organization_id")))
      << refused.status();
  EXPECT_FALSE(FieldNamed(
      refused.status(),
      absl::StrCat("json.services[", 1 - unknown, "].organization_id")))
      << refused.status();
  EXPECT_EQ(AllKeys(), keys);
}

TEST_F(HsdsExchangeTest, ImportsObeyTheActivityRules) {
  RegisterInKolding();
  // Volunteers do not write the catalogue.
  auto volunteer = catalogue().hsds().Import(
      MakePrincipal("municipalities/kolding/actors/99", auth::Role::kVolunteer,
                    "kolding"),
      "kolding", json_, false, false);
  EXPECT_EQ(volunteer.status().code(), absl::StatusCode::kPermissionDenied)
      << volunteer.status();
  auto malformed = catalogue().hsds().Import(Coordinator("kolding"), "kolding",
                                             "{\"services\": [", false, false);
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(KoldingActivities().empty());
}

}  // namespace
}  // namespace brobygger::catalogue
