// Shared set-up of the matching service's end-to-end tests: a private
// redis-server, the real `registry`, `catalogue` and `matching` binaries,
// started once per test suite and called over gRPC exactly as clients do.
//
// Matching learns volunteers and newcomers only from the registry's event
// stream, and the registry learns grants only from matching's, so the
// tests make changes through one service's API and watch the other follow.
// Redis is never flushed between tests (the services keep per-municipality
// state in memory): every test gets a municipality of its own.
//
// Header-only because tests/e2e compiles only *_test.cc files.
#ifndef BROBYGGER_TESTS_E2E_MATCHING_E2E_FIXTURE_H_
#define BROBYGGER_TESTS_E2E_MATCHING_E2E_FIXTURE_H_

#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "brobygger/matching/v1/matching_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/registry_e2e_fixture.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"
#include "tests/support/test_tokens.h"

namespace brobygger::test {

namespace mv1 = ::brobygger::matching::v1;
using MatchingStub = mv1::MatchingService::Stub;

// How long one service may take to follow another's change.
inline constexpr absl::Duration kFollowDeadline = absl::Seconds(10);

// Polls `condition` every 50 ms until it holds or `timeout` passes.
inline bool Within(absl::Duration timeout,
                   const std::function<bool()>& condition) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (condition()) return true;
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
}

