// Suggestions, batch assignment, settings and volunteer records against a
// real redis-server, with volunteers and newcomers fed as registry events.
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matching/matching_fixture.h"

namespace brobygger::matching {
namespace {

using ::testing::HasSubstr;

class SuggestionsTest : public MatchingFixture {
 protected:
  // The reception corps of Kolding: former refugees speaking Arabic,
  // Tigrinya and Dari in two towns, and a Danish volunteer.
  void AddCorps() {
    const struct {
      const char* id;
      const char* language;
      const char* town;
    } corps[] = {{"101", "ar", "Vamdrup"},
                 {"102", "ti", "Vamdrup"},
                 {"103", "prs", "Kolding C"},
                 {"104", "ar", "Kolding C"}};
    for (const auto& c : corps) {
      VolunteerSpec spec;
      spec.id = c.id;
      spec.display_name = std::string("Corps ") + c.id;
      spec.languages = {c.language, "da"};
      spec.mother_tongue = c.language;
      spec.areas = {c.town};
      spec.former_refugee = true;
      spec.competences = {"bank", "bus"};
      AddVolunteer(spec);
    }
    VolunteerSpec dane;
    dane.id = "105";
    dane.languages = {"da", "ar", "ti", "prs"};
    dane.areas = {"Vamdrup", "Kolding C"};
    AddVolunteer(dane);
  }
  std::string AddNewcomerSpeaking(const std::string& id,
                                  const std::string& language,
                                  const std::string& town) {
    NewcomerSpec spec;
    spec.id = id;
    spec.languages = {language};
    spec.areas = {town};
    AddNewcomer(spec);
    return CreateRequest(id).name();
  }
};

TEST_F(SuggestionsTest, RanksTheMotherTongueInTheSameTownFirst) {
  AddCorps();
  const std::string request = AddNewcomerSpeaking("201", "ar", "Kolding C");
  auto suggested = matching().suggestions().Suggest(Coordinator(), request, 3);
  ASSERT_TRUE(suggested.ok()) << suggested.status();
  ASSERT_EQ(suggested->suggestions_size(), 3);
  EXPECT_EQ(suggested->suggestions(0).volunteer(), ActorName("104"));
  EXPECT_EQ(suggested->suggestions(1).volunteer(), ActorName("101"));
  EXPECT_EQ(suggested->eligible_count(), 3)
      << "104, 101 and the Dane share Arabic";
  EXPECT_TRUE(suggested->has_candidates_as_of());
  // Scores are ordered and every criterion with weight is explained.
  EXPECT_GE(suggested->suggestions(0).score(),
            suggested->suggestions(1).score());
  for (const v1::CriterionScore& c : suggested->suggestions(0).criteria()) {
    EXPECT_FALSE(c.explanation().empty()) << v1::Criterion_Name(c.criterion());
    EXPECT_DOUBLE_EQ(c.points(), c.fit() * c.weight());
  }
}

TEST_F(SuggestionsTest, TopKIsBoundedAndValidated) {
  AddCorps();
  const std::string request = AddNewcomerSpeaking("201", "ar", "Vamdrup");
  EXPECT_EQ(matching()
                .suggestions()
                .Suggest(Coordinator(), request, 101)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(matching()
                .suggestions()
                .Suggest(Coordinator(), request, -1)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(matching()
                .suggestions()
                .Suggest(VolunteerPrincipal("101"), request, 3)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(SuggestionsTest, SettingsChangeTheRanking) {
  AddCorps();
  const std::string request = AddNewcomerSpeaking("201", "ar", "Vamdrup");
  auto before = matching().suggestions().Suggest(Coordinator(), request, 1);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->suggestions(0).volunteer(), ActorName("101"));

  // Only load counts now: everyone idle ties, and the tie goes by name.
  v1::MatchingSettings settings;
  settings.set_name(absl::StrCat(Parent(), "/matchingSettings"));
  v1::KindWeights* weights = settings.add_weights();
  weights->set_kind(v1::MATCH_KIND_RECEPTION_BUDDY);
  weights->mutable_weights()->set_load(100);
  google::protobuf::FieldMask mask;
  mask.add_paths("weights");
  auto updated = matching().settings().Update(Coordinator(), settings, mask);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->weights_size(), 5)
      << "the other kinds show their defaults";
  EXPECT_EQ(matching()
                .settings()
                .Update(Caseworker(), settings, mask)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied)
      << "weights are the coordinators' decision";
  weights->mutable_weights()->set_load(500);
  EXPECT_EQ(matching()
                .settings()
                .Update(Coordinator(), settings, mask)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SuggestionsTest, BatchAssignmentProposesTheBestTotal) {
  // Two Arabic speakers in Vamdrup but one Arabic volunteer there: the
  // batch gives each newcomer a different volunteer.
  AddCorps();
  const std::string first = AddNewcomerSpeaking("201", "ar", "Vamdrup");
  const std::string second = AddNewcomerSpeaking("202", "ar", "Vamdrup");
  const std::string dari = AddNewcomerSpeaking("203", "prs", "Kolding C");
  google::protobuf::RepeatedPtrField<std::string> none;

  auto dry = matching().batch().Assign(Coordinator(), Parent(), none, true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(dry->assignments_size(), 3);
  for (const v1::Assignment& a : dry->assignments())
    EXPECT_TRUE(a.match().empty());
  auto listed =
      matching().matches().List(Coordinator(), kMunicipality, 10, "", "");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->matches.empty()) << "validate_only proposes nothing";

  auto done = matching().batch().Assign(Coordinator(), Parent(), none, false);
  ASSERT_TRUE(done.ok()) << done.status();
  ASSERT_EQ(done->assignments_size(), 3);
  EXPECT_DOUBLE_EQ(done->total_score(), dry->total_score());
  std::set<std::string> volunteers;
  double total = 0;
  for (const v1::Assignment& a : done->assignments()) {
    EXPECT_FALSE(a.match().empty());
    volunteers.insert(a.suggestion().volunteer());
    total += a.suggestion().score();
    if (a.volunteer_request() == dari) {
      EXPECT_EQ(a.suggestion().volunteer(), ActorName("103"));
    }
  }
  EXPECT_EQ(volunteers.size(), 3u) << "capacity 1 each: three volunteers";
  EXPECT_DOUBLE_EQ(total, done->total_score());
  EXPECT_EQ(GetRequest(first).state(), v1::VolunteerRequest::STATE_PROPOSED);
  EXPECT_EQ(GetRequest(second).state(), v1::VolunteerRequest::STATE_PROPOSED);
  // A second batch finds nothing open.
  auto again = matching().batch().Assign(Coordinator(), Parent(), none, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->assignments_size(), 0);
}

TEST_F(SuggestionsTest, BatchLeavesOutWhoCannotBeServed) {
  AddCorps();
  const std::string somali = AddNewcomerSpeaking("201", "so", "Vamdrup");
  google::protobuf::RepeatedPtrField<std::string> names;
  *names.Add() = somali;
  auto result =
      matching().batch().Assign(Coordinator(), Parent(), names, false);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->unassigned_size(), 1);
  EXPECT_THAT(result->unassigned(0).reason(), HasSubstr("no volunteer"));
  *names.Add() = "municipalities/aalborg/volunteerRequests/1";
  EXPECT_EQ(matching()
                .batch()
                .Assign(Coordinator(), Parent(), names, false)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SuggestionsTest, VolunteerRecordCountsActiveService) {
  AddCorps();
  const std::string request = AddNewcomerSpeaking("201", "ar", "Vamdrup");
  auto proposed = matching().lifecycle().Propose(Coordinator(), request,
                                                 ActorName("101"), "");
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  const std::string record = absl::StrCat(Parent(), "/volunteerRecords/101");
  auto empty = matching().records().Get(VolunteerPrincipal("101"), record);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->periods_size(), 0) << "a proposal is not service yet";
  EXPECT_EQ(matching()
                .records()
                .ExportCertificate(VolunteerPrincipal("101"), record, "", "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(matching()
                  .lifecycle()
                  .Accept(VolunteerPrincipal("101"), proposed->name(), "")
                  .ok());
  ASSERT_TRUE(matching()
                  .lifecycle()
                  .Activate(Coordinator(), proposed->name(), "")
                  .ok());
  auto active = matching().records().Get(VolunteerPrincipal("101"), record,
                                         absl::Now() + absl::Hours(24 * 9));
  ASSERT_TRUE(active.ok()) << active.status();
  ASSERT_EQ(active->periods_size(), 1);
  EXPECT_FALSE(active->periods(0).has_end_date());
  EXPECT_EQ(active->days_of_service(), 10);
  EXPECT_EQ(matching()
                .records()
                .Get(VolunteerPrincipal("102"), record)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  auto certificate = matching().records().ExportCertificate(
      VolunteerPrincipal("101"), record, "text/html", "");
  ASSERT_TRUE(certificate.ok()) << certificate.status();
  EXPECT_THAT(certificate->content(), HasSubstr("Kolding Municipality"));
  EXPECT_THAT(certificate->content(), HasSubstr("Corps 101"));
  EXPECT_EQ(matching()
                .records()
                .ExportCertificate(VolunteerPrincipal("101"), record, "pdf", "")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  // Erasing the newcomer keeps the volunteer's service, without the match.
  EraseNewcomer("201");
  auto kept = matching().records().Get(Coordinator(), record);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->periods_size(), 1);
  EXPECT_TRUE(kept->periods(0).match().empty());
  EXPECT_TRUE(kept->periods(0).has_end_date());
}

}  // namespace
}  // namespace brobygger::matching
