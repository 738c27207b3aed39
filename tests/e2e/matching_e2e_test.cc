// The matching service end to end: the real registry, catalogue and
// matching binaries over gRPC. Volunteers and newcomers come from the
// registry; accepting a match grants the volunteer the redacted newcomer
// view in the registry, ending it takes the view away; an erased newcomer
// disappears from matching; every call is authenticated and scoped.
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/matching_e2e_fixture.h"

namespace brobygger::test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

TEST_F(MatchingE2eTest,
       VolunteerAddedInTheRegistryBecomesAnExplainedCandidate) {
  const rv1::Actor red_cross = MustCreateActor(Organisation(
      rv1::ACTOR_KIND_NGO_BRANCH, "Røde Kors Kolding", {"Vamdrup"}));
  const rv1::Actor newcomer = MustCreateNewcomer("Yonas");
  const mv1::VolunteerRequest request = MustCreateRequest(newcomer.name());
  ASSERT_FALSE(request.name().empty());

  const rv1::Actor senait =
      MustCreateCorpsVolunteer("Senait", red_cross.name());
  mv1::SuggestMatchesResponse suggestions;
  ASSERT_TRUE(Within(kFollowDeadline, [&] {
    auto got = Suggest(coordinator_, request.name());
    if (!got.ok() || got->suggestions().empty()) return false;
    suggestions = *got;
    return true;
  })) << "the new volunteer never became a candidate";
  const mv1::Suggestion& best = suggestions.suggestions(0);
  EXPECT_EQ(best.volunteer(), senait.name());
  EXPECT_EQ(best.organisation(), red_cross.name());
  std::vector<std::string> explanations;
  for (const mv1::CriterionScore& criterion : best.criteria()) {
    explanations.push_back(criterion.explanation());
  }
  EXPECT_THAT(explanations, Contains(HasSubstr("Tigrinya")));
  EXPECT_TRUE(suggestions.has_candidates_as_of());
}

TEST_F(MatchingE2eTest, AcceptedMatchGrantsTheRedactedViewUntilItEnds) {
  const rv1::Actor red_cross = MustCreateActor(Organisation(
      rv1::ACTOR_KIND_NGO_BRANCH, "Røde Kors Kolding", {"Vamdrup"}));
  const rv1::Actor senait =
      MustCreateCorpsVolunteer("Senait", red_cross.name());
  const rv1::Actor newcomer = MustCreateNewcomer("Yonas");
  const mv1::VolunteerRequest request = MustCreateRequest(newcomer.name());
  const std::string app = MintTestToken(auth::Role::kNgoApp, {municipality_},
                                        "red-cross-app", red_cross.name());
  const std::string volunteer =
      MintTestToken(auth::Role::kVolunteer, {municipality_}, senait.name());

  mv1::ProposeMatchRequest propose;
  propose.set_volunteer_request(request.name());
  absl::StatusOr<mv1::Match> proposed;
  ASSERT_TRUE(Within(kFollowDeadline, [&] {
    proposed = Call(*stub_, &MatchingStub::ProposeMatch, coordinator_, propose);
    return proposed.ok();
  })) << proposed.status();
  EXPECT_EQ(proposed->volunteer(), senait.name());

  // Before accepting, the volunteer sees nothing of the newcomer.
  EXPECT_FALSE(GetActor(volunteer, newcomer.name()).ok());

  // The organisation's app lists the proposal and accepts it.
  mv1::ListMatchesRequest list;
  list.set_parent(Parent());
  list.set_filter("state = PROPOSED");
  auto listed = Call(*stub_, &MatchingStub::ListMatches, app, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->matches_size(), 1);
  mv1::AcceptMatchRequest accept;
  accept.set_name(listed->matches(0).name());
  auto accepted = Call(*stub_, &MatchingStub::AcceptMatch, app, accept);
  ASSERT_TRUE(accepted.ok()) << accepted.status();

  rv1::Actor seen;
  ASSERT_TRUE(Within(kFollowDeadline, [&] {
    auto got = GetActor(volunteer, newcomer.name());
    if (!got.ok()) return false;
    seen = *got;
    return true;
  })) << "the registry never granted the accepted volunteer the view";
  EXPECT_EQ(seen.view(), rv1::DISCLOSURE_VIEW_REDACTED);
  EXPECT_EQ(seen.newcomer().family_name(), "") << "redacted: no family name";

  mv1::ActivateMatchRequest activate;
  activate.set_name(accepted->name());
  ASSERT_TRUE(
      Call(*stub_, &MatchingStub::ActivateMatch, caseworker_, activate).ok());
  mv1::EndMatchRequest end;
  end.set_name(accepted->name());
  end.set_reason(mv1::Match::END_REASON_COMPLETED);
  auto ended = Call(*stub_, &MatchingStub::EndMatch, coordinator_, end);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->state(), mv1::Match::STATE_ENDED);
  EXPECT_TRUE(Within(kFollowDeadline, [&] {
    return !GetActor(volunteer, newcomer.name()).ok();
  })) << "the view outlived the match";

  // The volunteer's record shows the period, and a certificate for the CV.
  mv1::GetVolunteerRecordRequest record_request;
  record_request.set_name(
      absl::StrCat(Parent(), "/volunteerRecords/",
                   senait.name().substr(senait.name().rfind('/') + 1)));
  auto record = Call(*stub_, &MatchingStub::GetVolunteerRecord, volunteer,
                     record_request);
  ASSERT_TRUE(record.ok()) << record.status();
  ASSERT_EQ(record->periods_size(), 1);
  EXPECT_EQ(record->periods(0).kind(), mv1::MATCH_KIND_RECEPTION_BUDDY);
}