class MatchingE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { suite_status_ = StartSuite(); }
  static void TearDownTestSuite() {
    matching_.reset();
    catalogue_.reset();
    registry_.reset();
    redis_.reset();
  }

  static absl::Status StartSuite() {
    auto redis = RedisServer::Start();
    if (!redis.ok()) return redis.status();
    redis_ = *std::move(redis);
    for (const char* service : {"registry", "catalogue"}) {
      ServiceProcess::Options options;
      options.binary = ServiceProcess::BinaryPath(service);
      options.redis_port = redis_->port();
      if (std::string(service) == "catalogue") {
        options.extra_args = {"--feed_listen="};
      }
      auto started = ServiceProcess::Start(options);
      if (!started.ok()) return started.status();
      (std::string(service) == "registry" ? registry_ : catalogue_) =
          *std::move(started);
    }
    auto matching = ServiceProcess::Start(MatchingOptions());
    if (!matching.ok()) return matching.status();
    matching_ = *std::move(matching);
    return absl::OkStatus();
  }

  static ServiceProcess::Options MatchingOptions() {
    ServiceProcess::Options options;
    options.binary = ServiceProcess::BinaryPath("matching");
    options.redis_port = redis_->port();
    options.extra_args = {
        absl::StrCat("--catalogue_address=", catalogue_->address()),
        absl::StrCat("--drain_timeout=", absl::FormatDuration(kDrainTimeout)),
        "--proposal_expiry_interval=1s"};
    return options;
  }

  static std::string FreshMunicipalityId() {
    static int counter = 0;
    return absl::StrCat("kolding-", ++counter);
  }

  void SetUp() override {
    ASSERT_TRUE(suite_status_.ok())
        << "the services could not be started: " << suite_status_;
    for (const auto& [what, service] : Services()) {
      ASSERT_TRUE(service->running())
          << "an earlier test stopped " << what << ". Log tail:\n"
          << service->LogTail();
    }
    registry_stub_ = registry_->NewStub<rv1::RegistryService>();
    catalogue_stub_ = catalogue_->NewStub<catalogue::v1::CatalogueService>();
    stub_ = matching_->NewStub<mv1::MatchingService>();
    municipality_ = FreshMunicipalityId();
    operator_ = MintTestToken(auth::Role::kOperator, {"*"}, "operator-olivia");
    coordinator_ = MintTestToken(auth::Role::kCoordinator, {municipality_},
                                 "coordinator-lis");
    caseworker_ = MintTestToken(auth::Role::kCaseworker, {municipality_},
                                "caseworker-mette");
    rv1::CreateMunicipalityRequest request;
    request.set_municipality_id(municipality_);
    request.mutable_municipality()->set_display_name("Kolding Kommune");
    for (const char* area : {"Kolding C", "Vamdrup", "Christiansfeld"}) {
      request.mutable_municipality()->add_areas(area);
    }
    auto created = Call(*registry_stub_, &RegistryStub::CreateMunicipality,
                        operator_, request);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  void TearDown() override {
    if (!HasFailure()) return;
    for (const auto& [what, service] : Services()) {
      std::cerr << "--- " << what << " log tail ---\n"
                << service->LogTail() << "--- end of " << what << " log ---\n";
    }
  }

  static std::vector<std::pair<std::string, ServiceProcess*>> Services() {
    return {{"registry", registry_.get()},
            {"catalogue", catalogue_.get()},
            {"matching", matching_.get()}};
  }

  std::string Parent() const { return test::Parent(municipality_); }

  // --- The registry. ---

  rv1::Actor MustCreateActor(const rv1::Actor& actor) {
    rv1::CreateActorRequest request;
    request.set_parent(Parent());
    *request.mutable_actor() = actor;
    auto created = Call(*registry_stub_, &RegistryStub::CreateActor,
                        coordinator_, request);
    EXPECT_TRUE(created.ok())
        << "creating " << actor.display_name() << ": " << created.status();
    return created.ok() ? *created : rv1::Actor();
  }

  // A Tigrinya-speaking former refugee in Vamdrup who helps with the bank
  // and the doctor, belonging to `organisation`.
  rv1::Actor MustCreateCorpsVolunteer(const std::string& display_name,
                                      const std::string& organisation) {
    rv1::Actor actor = test::Volunteer(display_name, {"Vamdrup"});
    actor.set_parent(organisation);
    AddLanguage(&actor, "ti", /*mother_tongue=*/true);
    AddLanguage(&actor, "da", /*mother_tongue=*/false);
    actor.add_competences("bank");
    actor.add_competences("doctor");
    actor.mutable_volunteer()->set_former_refugee(true);
    return MustCreateActor(actor);
  }

  // A newcomer in Vamdrup whose mother tongue is Tigrinya.
  rv1::Actor MustCreateNewcomer(const std::string& first_name,
                                bool consents = true) {
    rv1::Actor actor = test::Newcomer(first_name, "Tesfay", "Vamdrup");
    AddLanguage(&actor, "ti", /*mother_tongue=*/true);
    actor.mutable_newcomer()->add_needs("doctor");
    actor.mutable_newcomer()->mutable_consent()->set_volunteer_contact(
        consents);
    return MustCreateActor(actor);
  }

  absl::StatusOr<rv1::Actor> GetActor(const std::string& token,
                                      const std::string& name) {
    rv1::GetActorRequest request;
    request.set_name(name);
    return Call(*registry_stub_, &RegistryStub::GetActor, token, request);
  }

  // --- Matching. ---

  absl::StatusOr<mv1::VolunteerRequest> CreateRequest(
      const std::string& token, const std::string& newcomer,
      mv1::MatchKind kind = mv1::MATCH_KIND_RECEPTION_BUDDY) {
    mv1::CreateVolunteerRequestRequest request;
    request.set_parent(Parent());
    request.mutable_volunteer_request()->set_newcomer(newcomer);
    request.mutable_volunteer_request()->set_kind(kind);
    return Call(*stub_, &MatchingStub::CreateVolunteerRequest, token, request);
  }

  // Creates the request once matching has heard of the newcomer.
  mv1::VolunteerRequest MustCreateRequest(const std::string& newcomer) {
    absl::StatusOr<mv1::VolunteerRequest> created;
    Within(kFollowDeadline, [&] {
      created = CreateRequest(coordinator_, newcomer);
      return created.ok();
    });
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : mv1::VolunteerRequest();
  }

  absl::StatusOr<mv1::SuggestMatchesResponse> Suggest(
      const std::string& token, const std::string& request_name,
      int top_k = 0) {
    mv1::SuggestMatchesRequest request;
    request.set_volunteer_request(request_name);
    request.set_top_k(top_k);
    return Call(*stub_, &MatchingStub::SuggestMatches, token, request);
  }

  absl::StatusOr<mv1::Match> GetMatch(const std::string& token,
                                      const std::string& name) {
    mv1::GetMatchRequest request;
    request.set_name(name);
    return Call(*stub_, &MatchingStub::GetMatch, token, request);
  }

  static inline std::unique_ptr<RedisServer> redis_;
  static inline std::unique_ptr<ServiceProcess> registry_;
  static inline std::unique_ptr<ServiceProcess> catalogue_;
  static inline std::unique_ptr<ServiceProcess> matching_;
  static inline absl::Status suite_status_;

  std::unique_ptr<RegistryStub> registry_stub_;
  std::unique_ptr<catalogue::v1::CatalogueService::Stub> catalogue_stub_;
  std::unique_ptr<MatchingStub> stub_;
  std::string municipality_;
  std::string operator_;
  std::string coordinator_;
  std::string caseworker_;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_E2E_MATCHING_E2E_FIXTURE_H_
