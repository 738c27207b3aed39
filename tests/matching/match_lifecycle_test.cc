// The match lifecycle against a real redis-server: consent first, one open
// request per kind, proposals, answers, activation, ending, automatic next
// proposals, expiry, and the reactions to the registry.
#include <atomic>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matching/matching_fixture.h"

namespace brobygger::matching {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kProposed[] = "brobygger.matching.v1.MatchProposed";
constexpr char kAccepted[] = "brobygger.matching.v1.MatchAccepted";
constexpr char kActivated[] = "brobygger.matching.v1.MatchActivated";
constexpr char kEnded[] = "brobygger.matching.v1.MatchEnded";
constexpr char kDeclined[] = "brobygger.matching.v1.MatchDeclined";
constexpr char kRequestCreated[] =
    "brobygger.matching.v1.VolunteerRequestCreated";
constexpr char kRequestCancelled[] =
    "brobygger.matching.v1.VolunteerRequestCancelled";

class MatchLifecycleTest : public MatchingFixture {
 protected:
  // A Tigrinya-speaking former refugee in Vejle and a Danish-only
  // volunteer in Vejle, both of the Red Cross (actor 7).
  void AddReceptionCorps() {
    VolunteerSpec corps;
    corps.id = "101";
    corps.display_name = "Senait";
    corps.languages = {"ti", "da"};
    corps.mother_tongue = "ti";
    corps.former_refugee = true;
    corps.competences = {"bank", "doctor", "bus"};
    corps.organisation = "7";
    AddVolunteer(corps);
    VolunteerSpec danish;
    danish.id = "102";
    danish.display_name = "Karen";
    danish.languages = {"da", "ti"};
    danish.organisation = "7";
    AddVolunteer(danish);
  }
  NewcomerSpec TigrinyaNewcomer(const std::string& id = "200") {
    NewcomerSpec spec;
    spec.id = id;
    spec.languages = {"ti"};
    return spec;
  }
};

TEST_F(MatchLifecycleTest, RequestWithoutConsentIsRefused) {
  NewcomerSpec spec = TigrinyaNewcomer();
  spec.consents = false;
  AddNewcomer(spec);
  v1::VolunteerRequest request;
  request.set_newcomer(ActorName("200"));
  request.set_kind(v1::MATCH_KIND_RECEPTION_BUDDY);
  auto created =
      matching().requests().Create(Coordinator(), kMunicipality, request, "");
  EXPECT_EQ(created.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(created.status().message(), HasSubstr("consent"));
  EXPECT_TRUE(Events().empty()) << "a refused request publishes nothing";
}

TEST_F(MatchLifecycleTest, RequestTakesWishesFromTheNewcomerProfile) {
  AddNewcomer(TigrinyaNewcomer());
  const v1::VolunteerRequest request = CreateRequest("200");
  EXPECT_EQ(request.state(), v1::VolunteerRequest::STATE_OPEN);
  EXPECT_THAT(request.wishes().needs(), ElementsAre("bank", "doctor"));
  EXPECT_THAT(EventTypes(), ElementsAre(kRequestCreated));
  v1::VolunteerRequestCreated created;
  ASSERT_TRUE(Events().front().payload().UnpackTo(&created));
  EXPECT_EQ(created.volunteer_request().name(), request.name());
  EXPECT_TRUE(created.volunteer_request().wishes().needs().empty())
      << "events carry no description of the newcomer";
}

TEST_F(MatchLifecycleTest, OneOpenRequestPerNewcomerAndKind) {
  AddNewcomer(TigrinyaNewcomer());
  CreateRequest("200");
  v1::VolunteerRequest again;
  again.set_newcomer(ActorName("200"));
  again.set_kind(v1::MATCH_KIND_RECEPTION_BUDDY);
  auto second =
      matching().requests().Create(Caseworker(), kMunicipality, again, "");
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
  again.set_kind(v1::MATCH_KIND_MENTOR);
  EXPECT_TRUE(matching()
                  .requests()
                  .Create(Caseworker(), kMunicipality, again, "")
                  .ok());
}

TEST_F(MatchLifecycleTest, RetriedCreateWithTheSameRequestIdReturnsTheFirst) {
  AddNewcomer(TigrinyaNewcomer());
  v1::VolunteerRequest request;
  request.set_newcomer(ActorName("200"));
  request.set_kind(v1::MATCH_KIND_MENTOR);
  const std::string id = "5c1f0a55-6d7e-4a53-9b4a-2d1c1f5e8a11";
  auto first =
      matching().requests().Create(Coordinator(), kMunicipality, request, id);
  auto second =
      matching().requests().Create(Coordinator(), kMunicipality, request, id);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->name(), second->name());
}

TEST_F(MatchLifecycleTest, FullLifecycleGrantsAndCompletes) {
  AddReceptionCorps();
  AddNewcomer(TigrinyaNewcomer());
  const v1::VolunteerRequest request = CreateRequest("200");

  auto proposed =
      matching().lifecycle().Propose(Coordinator(), request.name(), "", "");
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  EXPECT_EQ(proposed->volunteer(), ActorName("101"))
      << "the Tigrinya-speaking former refugee is the best reception buddy";
  EXPECT_EQ(proposed->organisation(), ActorName("7"));
  EXPECT_EQ(proposed->state(), v1::Match::STATE_PROPOSED);
  EXPECT_GT(proposed->proposal().score(), 0);
  EXPECT_EQ(GetRequest(request.name()).state(),
            v1::VolunteerRequest::STATE_PROPOSED);
  EXPECT_EQ(LoadOf("101"), 1);

  auto accepted =
      matching().lifecycle().Accept(NgoApp("7"), proposed->name(), "");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->state(), v1::Match::STATE_ACCEPTED);
  EXPECT_EQ(GetRequest(request.name()).state(),
            v1::VolunteerRequest::STATE_MATCHED);

