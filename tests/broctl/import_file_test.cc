// The `broctl actors import` file format, and the demo municipality that
// deploy/local/up.sh loads with it.
#include "tools/broctl/import_file.h"

#include <map>
#include <regex>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::registry::v1;
using ::testing::HasSubstr;

constexpr char kDemoFile[] = BROBYGGER_SOURCE_DIR "/deploy/demo/aalborg.json";

std::string ErrorOf(absl::string_view json, absl::string_view default_id = "") {
  auto file = ParseImportFile(json, default_id);
  if (file.ok()) return "OK";
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(file.status().message());
}

TEST(ImportFileTest, ParsesEntriesAndTakesTheRefsOut) {
  auto file = ParseImportFile(R"json({
    "municipality": {"id": "lejre", "displayName": "Lejre Kommune",
                     "areas": ["Hvalsø"]},
    "actors": [
      {"ref": "redcross", "kind": "ACTOR_KIND_NGO", "displayName": "Røde Kors"},
      {"ref": "branch", "parentRef": "redcross", "kind": "ACTOR_KIND_NGO_BRANCH",
       "displayName": "Røde Kors Lejre", "areas": ["Hvalsø"]},
      {"ref": "cw", "kind": "ACTOR_KIND_MUNICIPAL_EMPLOYEE",
       "displayName": "Sagsbehandler"},
      {"ref": "amal", "caseworkerRef": "cw", "kind": "ACTOR_KIND_NEWCOMER",
       "displayName": "Amal", "newcomer": {"firstName": "Amal"}}
    ],
    "contactPoints": [
      {"ref": "housing", "topic": "housing", "contactRef": "cw",
       "channel": {"type": "TYPE_EMAIL", "value": "x@lejre.example"}}
    ],
    "forums": [
      {"ref": "wg", "kind": "FORUM_KIND_WORKING_GROUP", "displayName": "WG",
       "coordinatorRef": "cw",
       "members": [{"actorRef": "branch", "role": "chair"},
                   {"actor": "municipalities/lejre/actors/99"}]}
    ],
    "coordinatorRef": "cw"
  })json");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->municipality_id, "lejre");
  ASSERT_TRUE(file->municipality.has_value());
  EXPECT_EQ(file->municipality->display_name(), "Lejre Kommune");
  ASSERT_EQ(file->actors.size(), 4u);
  EXPECT_EQ(file->actors[1].parent_ref, "redcross");
  EXPECT_EQ(file->actors[1].actor.kind(), v1::ACTOR_KIND_NGO_BRANCH);
  EXPECT_EQ(file->actors[3].caseworker_ref, "cw");
  EXPECT_EQ(file->actors[3].actor.newcomer().first_name(), "Amal");
  ASSERT_EQ(file->contact_points.size(), 1u);
  EXPECT_EQ(file->contact_points[0].contact_ref, "cw");
  EXPECT_EQ(file->contact_points[0].contact_point.channel().type(),
            v1::ContactChannel::TYPE_EMAIL);
  ASSERT_EQ(file->forums.size(), 1u);
  EXPECT_EQ(file->forums[0].coordinator_ref, "cw");
  ASSERT_EQ(file->forums[0].forum.members_size(), 2);
  EXPECT_EQ(file->forums[0].member_refs[0], "branch");
  EXPECT_EQ(file->forums[0].forum.members(0).role(), "chair");
  EXPECT_EQ(file->forums[0].member_refs[1], "");
  EXPECT_EQ(file->forums[0].forum.members(1).actor(),
            "municipalities/lejre/actors/99");
  EXPECT_EQ(file->coordinator_ref, "cw");
}

TEST(ImportFileTest, MunicipalityMayComeFromTheCommandLine) {
  auto file = ParseImportFile(R"({"actors": []})", "kolding");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->municipality_id, "kolding");
  EXPECT_FALSE(file->municipality.has_value());
  EXPECT_THAT(ErrorOf(R"({"actors": []})"), HasSubstr("which municipality"));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}})", "kolding"),
              HasSubstr("not \"kolding\""));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "Lejre!"}})"),
              HasSubstr("not a municipality id"));
}

TEST(ImportFileTest, ParentMustBeAnEarlierActor) {
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": [
      {"ref": "a", "parentRef": "b", "kind": "ACTOR_KIND_NGO_BRANCH",
       "displayName": "A"},
      {"ref": "b", "kind": "ACTOR_KIND_NGO", "displayName": "B"}]})"),
              HasSubstr("actors[0] (ref \"a\"): parentRef \"b\" must name an "
                        "actor listed before this one"));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": [
      {"ref": "a", "parentRef": "a", "kind": "ACTOR_KIND_NGO",
       "displayName": "A"}]})"),
              HasSubstr("parentRef \"a\""));
}

TEST(ImportFileTest, RefsAreUniqueAndWellFormed) {
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": [
      {"ref": "a", "kind": "ACTOR_KIND_NGO", "displayName": "A"},
      {"ref": "a", "kind": "ACTOR_KIND_NGO", "displayName": "B"}]})"),
              HasSubstr("actors[1] (ref \"a\"): the ref is used"));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": [
      {"kind": "ACTOR_KIND_NGO", "displayName": "A"}]})"),
              HasSubstr("actors[0]: \"ref\" must be"));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": [
      {"ref": "has space", "kind": "ACTOR_KIND_NGO", "displayName": "A"}]})"),
              HasSubstr("\"ref\" must be"));
}

