// End-to-end: authentication and authorisation of the catalogue. Every
// method needs a valid token; municipalities are walled off from each
// other; roles limit who edits activities and who reads personal plans.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/redis/redis_pool.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "services/catalogue/catalogue_keys.h"
#include "tests/e2e/catalogue_e2e_fixture.h"
#include "tests/support/generic_call.h"

namespace brobygger::test {
namespace {

using ::testing::IsEmpty;

class CatalogueAuthE2eTest : public CatalogueE2eTest {};

// Structural: no handler can skip authentication. Every method of the
// service, called without a token and with an empty request, must answer
// UNAUTHENTICATED (a handler that skipped the check would answer
// INVALID_ARGUMENT, NOT_FOUND or even OK).
TEST_F(CatalogueAuthE2eTest, EveryMethodRequiresAToken) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          cv1::CatalogueService::service_full_name());
  ASSERT_NE(service, nullptr);
  ASSERT_GE(service->method_count(), 24);
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    const std::string path =
        absl::StrCat("/", service->full_name(), "/", method->name());
    absl::StatusOr<std::string> response =
        GenericUnaryCall(catalogue_->channel(), path, "", kCallTimeout);
    EXPECT_EQ(response.status().code(), absl::StatusCode::kUnauthenticated)
        << path << " answered " << response.status();
  }
  // A token that is not one is no better than none.
  cv1::SearchActivitiesRequest search;
  search.set_parent(Parent(municipality_));
  EXPECT_EQ(Call(*stub_, &CatalogueStub::SearchActivities,
                 std::string("garbage"), search)
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(CatalogueAuthE2eTest, NoRequestCrossesMunicipalities) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  const cv1::Activity cafe = MustCreateActivity(LanguageCafe(red_cross.name()));
  ASSERT_FALSE(cafe.name().empty());

  // kolding's coordinator reads, searches, creates, changes and deletes in
  // aalborg: all refused.
  auto got = GetActivity(other_coordinator_, cafe.name());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kPermissionDenied)
      << got.status();
  auto searched = Search(other_coordinator_, cv1::ActivityQuery());
  EXPECT_EQ(searched.status().code(), absl::StatusCode::kPermissionDenied)
      << searched.status();
  auto created =
      CreateActivity(other_coordinator_, LanguageCafe(red_cross.name()));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kPermissionDenied)
      << created.status();
  cv1::UpdateActivityRequest update;
  update.mutable_activity()->set_name(cafe.name());
  update.mutable_activity()->set_display_name("Overtaget");
  update.mutable_update_mask()->add_paths("display_name");
  auto updated =
      Call(*stub_, &CatalogueStub::UpdateActivity, other_coordinator_, update);
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kPermissionDenied)
      << updated.status();
  cv1::DeleteActivityRequest remove;
  remove.set_name(cafe.name());
  auto removed =
      Call(*stub_, &CatalogueStub::DeleteActivity, other_coordinator_, remove);
  EXPECT_EQ(removed.status().code(), absl::StatusCode::kPermissionDenied)
      << removed.status();
  cv1::ExportCalendarRequest export_calendar;
  export_calendar.set_parent(Parent(municipality_));
  auto exported = Call(*stub_, &CatalogueStub::ExportCalendar,
                       other_coordinator_, export_calendar);
  EXPECT_EQ(exported.status().code(), absl::StatusCode::kPermissionDenied)
      << exported.status();

  // Nothing changed, and kolding's own catalogue does not show it.
  auto current = GetActivity(coordinator_, cafe.name());
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_EQ(current->display_name(), cafe.display_name());
  EXPECT_EQ(current->etag(), cafe.etag());
  cv1::SearchActivitiesRequest kolding;
  kolding.set_parent(Parent(other_municipality_));
  auto in_kolding = Call(*stub_, &CatalogueStub::SearchActivities,
                         other_coordinator_, kolding);
  ASSERT_TRUE(in_kolding.ok()) << in_kolding.status();
  EXPECT_THAT(in_kolding->results(), IsEmpty());
}

TEST_F(CatalogueAuthE2eTest, VolunteersReadButDoNotEdit) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());

  auto refused = CreateActivity(volunteer_, LanguageCafe(red_cross.name()));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied)
      << refused.status();
  EXPECT_THAT(FoundNames(cv1::ActivityQuery()), IsEmpty());

  const cv1::Activity cafe = MustCreateActivity(LanguageCafe(red_cross.name()));
  ASSERT_FALSE(cafe.name().empty());
  EXPECT_TRUE(GetActivity(volunteer_, cafe.name()).ok());
  cv1::UpdateActivityRequest update;
  update.mutable_activity()->set_name(cafe.name());
  update.mutable_activity()->set_state(cv1::ACTIVITY_STATE_ENDED);
  update.mutable_update_mask()->add_paths("state");
  auto ended = Call(*stub_, &CatalogueStub::UpdateActivity, volunteer_, update);
  EXPECT_EQ(ended.status().code(), absl::StatusCode::kPermissionDenied)
      << ended.status();
}

