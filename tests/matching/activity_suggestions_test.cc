// Activity suggestions for a newcomer against a real redis-server (the
// projection and the matches) with a fake catalogue: who may ask, what is
// asked of the catalogue, what comes back, and how failures surface. The
// catalogue is another service, reached over gRPC; the end-to-end test
// runs the real one.
#include "services/matching/activity_suggestions.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/text/fold.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matching/matching_fixture.h"

namespace brobygger::matching {
namespace {

namespace cv1 = ::brobygger::catalogue::v1;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// Answers searches from a list of activities, filtering by area the way
// the catalogue does, and records every call.
class FakeCatalogue : public ActivitySource {
 public:
  struct Call {
    std::string authorization;
    std::string municipality;
    cv1::ActivityQuery query;
    int limit = 0;
  };

  absl::StatusOr<std::vector<cv1::SearchResult>> Search(
      absl::string_view authorization, absl::string_view municipality,
      const cv1::ActivityQuery& query, int limit) override {
    calls.push_back(
        {std::string(authorization), std::string(municipality), query, limit});
    if (!error.ok()) return error;
    std::vector<cv1::SearchResult> out;
    for (const cv1::SearchResult& result : activities) {
      if (!query.area().empty() &&
          text::FoldForSearch(result.activity().place().area()) !=
              text::FoldForSearch(query.area())) {
        continue;
      }
      if (static_cast<int>(out.size()) < limit) out.push_back(result);
    }
    return out;
  }

  std::vector<cv1::SearchResult> activities;
  absl::Status error;
  std::vector<Call> calls;
};

class ActivitySuggestionsTest : public MatchingFixture {
 protected:
  static constexpr char kToken[] = "Bearer the-callers-own-token";

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(MatchingFixture::SetUp());
    suggestions_ = std::make_unique<ActivitySuggestions>(
        matching().context(), matching().match_store(), matching().projection(),
        catalogue_);
  }
  void TearDown() override {
    suggestions_.reset();
    MatchingFixture::TearDown();
  }

  // Newcomer 200: an Arabic speaker living in Vejle and Bredsten who needs
  // help with homework, with a child aged 9; put into the projection as
  // the registry's ActorCreated event.
  void AddFamily() {
    NewcomerSpec spec;
    spec.id = "200";
    spec.languages = {"ar"};
    spec.areas = {"Vejle", "Bredsten"};
    spec.needs = {"homework"};
    rv1::ActorCreated created;
    *created.mutable_actor() = NewcomerActor(spec);
    created.mutable_actor()
        ->mutable_newcomer()
        ->mutable_household()
        ->add_children_ages(9);
    auto change = matching().projection().Apply(
        RegistryEvent(created.actor().name(), created));
    ASSERT_TRUE(change.ok()) << change.status();
  }

  // Volunteer 101 of organisation 7 and volunteer 102 of organisation 8,
  // both speaking Arabic in Vejle.
  void AddVolunteers() {
    for (const auto& [id, organisation] :
         {std::pair{"101", "7"}, std::pair{"102", "8"}}) {
      VolunteerSpec spec;
      spec.id = id;
      spec.languages = {"ar", "da"};
      spec.mother_tongue = "ar";
      spec.competences = {"homework"};
      spec.organisation = organisation;
      AddVolunteer(spec);
    }
  }

  static cv1::SearchResult Offer(const std::string& id, const std::string& area,
                                 cv1::Category category,
                                 absl::Duration next_in = absl::Hours(24 *
                                                                      30)) {
    cv1::SearchResult result;
    cv1::Activity* activity = result.mutable_activity();
    activity->set_name(
        absl::StrCat("municipalities/", kMunicipality, "/activities/", id));
    activity->set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
    activity->set_display_name(absl::StrCat("Offer ", id));
    activity->set_state(cv1::ACTIVITY_STATE_PUBLISHED);
    activity->set_category(category);
    activity->add_languages("da");
    activity->mutable_place()->set_area(area);
    *result.mutable_next_occurrence()->mutable_start_time() =
        store::ToTimestamp(absl::Now() + next_in);
    return result;
  }

  static v1::SuggestActivitiesRequest Request(const std::string& newcomer_id,
                                              int top_k = 0) {
    v1::SuggestActivitiesRequest request;
    request.set_newcomer(ActorName(newcomer_id));
    request.set_top_k(top_k);
    return request;
  }

  absl::StatusOr<v1::SuggestActivitiesResponse> Suggest(
      const auth::Principal& principal,
      const v1::SuggestActivitiesRequest& request) {
    return suggestions_->Suggest(principal, kToken, request, now_);
  }
  absl::StatusCode CodeFor(const auth::Principal& principal) {
    return Suggest(principal, Request("200")).status().code();
  }