TEST(ImportFileTest, DanglingRefsAreNamed) {
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"},
      "contactPoints": [{"ref": "c", "topic": "housing",
                         "contactRef": "nobody"}]})"),
              HasSubstr("contactPoints[0] (ref \"c\"): contactRef \"nobody\""));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"},
      "forums": [{"ref": "f", "members": [{"actorRef": "ghost"}]}]})"),
              HasSubstr("forums[0] (ref \"f\").members[0]: actorRef"));
  EXPECT_THAT(
      ErrorOf(R"({"municipality": {"id": "lejre"}, "coordinatorRef": "x"})"),
      HasSubstr("coordinatorRef \"x\""));
}

TEST(ImportFileTest, TyposAreErrorsNotSilentlyDroppedData) {
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": [
      {"ref": "a", "kind": "ACTOR_KIND_NGO", "displayName": "A",
       "langauges": []}]})"),
              HasSubstr("actors[0] (ref \"a\"): not a valid Actor"));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": [
      {"ref": "a", "kind": "ACTOR_KIND_NOT_A_KIND", "displayName": "A"}]})"),
              HasSubstr("not a valid Actor"));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actor": []})"),
              HasSubstr("unknown top-level field \"actor\""));
}

TEST(ImportFileTest, RefAndLiteralNameTogetherAreAmbiguous) {
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": [
      {"ref": "p", "kind": "ACTOR_KIND_NGO", "displayName": "P"},
      {"ref": "a", "parentRef": "p", "parent": "municipalities/lejre/actors/1",
       "kind": "ACTOR_KIND_NGO_BRANCH", "displayName": "A"}]})"),
              HasSubstr("either parentRef or parent"));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": [
      {"ref": "p", "kind": "ACTOR_KIND_MUNICIPAL_EMPLOYEE", "displayName": "P"},
      {"ref": "a", "caseworkerRef": "p", "kind": "ACTOR_KIND_VOLUNTEER",
       "displayName": "A"}]})"),
              HasSubstr("caseworkerRef is only for newcomers"));
}

TEST(ImportFileTest, RefusesMalformedAndOversizedFiles) {
  EXPECT_THAT(ErrorOf("{\"municipality\": "), HasSubstr("not valid JSON"));
  EXPECT_THAT(ErrorOf("[]"), HasSubstr("must be a JSON object"));
  EXPECT_THAT(ErrorOf(R"({"municipality": {"id": "lejre"}, "actors": {}})"),
              HasSubstr("\"actors\" must be an array"));
  std::string many = R"({"municipality": {"id": "lejre"}, "forums": [)";
  for (size_t i = 0; i <= kMaxImportedForums; ++i) {
    absl::StrAppend(&many, i == 0 ? "" : ",", R"({"ref": "f)", i, "\"}");
  }
  many += "]}";
  EXPECT_THAT(ErrorOf(many), HasSubstr("split the file"));
  EXPECT_THAT(ErrorOf(std::string(kMaxImportFileBytes + 1, ' ')),
              HasSubstr("larger than"));
}

TEST(ImportFileTest, RequestIdsAreStableVersion5Uuids) {
  // The same value as Python's uuid.uuid5 with the import namespace: the
  // ids are standard name-based UUIDs, not an ad-hoc hash.
  EXPECT_EQ(ImportRequestId("aalborg", "actors", "redcross"),
            "53516773-a11b-58cd-ac7e-9e06060a97d3");
  EXPECT_EQ(ImportRequestId("aalborg", "actors", "redcross"),
            ImportRequestId("aalborg", "actors", "redcross"));
  EXPECT_NE(ImportRequestId("aalborg", "actors", "redcross"),
            ImportRequestId("kolding", "actors", "redcross"));
  EXPECT_NE(ImportRequestId("aalborg", "actors", "housing"),
            ImportRequestId("aalborg", "contactPoints", "housing"));
  const std::regex uuid(
      "^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  EXPECT_TRUE(std::regex_match(ImportRequestId("a", "b", "c"), uuid));
}

// The demo municipality must load as it is and hold what the README and
// the domain brief promise.
class DemoFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto file = ReadImportFile(kDemoFile);
    ASSERT_TRUE(file.ok()) << file.status();
    file_ = *std::move(file);
    for (const ImportedActor& actor : file_.actors) {
      by_ref_[actor.ref] = &actor;
    }
  }
  ImportFile file_;
  std::map<std::string, const ImportedActor*> by_ref_;
};