TEST_F(CatalogueAuthE2eTest, OrganisationsEditTheirOwnOffersOnly) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  const rv1::Actor church = MustCreateActor(
      Organisation(rv1::ACTOR_KIND_FAITH_COMMUNITY, "Kærby Kirke", {"Kærby"}));
  ASSERT_FALSE(HasFailure());
  const std::string red_cross_app = MintTestToken(
      auth::Role::kNgoApp, {municipality_}, "red-cross-app", red_cross.name());

  auto own = CreateActivity(red_cross_app, LanguageCafe(red_cross.name()));
  ASSERT_TRUE(own.ok()) << own.status();
  auto foreign = CreateActivity(red_cross_app, LanguageCafe(church.name()));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kPermissionDenied)
      << foreign.status();
  cv1::Activity task = LanguageCafe(red_cross.name());
  task.set_kind(cv1::ACTIVITY_KIND_MUNICIPAL_TASK);
  auto municipal = CreateActivity(red_cross_app, task);
  EXPECT_EQ(municipal.status().code(), absl::StatusCode::kPermissionDenied)
      << municipal.status();
}

TEST_F(CatalogueAuthE2eTest, OnlyMunicipalStaffReadPersonalPlans) {
  ASSERT_TRUE(StoreOverloadedTimeline(caseworker_).ok());
  const rv1::Actor newcomer =
      MustCreateActor(Newcomer("Zainab", "Ahmadi", "Kærby"));
  ASSERT_FALSE(newcomer.name().empty());
  absl::StatusOr<cv1::PersonalPlan> plan =
      CreatePlanOnceKnown(newcomer.name(), "2027-01-04");
  ASSERT_TRUE(plan.ok()) << plan.status();

  // The caseworker reads it; operators (who run the platform), volunteers
  // and organisations do not, and another municipality's staff neither.
  EXPECT_TRUE(GetPersonalPlan(caseworker_, plan->name()).ok());
  EXPECT_TRUE(GetPersonalPlan(coordinator_, plan->name()).ok());
  const std::string ngo_app =
      MintTestToken(auth::Role::kNgoApp, {municipality_}, "some-app",
                    absl::StrCat(Parent(municipality_), "/actors/1"));
  for (const std::string& token :
       {operator_, volunteer_, ngo_app, other_coordinator_}) {
    auto got = GetPersonalPlan(token, plan->name());
    EXPECT_EQ(got.status().code(), absl::StatusCode::kPermissionDenied)
        << got.status();
    cv1::ListPersonalPlansRequest list;
    list.set_parent(Parent(municipality_));
    auto listed = Call(*stub_, &CatalogueStub::ListPersonalPlans, token, list);
    EXPECT_EQ(listed.status().code(), absl::StatusCode::kPermissionDenied)
        << listed.status();
    cv1::ExportPersonalPlanCalendarRequest export_plan;
    export_plan.set_name(plan->name());
    auto exported = Call(*stub_, &CatalogueStub::ExportPersonalPlanCalendar,
                         token, export_plan);
    EXPECT_EQ(exported.status().code(), absl::StatusCode::kPermissionDenied)
        << exported.status();
  }
  // Nor may an operator make plans or change the timeline.
  auto operator_plan =
      CreatePersonalPlan(operator_, newcomer.name(), "2027-01-04");
  EXPECT_EQ(operator_plan.status().code(), absl::StatusCode::kPermissionDenied)
      << operator_plan.status();
  auto operator_timeline = StoreOverloadedTimeline(operator_);
  EXPECT_EQ(operator_timeline.status().code(),
            absl::StatusCode::kPermissionDenied)
      << operator_timeline.status();
}

// A request refused for its municipality must leave no trace: the
// catalogue only starts following a municipality's registry events (a
// consumer group on "registry:{<m>}:events") for callers who may act there,
// so made-up municipality ids cannot grow what it follows.
TEST_F(CatalogueAuthE2eTest, RefusedRequestsDoNotMakeTheCatalogueFollow) {
  const std::string nowhere = FreshMunicipalityId("nowhere");
  cv1::SearchActivitiesRequest search;
  search.set_parent(Parent(nowhere));
  auto refused =
      Call(*stub_, &CatalogueStub::SearchActivities, volunteer_, search);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied)
      << refused.status();

  redis::RedisPool pool(redis_->options());
  absl::StatusOr<redis::Reply> followed =
      pool.Run({"SISMEMBER", catalogue::CatalogueKeys().Tenants(), nowhere});
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_EQ(followed->integer, 0)
      << "a refused request made the catalogue follow " << nowhere;
}

}  // namespace
}  // namespace brobygger::test