  auto active =
      matching().lifecycle().Activate(Caseworker(), proposed->name(), "");
  ASSERT_TRUE(active.ok()) << active.status();
  EXPECT_EQ(active->state(), v1::Match::STATE_ACTIVE);

  auto ended = matching().lifecycle().End(Coordinator(), proposed->name(),
                                          v1::Match::END_REASON_COMPLETED,
                                          "six months went well", "");
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->state(), v1::Match::STATE_ENDED);
  EXPECT_EQ(GetRequest(request.name()).state(),
            v1::VolunteerRequest::STATE_COMPLETED);
  EXPECT_EQ(LoadOf("101"), 0) << "the slot is free again";
  EXPECT_THAT(EventTypes(), ElementsAre(kRequestCreated, kProposed, kAccepted,
                                        kActivated, kEnded));
  // A completed request frees the kind for a new request.
  CreateRequest("200");
}

TEST_F(MatchLifecycleTest, OnlyTheVolunteerSideAnswers) {
  AddReceptionCorps();
  AddNewcomer(TigrinyaNewcomer());
  const v1::VolunteerRequest request = CreateRequest("200");
  auto proposed =
      matching().lifecycle().Propose(Coordinator(), request.name(), "", "");
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  // Another volunteer, another organisation's app: refused.
  EXPECT_EQ(matching()
                .lifecycle()
                .Accept(VolunteerPrincipal("102"), proposed->name(), "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(matching()
                .lifecycle()
                .Accept(NgoApp("8"), proposed->name(), "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(matching()
                .matches()
                .Get(VolunteerPrincipal("102"), proposed->name())
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  // The volunteer: accepted, and a repeated accept changes nothing.
  auto accepted = matching().lifecycle().Accept(VolunteerPrincipal("101"),
                                                proposed->name(), "");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  auto again = matching().lifecycle().Accept(VolunteerPrincipal("101"),
                                             proposed->name(), "");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), accepted->etag());
}

TEST_F(MatchLifecycleTest, DeclineProposesTheNextVolunteer) {
  AddReceptionCorps();
  AddNewcomer(TigrinyaNewcomer());
  const v1::VolunteerRequest request = CreateRequest("200");
  auto first =
      matching().lifecycle().Propose(Coordinator(), request.name(), "", "");
  ASSERT_TRUE(first.ok()) << first.status();
  auto declined = matching().lifecycle().Decline(
      VolunteerPrincipal("101"), first->name(), "travelling this month", "");
  ASSERT_TRUE(declined.ok()) << declined.status();
  EXPECT_EQ(declined->state(), v1::Match::STATE_DECLINED);
  EXPECT_EQ(declined->end_note(), "travelling this month");
  EXPECT_EQ(LoadOf("101"), 0);

  const v1::VolunteerRequest after = GetRequest(request.name());
  EXPECT_EQ(after.state(), v1::VolunteerRequest::STATE_PROPOSED);
  EXPECT_THAT(after.passed_volunteers(), ElementsAre(ActorName("101")));
  const v1::Match next = GetMatch(after.current_match());
  EXPECT_EQ(next.volunteer(), ActorName("102"));
  EXPECT_EQ(next.state(), v1::Match::STATE_PROPOSED);
  EXPECT_THAT(EventTypes(),
              ElementsAre(kRequestCreated, kProposed, kDeclined, kProposed));

  // Once the last eligible volunteer declines, the request stays open.
  ASSERT_TRUE(matching()
                  .lifecycle()
                  .Decline(VolunteerPrincipal("102"), next.name(), "", "")
                  .ok());
  EXPECT_EQ(GetRequest(request.name()).state(),
            v1::VolunteerRequest::STATE_OPEN);
  // And proposing someone who passed is refused.
  auto again = matching().lifecycle().Propose(Coordinator(), request.name(),
                                              ActorName("101"), "");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(MatchLifecycleTest, UnansweredProposalExpiresAndTheNextIsProposed) {
  AddReceptionCorps();
  AddNewcomer(TigrinyaNewcomer());
  const v1::VolunteerRequest request = CreateRequest("200");
  auto first =
      matching().lifecycle().Propose(Coordinator(), request.name(), "", "");
  ASSERT_TRUE(first.ok()) << first.status();
  // Not yet due.
  auto none = matching().lifecycle().ExpireDue(kMunicipality,
                                               absl::Now() + absl::Hours(71));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  // Past the default 72 hours.
  auto expired = matching().lifecycle().ExpireDue(
      kMunicipality, absl::Now() + absl::Hours(73));
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, 1);
  EXPECT_EQ(GetMatch(first->name()).state(), v1::Match::STATE_EXPIRED);
  const v1::VolunteerRequest after = GetRequest(request.name());
  EXPECT_EQ(GetMatch(after.current_match()).volunteer(), ActorName("102"));
  // An answer after the deadline is refused.
  EXPECT_EQ(matching()
                .lifecycle()
                .Accept(VolunteerPrincipal("101"), first->name(), "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(MatchLifecycleTest, CapacityHoldsWhenCoordinatorsProposeAtOnce) {
  VolunteerSpec only;
  only.id = "101";
  only.languages = {"ar"};
  only.capacity = 2;
  AddVolunteer(only);
  constexpr int kRequests = 12;
  std::vector<std::string> requests;
  for (int i = 0; i < kRequests; ++i) {
    const std::string id = absl::StrCat(300 + i);
    NewcomerSpec spec;
    spec.id = id;
    AddNewcomer(spec);
    requests.push_back(CreateRequest(id).name());
  }
  std::atomic<int> succeeded{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  std::vector<std::thread> coordinators;
  for (int i = 0; i < kRequests; ++i) {
    coordinators.emplace_back([&, i] {
      auto result = matching().lifecycle().Propose(Coordinator(), requests[i],
                                                   ActorName("101"), "");
      if (result.ok()) {
        ++succeeded;
      } else if (result.status().code() ==
                 absl::StatusCode::kFailedPrecondition) {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& thread : coordinators) thread.join();
  EXPECT_EQ(succeeded.load(), 2);
  EXPECT_EQ(refused.load(), kRequests - 2);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(LoadOf("101"), 2);
  auto matches =
      matching().matches().List(Coordinator(), kMunicipality, 100, "", "");
  ASSERT_TRUE(matches.ok()) << matches.status();
  EXPECT_EQ(matches->matches.size(), 2u) << "no partial proposal left behind";
}

TEST_F(MatchLifecycleTest, AutomaticProposalsShareVolunteersWithinCapacity) {
  for (int v = 0; v < 3; ++v) {
    VolunteerSpec spec;
    spec.id = absl::StrCat(101 + v);
    spec.languages = {"ar"};
    spec.capacity = 2;
    AddVolunteer(spec);
  }
  constexpr int kRequests = 10;
  std::vector<std::string> requests;
  for (int i = 0; i < kRequests; ++i) {
    NewcomerSpec spec;
    spec.id = absl::StrCat(300 + i);
    AddNewcomer(spec);
    requests.push_back(CreateRequest(spec.id).name());
  }
  std::atomic<int> succeeded{0};
  std::vector<std::thread> coordinators;
  for (int i = 0; i < kRequests; ++i) {
    coordinators.emplace_back([&, i] {
      if (matching()
              .lifecycle()
              .Propose(Coordinator(), requests[i], "", "")
              .ok()) {
        ++succeeded;
      }
    });
  }
  for (std::thread& thread : coordinators) thread.join();
  EXPECT_EQ(succeeded.load(), 6) << "three volunteers with two slots each";
  for (int v = 0; v < 3; ++v) EXPECT_EQ(LoadOf(absl::StrCat(101 + v)), 2);
}

TEST_F(MatchLifecycleTest, WithdrawnConsentCancelsRequestsAndEndsMatches) {
  AddReceptionCorps();
  NewcomerSpec spec = TigrinyaNewcomer();
  AddNewcomer(spec);
  const v1::VolunteerRequest request = CreateRequest("200");
  auto proposed =
      matching().lifecycle().Propose(Coordinator(), request.name(), "", "");
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  ASSERT_TRUE(matching()
                  .lifecycle()
                  .Accept(VolunteerPrincipal("101"), proposed->name(), "")
                  .ok());
  spec.consents = false;
  UpdateNewcomer(spec);
  const v1::Match match = GetMatch(proposed->name());
  EXPECT_EQ(match.state(), v1::Match::STATE_ENDED);
  EXPECT_EQ(match.end_reason(), v1::Match::END_REASON_CONSENT_WITHDRAWN);
  const v1::VolunteerRequest after = GetRequest(request.name());
  EXPECT_EQ(after.state(), v1::VolunteerRequest::STATE_CANCELLED);
  EXPECT_THAT(after.cancel_reason(), HasSubstr("consent"));
  EXPECT_EQ(LoadOf("101"), 0);
  EXPECT_EQ(EventTypes().back(), kRequestCancelled);
}

TEST_F(MatchLifecycleTest, ErasureDeletesRequestsAndMatchesAfterEndingThem) {
  AddReceptionCorps();
  AddNewcomer(TigrinyaNewcomer());
  const v1::VolunteerRequest request = CreateRequest("200");
  auto proposed =
      matching().lifecycle().Propose(Coordinator(), request.name(), "", "");
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  ASSERT_TRUE(matching()
                  .lifecycle()
                  .Accept(VolunteerPrincipal("101"), proposed->name(), "")
                  .ok());
  ASSERT_TRUE(matching()
                  .lifecycle()
                  .Activate(Coordinator(), proposed->name(), "")
                  .ok());
  EraseNewcomer("200");

  EXPECT_EQ(
      matching().matches().Get(Coordinator(), proposed->name()).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(
      matching().requests().Get(Coordinator(), request.name()).status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadOf("101"), 0);
  // The events that named the newcomer are gone from the stream too.
  for (const events::v1::Event& event : Events()) {
    EXPECT_EQ(event.SerializeAsString().find(ActorName("200")),
              std::string::npos)
        << event.type() << " still names the erased newcomer";
  }
  // Nothing about the newcomer remains in matching's store.
  auto keys = pool().Run({"KEYS", "matching:{kolding}:registry:newcomer:*"});
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->elements.empty());
  // A new request for the erased newcomer is refused.
  v1::VolunteerRequest again;
  again.set_newcomer(ActorName("200"));
  again.set_kind(v1::MATCH_KIND_MENTOR);
  EXPECT_EQ(matching()
                .requests()
                .Create(Coordinator(), kMunicipality, again, "")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(MatchLifecycleTest, RemovedVolunteerEndsTheMatchAndReopensTheRequest) {
  AddReceptionCorps();
  AddNewcomer(TigrinyaNewcomer());
  const v1::VolunteerRequest request = CreateRequest("200");
  auto proposed = matching().lifecycle().Propose(Coordinator(), request.name(),
                                                 ActorName("101"), "");
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  DeleteVolunteer("101");
  const v1::Match match = GetMatch(proposed->name());
  EXPECT_EQ(match.state(), v1::Match::STATE_ENDED);
  EXPECT_EQ(match.end_reason(), v1::Match::END_REASON_VOLUNTEER_REMOVED);
  EXPECT_EQ(GetRequest(request.name()).state(),
            v1::VolunteerRequest::STATE_OPEN);
  // The removed volunteer is no longer a candidate.
  auto suggestions =
      matching().suggestions().Suggest(Coordinator(), request.name(), 10);
  ASSERT_TRUE(suggestions.ok()) << suggestions.status();
  for (const v1::Suggestion& suggestion : suggestions->suggestions()) {
    EXPECT_NE(suggestion.volunteer(), ActorName("101"));
  }
}

TEST_F(MatchLifecycleTest, CancellingARequestEndsItsMatch) {
  AddReceptionCorps();
  AddNewcomer(TigrinyaNewcomer());
  const v1::VolunteerRequest request = CreateRequest("200");
  auto proposed =
      matching().lifecycle().Propose(Coordinator(), request.name(), "", "");
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  auto cancelled = matching().lifecycle().CancelRequest(
      Caseworker(), request.name(), "the family moved to Odense", "");
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::VolunteerRequest::STATE_CANCELLED);
  EXPECT_EQ(GetMatch(proposed->name()).end_reason(),
            v1::Match::END_REASON_REQUEST_CANCELLED);
  EXPECT_EQ(LoadOf("101"), 0);
}

TEST_F(MatchLifecycleTest, VolunteersAndAppsListOnlyTheirOwnMatches) {
  AddReceptionCorps();
  VolunteerSpec other;
  other.id = "103";
  other.languages = {"ar"};
  other.organisation = "8";
  AddVolunteer(other);
  AddNewcomer(TigrinyaNewcomer("200"));
  NewcomerSpec arabic;
  arabic.id = "201";
  AddNewcomer(arabic);
  ASSERT_TRUE(matching()
                  .lifecycle()
                  .Propose(Coordinator(), CreateRequest("200").name(),
                           ActorName("101"), "")
                  .ok());
  ASSERT_TRUE(matching()
                  .lifecycle()
                  .Propose(Coordinator(), CreateRequest("201").name(),
                           ActorName("103"), "")
                  .ok());
  auto own = matching().matches().List(VolunteerPrincipal("103"), kMunicipality,
                                       10, "", "");
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_EQ(own->matches.size(), 1u);
  EXPECT_EQ(own->matches[0].volunteer(), ActorName("103"));
  // A filter asking for someone else's matches does not widen the view.
  auto sneaky = matching().matches().List(
      VolunteerPrincipal("103"), kMunicipality, 10, "",
      absl::StrCat("volunteer = \"", ActorName("101"), "\""));
  ASSERT_TRUE(sneaky.ok()) << sneaky.status();
  EXPECT_TRUE(sneaky->matches.empty());
  auto red_cross =
      matching().matches().List(NgoApp("7"), kMunicipality, 10, "", "");
  ASSERT_TRUE(red_cross.ok()) << red_cross.status();
  ASSERT_EQ(red_cross->matches.size(), 1u);
  EXPECT_EQ(red_cross->matches[0].organisation(), ActorName("7"));
  auto staff =
      matching().matches().List(Coordinator(), kMunicipality, 10, "", "");
  ASSERT_TRUE(staff.ok()) << staff.status();
  EXPECT_EQ(staff->matches.size(), 2u);
}

TEST_F(MatchLifecycleTest, BadInputIsRefusedWithTheField) {
  auto bad_name = matching().lifecycle().Accept(
      VolunteerPrincipal("101"), "municipalities/kolding/x/1", "");
  EXPECT_EQ(bad_name.status().code(), absl::StatusCode::kInvalidArgument);
  v1::VolunteerRequest request;
  request.set_newcomer("not a name");
  request.mutable_constraints()->set_language("Arabic!");
  auto created =
      matching().requests().Create(Coordinator(), kMunicipality, request, "");
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolationsOf(created.status())) {
    fields.push_back(violation.field);
  }
  EXPECT_THAT(fields,
              ::testing::UnorderedElementsAre(
                  "volunteer_request.newcomer", "volunteer_request.kind",
                  "volunteer_request.constraints.language"));
  auto end = matching().lifecycle().End(
      Coordinator(), "municipalities/kolding/matches/1",
      v1::Match::END_REASON_UNSPECIFIED, "", "");
  EXPECT_EQ(end.status().code(), absl::StatusCode::kInvalidArgument);
  // Another municipality's staff cannot act here.
  const auth::Principal aalborg =
      MakePrincipal("c", auth::Role::kCoordinator, "aalborg");
  EXPECT_EQ(matching()
                .requests()
                .List(aalborg, kMunicipality, 10, "", "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace brobygger::matching

namespace brobygger::matching {
namespace {

class VolunteerRequestUpdateTest : public MatchingFixture {};

TEST_F(VolunteerRequestUpdateTest, UpdatesTheMaskedFieldsOnly) {
  NewcomerSpec spec;
  spec.id = "200";
  AddNewcomer(spec);
  const v1::VolunteerRequest created = CreateRequest("200");
  v1::VolunteerRequest patch;
  patch.set_name(created.name());
  patch.set_etag(created.etag());
  patch.mutable_constraints()->set_language(" AR ");
  patch.set_note("prefers a woman who knows the doctor's routines");
  patch.set_kind(v1::MATCH_KIND_MENTOR);  // not in the mask: ignored
  google::protobuf::FieldMask mask;
  mask.add_paths("constraints.language");
  auto updated = matching().requests().Update(Caseworker(), patch, mask);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->constraints().language(), "ar") << "normalised";
  EXPECT_TRUE(updated->note().empty());
  EXPECT_EQ(updated->kind(), v1::MATCH_KIND_RECEPTION_BUDDY);
  EXPECT_NE(updated->etag(), created.etag());
  EXPECT_EQ(EventTypes().back(),
            "brobygger.matching.v1.VolunteerRequestUpdated");

  // The old etag no longer matches; kind is immutable; bad values name
  // the field.
  EXPECT_EQ(
      matching().requests().Update(Caseworker(), patch, mask).status().code(),
      absl::StatusCode::kAborted);
  patch.set_etag(updated->etag());
  google::protobuf::FieldMask kind;
  kind.add_paths("kind");
  EXPECT_EQ(
      matching().requests().Update(Caseworker(), patch, kind).status().code(),
      absl::StatusCode::kInvalidArgument);
  patch.mutable_wishes()->add_children_ages(40);
  google::protobuf::FieldMask ages;
  ages.add_paths("wishes.children_ages");
  auto bad = matching().requests().Update(Caseworker(), patch, ages);
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(bad.status())[0].field,
            "volunteer_request.wishes.children_ages[0]");
  // Volunteers never see or change requests.
  EXPECT_EQ(matching()
                .requests()
                .Update(VolunteerPrincipal("101"), patch, mask)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace brobygger::matching