TEST_F(DemoFileTest, IsAalborgWithItsAreas) {
  EXPECT_EQ(file_.municipality_id, "aalborg");
  ASSERT_TRUE(file_.municipality.has_value());
  const auto& areas = file_.municipality->areas();
  const std::set<std::string> known(areas.begin(), areas.end());
  EXPECT_TRUE(known.contains("Kærby"));
  EXPECT_TRUE(known.contains("St. Restrup"));
  // The registry refuses actors in areas the municipality does not have.
  for (const ImportedActor& actor : file_.actors) {
    for (const std::string& area : actor.actor.areas()) {
      EXPECT_TRUE(known.contains(area)) << actor.ref << ": " << area;
    }
  }
  EXPECT_EQ(by_ref_.at(file_.coordinator_ref)->actor.kind(),
            v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE);
}

TEST_F(DemoFileTest, HasTheActorsOfTheSeeds) {
  std::set<v1::ActorKind> kinds;
  for (const ImportedActor& actor : file_.actors) {
    kinds.insert(actor.actor.kind());
  }
  for (v1::ActorKind kind :
       {v1::ACTOR_KIND_MUNICIPAL_DEPARTMENT, v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE,
        v1::ACTOR_KIND_NGO, v1::ACTOR_KIND_NGO_BRANCH,
        v1::ACTOR_KIND_SPORTS_ASSOCIATION, v1::ACTOR_KIND_VOLUNTEER_GROUP,
        v1::ACTOR_KIND_LOCAL_COUNCIL, v1::ACTOR_KIND_FAITH_COMMUNITY,
        v1::ACTOR_KIND_BUSINESS, v1::ACTOR_KIND_VOLUNTEER_CENTRE,
        v1::ACTOR_KIND_VOLUNTEER, v1::ACTOR_KIND_NEWCOMER}) {
    EXPECT_TRUE(kinds.contains(kind)) << v1::ActorKind_Name(kind);
  }
  EXPECT_EQ(by_ref_.at("redcross-aalborg")->parent_ref, "redcross");
  EXPECT_EQ(by_ref_.at("frivilliggruppen-kaerby")->actor.areas(0), "Kærby");
}

TEST_F(DemoFileTest, VolunteersSpeakTheNewcomersMotherTongues) {
  std::set<std::string> volunteer_tongues;
  int former_refugees = 0;
  for (const ImportedActor& actor : file_.actors) {
    if (actor.actor.kind() != v1::ACTOR_KIND_VOLUNTEER) continue;
    EXPECT_FALSE(actor.parent_ref.empty()) << actor.ref;
    EXPECT_GE(actor.actor.volunteer().capacity(), 1) << actor.ref;
    former_refugees += actor.actor.volunteer().former_refugee();
    for (const auto& language : actor.actor.languages()) {
      if (language.mother_tongue()) volunteer_tongues.insert(language.code());
    }
  }
  EXPECT_GE(former_refugees, 3);
  for (const char* code : {"ar", "ti", "prs", "so", "uk"}) {
    EXPECT_TRUE(volunteer_tongues.contains(code)) << code;
  }
}

TEST_F(DemoFileTest, NewcomersHaveCaseworkersAndOneHasNotConsented) {
  int newcomers = 0;
  int without_consent = 0;
  for (const ImportedActor& actor : file_.actors) {
    if (actor.actor.kind() != v1::ACTOR_KIND_NEWCOMER) continue;
    ++newcomers;
    EXPECT_FALSE(actor.actor.newcomer().first_name().empty()) << actor.ref;
    EXPECT_TRUE(actor.actor.newcomer().has_arrival_date()) << actor.ref;
    EXPECT_EQ(by_ref_.at(actor.caseworker_ref)->actor.kind(),
              v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE);
    without_consent += !actor.actor.newcomer().consent().volunteer_contact();
  }
  EXPECT_GE(newcomers, 4);
  EXPECT_EQ(without_consent, 1);
}

TEST_F(DemoFileTest, SteeringGroupIsTenCivilAndSevenMunicipal) {
  const ImportedForum* steering = nullptr;
  for (const ImportedForum& forum : file_.forums) {
    if (forum.forum.kind() == v1::FORUM_KIND_COORDINATION_FORUM) {
      steering = &forum;
    }
  }
  ASSERT_NE(steering, nullptr);
  int municipal = 0;
  int civil = 0;
  for (const std::string& ref : steering->member_refs) {
    const v1::ActorKind kind = by_ref_.at(ref)->actor.kind();
    const bool is_municipal = kind == v1::ACTOR_KIND_MUNICIPAL_DEPARTMENT ||
                              kind == v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE;
    (is_municipal ? municipal : civil)++;
  }
  EXPECT_EQ(civil, 10);
  EXPECT_EQ(municipal, 7);
  EXPECT_TRUE(steering->forum.terms_of_reference().has_meeting_time());
}

TEST_F(DemoFileTest, HasAnAreaSpecificContactPoint) {
  std::set<std::string> topics;
  bool area_specific = false;
  for (const ImportedContactPoint& point : file_.contact_points) {
    topics.insert(point.contact_point.topic());
    area_specific |= point.contact_point.areas_size() > 0;
  }
  for (const char* topic :
       {"housing", "benefits", "volunteering", "employment"}) {
    EXPECT_TRUE(topics.contains(topic)) << topic;
  }
  EXPECT_TRUE(area_specific);
}

}  // namespace
}  // namespace brobygger::broctl
