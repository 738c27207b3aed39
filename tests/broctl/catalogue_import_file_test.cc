// The `broctl catalogue import` file format, and the demo catalogues that
// deploy/local/up.sh loads with it.
#include "tools/broctl/catalogue_import_file.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::catalogue::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kAalborgCatalogue[] =
    BROBYGGER_SOURCE_DIR "/deploy/demo/aalborg-catalogue.json";
constexpr char kLejreCatalogue[] =
    BROBYGGER_SOURCE_DIR "/deploy/demo/lejre-catalogue.json";

// A valid activity entry with `extra` JSON members added.
std::string Activity(absl::string_view ref, absl::string_view extra = "") {
  return absl::StrCat(R"({"ref": ")", ref, R"(",
    "organiserName": "Røde Kors Aalborg",
    "kind": "ACTIVITY_KIND_CIVIL_OFFER", "displayName": "Sprogcafé",
    "category": "CATEGORY_LANGUAGE_CAFE", "place": {"area": "Aalborg C"},
    "schedule": {"startTime": "2026-11-30T16:30", "duration": "5400s"},
    "price": {"kind": "KIND_FREE"})",
                      extra, "}");
}

std::string File(absl::string_view activities, absl::string_view rest = "") {
  return absl::StrCat(R"({"municipality": "aalborg", "activities": [)",
                      activities, "]", rest, "}");
}

std::string ErrorOf(absl::string_view json, absl::string_view default_id = "") {
  auto file = ParseCatalogueImportFile(json, default_id);
  if (file.ok()) return "OK";
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(file.status().message());
}

TEST(CatalogueImportFileTest, ParsesEntriesAndTakesTheNamesAndRefsOut) {
  auto file = ParseCatalogueImportFile(File(
      absl::StrCat(Activity("cafe", R"(, "coOrganiserNames": ["Budolfi Sogn",
                   "Syrian Touch"], "externalId": "hsds-1")"),
                   ",", Activity("dinner")),
      R"(, "timelineTemplate": {"maxNewItemsPerWeek": 2, "items": [
           {"id": "cafe", "title": "Sprogcafé", "weekOffset": 3,
            "owner": "Røde Kors", "activity": "cafe"},
           {"id": "doctor", "title": "Læge", "weekOffset": 0,
            "owner": "Sagsbehandler", "municipalTask": true}],
         "orderRules": [{"beforeItemId": "doctor", "afterItemId": "cafe"}]})"));
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->municipality_id, "aalborg");
  ASSERT_EQ(file->activities.size(), 2u);
  const ImportedActivity& cafe = file->activities[0];
  EXPECT_EQ(cafe.ref, "cafe");
  EXPECT_EQ(cafe.organiser_name, "Røde Kors Aalborg");
  EXPECT_THAT(cafe.co_organiser_names,
              ElementsAre("Budolfi Sogn", "Syrian Touch"));
  EXPECT_EQ(cafe.activity.display_name(), "Sprogcafé");
  EXPECT_EQ(cafe.activity.external_id(), "hsds-1");
  EXPECT_EQ(cafe.activity.schedule().duration().seconds(), 5400);
  EXPECT_TRUE(cafe.activity.organiser().empty());
  EXPECT_TRUE(file->activities[1].co_organiser_names.empty());
  ASSERT_TRUE(file->timeline_template.has_value());
  EXPECT_EQ(file->timeline_template->max_new_items_per_week(), 2);
  ASSERT_EQ(file->timeline_template->items_size(), 2);
  EXPECT_TRUE(file->timeline_template->items(0).activity().empty());
  EXPECT_THAT(file->template_activity_refs, ElementsAre("cafe", ""));
  EXPECT_EQ(file->timeline_template->order_rules_size(), 1);
}

TEST(CatalogueImportFileTest, ResolvesTemplateRefsToActivityNames) {
  auto file = ParseCatalogueImportFile(
      File(Activity("cafe"), R"(, "timelineTemplate": {"items": [
           {"id": "cafe", "title": "Sprogcafé", "weekOffset": 3,
            "owner": "Røde Kors", "activity": "cafe"},
           {"id": "doctor", "title": "Læge", "weekOffset": 0,
            "owner": "Sagsbehandler"}]})"));
  ASSERT_TRUE(file.ok()) << file.status();
  auto resolved = ResolveTimelineTemplate(
      *file, {{"cafe", "municipalities/aalborg/activities/12"}});
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->name(), "municipalities/aalborg/timelineTemplate");
  EXPECT_EQ(resolved->items(0).activity(),
            "municipalities/aalborg/activities/12");
  EXPECT_EQ(resolved->items(1).activity(), "");
  EXPECT_EQ(resolved->items(0).title(), "Sprogcafé");
  // Every ref must have been imported.
  EXPECT_EQ(ResolveTimelineTemplate(*file, {}).status().code(),
            absl::StatusCode::kInternal);
}