  static std::vector<std::string> Ids(
      const v1::SuggestActivitiesResponse& response) {
    std::vector<std::string> out;
    for (const auto& suggestion : response.suggestions()) {
      const std::string& name = suggestion.activity().name();
      out.push_back(name.substr(name.rfind('/') + 1));
    }
    return out;
  }

  const absl::Time now_ =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  FakeCatalogue catalogue_;
  std::unique_ptr<ActivitySuggestions> suggestions_;
};

TEST_F(ActivitySuggestionsTest, StaffGetTheFittingActivitiesRankedWithReasons) {
  AddFamily();
  cv1::SearchResult homework =
      Offer("homework", "Bredsten", cv1::CATEGORY_HOMEWORK_HELP);
  cv1::TargetGroup* children = homework.mutable_activity()->add_target_groups();
  children->set_kind(cv1::TargetGroup::KIND_CHILDREN);
  children->set_min_age(6);
  children->set_max_age(12);
  catalogue_.activities = {
      Offer("housing", "Jelling", cv1::CATEGORY_HOUSING),
      Offer("sport", "Vejle", cv1::CATEGORY_SPORT_AND_LEISURE), homework};

  auto response = Suggest(Caseworker(), Request("200"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_THAT(Ids(*response), ElementsAre("homework", "sport"))
      << "each found both by its town's search and the municipality-wide "
         "one, suggested once; the housing course in Jelling fits nothing";
  const auto& best = response->suggestions(0);
  EXPECT_THAT(best.reasons(),
              Contains("in Bredsten, where the newcomer lives"));
  EXPECT_THAT(best.reasons(),
              Contains("homework help for ages 6-12, fits the child aged 9"));
  EXPECT_THAT(best.reasons(), Contains(HasSubstr("need: homework")));
  EXPECT_EQ(best.activity().display_name(), "Offer homework");
  EXPECT_GT(best.score(), response->suggestions(1).score());
}

TEST_F(ActivitySuggestionsTest,
       AsksTheCatalogueForEachTownAndTheWholeMunicipality) {
  AddFamily();
  ASSERT_TRUE(Suggest(Coordinator(), Request("200")).ok());
  ASSERT_THAT(catalogue_.calls, SizeIs(3));
  std::vector<std::string> areas;
  for (const FakeCatalogue::Call& call : catalogue_.calls) {
    areas.push_back(call.query.area());
    EXPECT_EQ(call.authorization, kToken)
        << "the caller's own authorization goes to the catalogue";
    EXPECT_EQ(call.municipality, kMunicipality);
    EXPECT_EQ(call.query.kind(), cv1::ACTIVITY_KIND_CIVIL_OFFER);
    EXPECT_EQ(store::FromTimestamp(call.query.window_start_time()), now_);
    EXPECT_GT(store::FromTimestamp(call.query.window_end_time()), now_)
        << "the catalogue refuses a window with only a start";
    EXPECT_LE(store::FromTimestamp(call.query.window_end_time()) - now_,
              absl::Hours(24 * 400));
    EXPECT_GT(call.limit, 0);
  }
  EXPECT_THAT(areas, ElementsAre("Vejle", "Bredsten", ""));
}

TEST_F(ActivitySuggestionsTest, FromTimeStartsTheWindow) {
  AddFamily();
  v1::SuggestActivitiesRequest request = Request("200");
  const absl::Time from = now_ + absl::Hours(24 * 60);
  *request.mutable_from_time() = store::ToTimestamp(from);
  ASSERT_TRUE(Suggest(Coordinator(), request).ok());
  ASSERT_FALSE(catalogue_.calls.empty());
  for (const FakeCatalogue::Call& call : catalogue_.calls) {
    EXPECT_EQ(store::FromTimestamp(call.query.window_start_time()), from);
  }
}

TEST_F(ActivitySuggestionsTest, TopKDefaultsToTenAndCutsTheList) {
  AddFamily();
  for (int i = 0; i < 15; ++i) {
    catalogue_.activities.push_back(Offer(absl::StrCat("offer", 10 + i),
                                          "Vejle", cv1::CATEGORY_OTHER,
                                          absl::Hours(24 * (20 + i))));
  }
  auto all = Suggest(Coordinator(), Request("200"));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->suggestions_size(), 10);
  auto three = Suggest(Coordinator(), Request("200", 3));
  ASSERT_TRUE(three.ok()) << three.status();
  EXPECT_THAT(Ids(*three), ElementsAre("offer10", "offer11", "offer12"))
      << "equal points: the soonest first";
}

TEST_F(ActivitySuggestionsTest, InvalidRequestsAreRefusedBeforeAnySearch) {
  AddFamily();
  for (const std::string& name :
       {std::string(""), std::string("200"),
        std::string("municipalities/kolding/volunteerRequests/1"),
        std::string("municipalities/kolding/actors/")}) {
    v1::SuggestActivitiesRequest request;
    request.set_newcomer(name);
    auto response = Suggest(Coordinator(), request);
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument)
        << name;
    EXPECT_THAT(response.status().message(), HasSubstr("newcomer")) << name;
  }
  for (int top_k : {-1, 51}) {
    auto response = Suggest(Coordinator(), Request("200", top_k));
    EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument)
        << top_k;
    EXPECT_THAT(response.status().message(), HasSubstr("top_k"));
  }
  EXPECT_TRUE(Suggest(Coordinator(), Request("200", 50)).ok());
  EXPECT_THAT(catalogue_.calls, SizeIs(3)) << "only the valid request searched";
}