TEST_F(MatchingE2eTest, NoRequestWithoutConsent) {
  const rv1::Actor newcomer = MustCreateNewcomer("Lina", /*consents=*/false);
  absl::StatusOr<mv1::VolunteerRequest> created;
  // Wait until matching knows the newcomer: then the refusal is about
  // consent, not an unknown newcomer.
  ASSERT_TRUE(Within(kFollowDeadline, [&] {
    created = CreateRequest(coordinator_, newcomer.name());
    return absl::StrContains(created.status().message(), "consent");
  })) << created.status();
  EXPECT_EQ(created.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(MatchingE2eTest, ErasedNewcomerDisappearsFromMatching) {
  const rv1::Actor newcomer = MustCreateNewcomer("Yonas");
  const mv1::VolunteerRequest request = MustCreateRequest(newcomer.name());
  rv1::DeleteActorRequest erase;
  erase.set_name(newcomer.name());
  ASSERT_TRUE(
      Call(*registry_stub_, &RegistryStub::DeleteActor, caseworker_, erase)
          .ok());
  mv1::GetVolunteerRequestRequest get;
  get.set_name(request.name());
  EXPECT_TRUE(Within(kFollowDeadline, [&] {
    return Call(*stub_, &MatchingStub::GetVolunteerRequest, coordinator_, get)
               .status()
               .code() == absl::StatusCode::kNotFound;
  }));
}

TEST_F(MatchingE2eTest, EveryMethodNeedsATokenAndTheRightRoleAndMunicipality) {
  mv1::ListVolunteerRequestsRequest list;
  list.set_parent(Parent());
  EXPECT_EQ(Call(*stub_, &MatchingStub::ListVolunteerRequests, "", list)
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  const std::string volunteer = MintTestToken(
      auth::Role::kVolunteer, {municipality_}, Parent() + "/actors/77");
  EXPECT_EQ(Call(*stub_, &MatchingStub::ListVolunteerRequests, volunteer, list)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  const std::string elsewhere =
      MintTestToken(auth::Role::kCoordinator, {"aalborg"}, "coordinator-a");
  EXPECT_EQ(Call(*stub_, &MatchingStub::ListVolunteerRequests, elsewhere, list)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  const std::string ops =
      MintTestToken(auth::Role::kOperator, {"*"}, "operator-olivia");
  EXPECT_EQ(Call(*stub_, &MatchingStub::ListVolunteerRequests, ops, list)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied)
      << "operators see no newcomers' requests";
}

TEST_F(MatchingE2eTest, BadInputNamesTheField) {
  const rv1::Actor newcomer = MustCreateNewcomer("Yonas");
  const mv1::VolunteerRequest request = MustCreateRequest(newcomer.name());
  auto too_many = Suggest(coordinator_, request.name(), 1000000);
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(too_many.status()), Contains("top_k"));
  mv1::ListMatchesRequest list;
  list.set_parent(Parent());
  list.set_filter("state = MAYBE");
  auto bad_filter =
      Call(*stub_, &MatchingStub::ListMatches, coordinator_, list);
  EXPECT_EQ(bad_filter.status().code(), absl::StatusCode::kInvalidArgument);
  list.set_filter("");
  list.set_page_size(-1);
  EXPECT_EQ(Call(*stub_, &MatchingStub::ListMatches, coordinator_, list)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(MatchingE2eTest, ActivitiesForANewcomerComeFromTheCatalogue) {
  const rv1::Actor club = MustCreateActor(Organisation(
      rv1::ACTOR_KIND_SOCIAL_ASSOCIATION, "Vamdrup Madklub", {"Vamdrup"}));
  const rv1::Actor newcomer = MustCreateNewcomer("Yonas");
  catalogue::v1::CreateActivityRequest create;
  create.set_parent(Parent());
  catalogue::v1::Activity* activity = create.mutable_activity();
  activity->set_kind(catalogue::v1::ACTIVITY_KIND_CIVIL_OFFER);
  activity->set_display_name("Fællesspisning i Vamdrup");
  activity->set_organiser(club.name());
  activity->set_category(catalogue::v1::CATEGORY_COMMUNAL_DINING);
  activity->add_languages("da");
  activity->mutable_place()->set_area("Vamdrup");
  activity->mutable_schedule()->set_start_time("2025-01-07T18:00");
  activity->mutable_schedule()->mutable_duration()->set_seconds(7200);
  activity->mutable_schedule()->set_rrule("FREQ=WEEKLY;BYDAY=TU");
  activity->mutable_price()->set_kind(catalogue::v1::Price::KIND_FREE);
  activity->set_state(catalogue::v1::ACTIVITY_STATE_PUBLISHED);
  absl::StatusOr<catalogue::v1::Activity> created;
  ASSERT_TRUE(Within(kFollowDeadline, [&] {
    created = Call(*catalogue_stub_,
                   &catalogue::v1::CatalogueService::Stub::CreateActivity,
                   coordinator_, create);
    return created.ok();
  })) << created.status();

  mv1::SuggestActivitiesRequest request;
  request.set_newcomer(newcomer.name());
  absl::StatusOr<mv1::SuggestActivitiesResponse> suggested;
  ASSERT_TRUE(Within(kFollowDeadline, [&] {
    suggested =
        Call(*stub_, &MatchingStub::SuggestActivities, caseworker_, request);
    return suggested.ok() && suggested->suggestions_size() > 0;
  })) << suggested.status();
  EXPECT_EQ(suggested->suggestions(0).activity().name(), created->name());
  EXPECT_FALSE(suggested->suggestions(0).reasons().empty());
}

}  // namespace
}  // namespace brobygger::test