TEST(CatalogueImportFileTest, OrganiserNameIsRequired) {
  const std::string missing = ErrorOf(File(R"({"ref": "cafe",
      "kind": "ACTIVITY_KIND_CIVIL_OFFER", "displayName": "Sprogcafé"})"));
  EXPECT_THAT(missing, HasSubstr("activities[0] (ref \"cafe\")"));
  EXPECT_THAT(missing, HasSubstr("\"organiserName\" is required"));
  EXPECT_THAT(ErrorOf(File(R"({"ref": "cafe", "organiserName": "  "})")),
              HasSubstr("\"organiserName\" is required"));
  EXPECT_THAT(ErrorOf(File(R"({"ref": "cafe", "organiserName": 7})")),
              HasSubstr("\"organiserName\" must be a string"));
}

TEST(CatalogueImportFileTest, OrganisersAreNamedOnlyByDisplayName) {
  EXPECT_THAT(
      ErrorOf(File(Activity(
          "cafe", R"(, "organiser": "municipalities/aalborg/actors/3")"))),
      HasSubstr("name organisers by organiserName"));
  EXPECT_THAT(
      ErrorOf(File(Activity(
          "cafe", R"(, "co_organisers": ["municipalities/a/actors/3"])"))),
      HasSubstr("name organisers by organiserName"));
  EXPECT_THAT(ErrorOf(File(Activity(
                  "cafe", R"(, "coOrganiserNames": ["Røde Kors Aalborg"])"))),
              HasSubstr("coOrganiserNames[0]: names the organiser"));
  EXPECT_THAT(ErrorOf(File(Activity(
                  "cafe", R"(, "coOrganiserNames": ["A", "B", "A"])"))),
              HasSubstr("coOrganiserNames[2]"));
  EXPECT_THAT(ErrorOf(File(Activity("cafe", R"(, "coOrganiserNames": "A")"))),
              HasSubstr("must be an array"));
  std::string many = "[";
  for (int i = 0; i < 21; ++i)
    absl::StrAppend(&many, i ? "," : "", "\"n", i, "\"");
  many += "]";
  EXPECT_THAT(ErrorOf(File(Activity(
                  "cafe", absl::StrCat(R"(, "coOrganiserNames": )", many)))),
              HasSubstr("at most 20"));
}

TEST(CatalogueImportFileTest, UnknownFieldsAreRefused) {
  EXPECT_THAT(ErrorOf(R"({"municipality": "aalborg", "actors": []})"),
              HasSubstr("unknown top-level field \"actors\""));
  const std::string typo =
      ErrorOf(File(Activity("cafe", R"(, "displayNme": "x")")));
  EXPECT_THAT(typo, HasSubstr("activities[0] (ref \"cafe\")"));
  EXPECT_THAT(typo, HasSubstr("displayNme"));
  EXPECT_THAT(ErrorOf(File(Activity("cafe"), R"(, "timelineTemplate": {
      "items": [{"id": "x", "title": "X", "owner": "o", "weeks": 3}]})")),
              HasSubstr("weeks"));
  EXPECT_THAT(ErrorOf(File(Activity("cafe"), R"(, "timelineTemplate": {
      "maxItems": 3})")),
              HasSubstr("timelineTemplate"));
}

TEST(CatalogueImportFileTest, OutputOnlyFieldsAreRefused) {
  EXPECT_THAT(
      ErrorOf(File(Activity(
          "cafe", R"(, "name": "municipalities/aalborg/activities/1")"))),
      HasSubstr("set by the catalogue"));
  EXPECT_THAT(ErrorOf(File(Activity("cafe", R"(, "etag": "W/1")"))),
              HasSubstr("set by the catalogue"));
  EXPECT_THAT(
      ErrorOf(File(Activity("cafe"), R"(, "timelineTemplate": {"name": "x"})")),
      HasSubstr("set by the catalogue"));
}