TEST_F(ActivitySuggestionsTest, UnknownOrErasedNewcomerIsAFailedPrecondition) {
  AddFamily();
  EXPECT_EQ(Suggest(Coordinator(), Request("999")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  rv1::NewcomerErased erased;
  erased.set_name(ActorName("200"));
  ASSERT_TRUE(
      matching().projection().Apply(RegistryEvent(erased.name(), erased)).ok());
  EXPECT_EQ(CodeFor(Coordinator()), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(catalogue_.calls, IsEmpty());
}

TEST_F(ActivitySuggestionsTest, OnlyStaffAndTheMatchedVolunteerSideMayAsk) {
  AddVolunteers();
  AddFamily();
  EXPECT_EQ(CodeFor(Coordinator()), absl::StatusCode::kOk);
  EXPECT_EQ(CodeFor(Caseworker()), absl::StatusCode::kOk);
  EXPECT_EQ(CodeFor(VolunteerPrincipal("101")),
            absl::StatusCode::kPermissionDenied)
      << "no match yet";

  const v1::VolunteerRequest request = CreateRequest("200");
  auto proposed = matching().lifecycle().Propose(Coordinator(), request.name(),
                                                 ActorName("101"), "");
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  EXPECT_EQ(CodeFor(VolunteerPrincipal("101")),
            absl::StatusCode::kPermissionDenied)
      << "a proposal is not a match until it is accepted";

  ASSERT_TRUE(matching()
                  .lifecycle()
                  .Accept(VolunteerPrincipal("101"), proposed->name(), "")
                  .ok());
  EXPECT_EQ(CodeFor(VolunteerPrincipal("101")), absl::StatusCode::kOk);
  EXPECT_EQ(CodeFor(NgoApp("7")), absl::StatusCode::kOk)
      << "the app of the volunteer's organisation";
  EXPECT_EQ(CodeFor(VolunteerPrincipal("102")),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeFor(NgoApp("8")), absl::StatusCode::kPermissionDenied);

  ASSERT_TRUE(
      matching().lifecycle().Activate(Caseworker(), proposed->name(), "").ok());
  EXPECT_EQ(CodeFor(VolunteerPrincipal("101")), absl::StatusCode::kOk);

  ASSERT_TRUE(matching()
                  .lifecycle()
                  .End(Coordinator(), proposed->name(),
                       v1::Match::END_REASON_COMPLETED, "", "")
                  .ok());
  EXPECT_EQ(CodeFor(VolunteerPrincipal("101")),
            absl::StatusCode::kPermissionDenied)
      << "an ended match gives no more access";
}

TEST_F(ActivitySuggestionsTest, AnotherMunicipalityMayNotAsk) {
  AddFamily();
  EXPECT_EQ(CodeFor(MakePrincipal("coordinator-2", auth::Role::kCoordinator,
                                  "vejle")),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(catalogue_.calls, IsEmpty());
}

TEST_F(ActivitySuggestionsTest, CatalogueErrorsKeepTheirCode) {
  AddFamily();
  for (const absl::Status& error :
       {absl::UnavailableError("catalogue: connection refused"),
        absl::DeadlineExceededError("catalogue: deadline exceeded"),
        absl::PermissionDeniedError("catalogue: not for this role")}) {
    catalogue_.error = error;
    auto response = Suggest(Coordinator(), Request("200"));
    EXPECT_EQ(response.status().code(), error.code())
        << "UNAVAILABLE and DEADLINE_EXCEEDED stay retryable";
    EXPECT_THAT(response.status().message(), HasSubstr("catalogue"));
  }
}

}  // namespace
}  // namespace brobygger::matching