TEST(CatalogueImportFileTest, RefsAreCheckedAndUnique) {
  EXPECT_THAT(ErrorOf(File(Activity("bad ref"))),
              HasSubstr("\"ref\" must be 1-64 letters"));
  EXPECT_THAT(ErrorOf(File(R"({"organiserName": "X"})")),
              HasSubstr("activities[0]: \"ref\" must be"));
  EXPECT_THAT(
      ErrorOf(File(absl::StrCat(Activity("cafe"), ",", Activity("cafe")))),
      HasSubstr("activities[1] (ref \"cafe\"): the ref is used"));
  const std::string dangling = ErrorOf(File(Activity("cafe"), R"(,
      "timelineTemplate": {"items": [{"id": "x", "title": "X", "owner": "o",
                                      "activity": "dinner"}]})"));
  EXPECT_THAT(dangling, HasSubstr("timelineTemplate.items[0]"));
  EXPECT_THAT(dangling, HasSubstr("\"dinner\" is not the ref of an activity"));
  EXPECT_THAT(ErrorOf(File(Activity("cafe"), R"(,
      "timelineTemplate": {"items": [{"id": "x", "title": "X", "owner": "o",
          "activity": "municipalities/aalborg/activities/1"}]})")),
              HasSubstr("\"activity\" must be 1-64 letters"));
}

TEST(CatalogueImportFileTest, MunicipalityComesFromTheFileOrParent) {
  EXPECT_THAT(ErrorOf(R"({"activities": []})"),
              HasSubstr("which municipality"));
  auto from_parent = ParseCatalogueImportFile(R"({"activities": []})", "lejre");
  ASSERT_TRUE(from_parent.ok()) << from_parent.status();
  EXPECT_EQ(from_parent->municipality_id, "lejre");
  EXPECT_THAT(ErrorOf(File(""), "lejre"),
              HasSubstr("the file is for municipality \"aalborg\""));
  EXPECT_THAT(ErrorOf(R"({"municipality": "Aalborg!"})"),
              HasSubstr("is not a municipality id"));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "aalborg"}})"),
              HasSubstr("\"municipality\" must be the municipality's id"));
}

TEST(CatalogueImportFileTest, BrokenJsonAndOversizedCollections) {
  EXPECT_THAT(ErrorOf(R"({"municipality": "aalborg", )"),
              HasSubstr("not valid JSON"));
  EXPECT_THAT(ErrorOf("[]"), HasSubstr("must be a JSON object"));
  std::string many;
  for (size_t i = 0; i <= kMaxImportedActivities; ++i) {
    absl::StrAppend(&many, i ? "," : "", "{}");
  }
  EXPECT_THAT(ErrorOf(File(many)), HasSubstr("at most 1000"));
  EXPECT_THAT(ErrorOf(std::string(kMaxImportFileBytes + 1, ' ')),
              HasSubstr("larger than"));
}

TEST(CatalogueImportFileTest, TheDemoCataloguesParse) {
  auto aalborg = ReadCatalogueImportFile(kAalborgCatalogue);
  ASSERT_TRUE(aalborg.ok()) << aalborg.status();
  EXPECT_EQ(aalborg->municipality_id, "aalborg");
  EXPECT_EQ(aalborg->activities.size(), 13u);
  std::set<std::string> refs;
  for (const ImportedActivity& activity : aalborg->activities) {
    refs.insert(activity.ref);
    EXPECT_FALSE(activity.organiser_name.empty()) << activity.ref;
  }
  EXPECT_TRUE(refs.contains("faellesspisning-st-restrup"));
  EXPECT_EQ(aalborg->activities[0].organiser_name, "St. Restrup Lokalråd");
  EXPECT_THAT(aalborg->activities[0].co_organiser_names,
              ElementsAre("Røde Kors Aalborg"));
  ASSERT_TRUE(aalborg->timeline_template.has_value());
  EXPECT_EQ(aalborg->timeline_template->items_size(), 15);
  for (const std::string& ref : aalborg->template_activity_refs) {
    if (!ref.empty()) {
      EXPECT_TRUE(refs.contains(ref)) << ref;
    }
  }
  // Every item's activity ref resolves.
  std::map<std::string, std::string> names;
  for (const std::string& ref : refs) {
    names[ref] = "municipalities/aalborg/activities/" + ref;
  }
  EXPECT_TRUE(ResolveTimelineTemplate(*aalborg, names).ok());

  auto lejre = ReadCatalogueImportFile(kLejreCatalogue);
  ASSERT_TRUE(lejre.ok()) << lejre.status();
  EXPECT_EQ(lejre->municipality_id, "lejre");
  EXPECT_EQ(lejre->activities.size(), 4u);
  EXPECT_FALSE(lejre->timeline_template.has_value());
}

TEST(CatalogueImportFileTest, AMissingFileIsNotFound) {
  EXPECT_EQ(
      ReadCatalogueImportFile("/nonexistent/catalogue.json").status().code(),
      absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace brobygger::broctl
