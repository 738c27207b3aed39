// Shared set-up of the registry's end-to-end tests: a private redis-server
// and the real `registry` binary, started once per test suite, called over
// gRPC with the generated stub and test tokens, exactly as clients do.
//
// Every test starts from an empty Redis holding two municipalities,
// "aalborg" (areas Aalborg C, Kærby, Vejgaard, Nørresundby) and "kolding"
// (Kolding C), created through the API by an operator.
//
// Header-only because tests/e2e compiles only *_test.cc files.
#ifndef BROBYGGER_TESTS_E2E_REGISTRY_E2E_FIXTURE_H_
#define BROBYGGER_TESTS_E2E_REGISTRY_E2E_FIXTURE_H_

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "common/auth/principal.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"
#include "tests/support/test_tokens.h"

namespace brobygger::test {

namespace rv1 = ::brobygger::registry::v1;
using RegistryStub = rv1::RegistryService::Stub;

// Every call carries a deadline: a hung service fails the test instead of
// hanging it.
inline constexpr absl::Duration kCallTimeout = absl::Seconds(5);
// The registries of these tests drain for this long on SIGTERM.
inline constexpr absl::Duration kDrainTimeout = absl::Seconds(3);

// One unary call with `token` (none if empty) and a deadline. Errors come
// back as absl::Status with their google.rpc details as payloads, so
// FieldViolationsOf() and ResourceInfoOf() can read them.
// Works with the stub of every service (registry, catalogue, matching).
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Call(Stub& stub,
                              grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                           const Request&,
                                                           Response*),
                              const std::string& token,
                              const Request& request) {
  grpc::ClientContext context;
  if (!token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
  Response response;
  const grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

// The google.rpc.ResourceInfo carried by `status`, if any.
inline std::optional<google::rpc::ResourceInfo> ResourceInfoOf(
    const absl::Status& status) {
  // absl::optional, which is not std::optional in Debian's Abseil.
  const auto payload = status.GetPayload(
      absl::StrCat("type.googleapis.com/",
                   google::rpc::ResourceInfo::descriptor()->full_name()));
  if (!payload.has_value()) return std::nullopt;
  google::rpc::ResourceInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  return info;
}

// The fields named by the status's google.rpc.BadRequest.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    fields.push_back(violation.field);
  }
  return fields;
}

// "municipalities/<m>".
inline std::string Parent(const std::string& municipality) {
  return absl::StrCat("municipalities/", municipality);
}

// An organisation (or any non-person kind) with areas.
inline rv1::Actor Organisation(rv1::ActorKind kind,
                               const std::string& display_name,
                               std::vector<std::string> areas = {}) {
  rv1::Actor actor;
  actor.set_kind(kind);
  actor.set_display_name(display_name);
  for (std::string& area : areas) actor.add_areas(std::move(area));
  return actor;
}

inline rv1::Actor Volunteer(const std::string& display_name,
                            std::vector<std::string> areas = {}) {
  rv1::Actor actor =
      Organisation(rv1::ACTOR_KIND_VOLUNTEER, display_name, std::move(areas));
  actor.mutable_volunteer()->set_capacity(2);
  return actor;
}

inline rv1::Actor Newcomer(const std::string& first_name,
                           const std::string& family_name,
                           const std::string& area) {
  rv1::Actor actor;
  actor.set_kind(rv1::ACTOR_KIND_NEWCOMER);
  actor.add_areas(area);
  rv1::NewcomerProfile* newcomer = actor.mutable_newcomer();
  newcomer->set_first_name(first_name);
  newcomer->set_family_name(family_name);
  newcomer->add_needs("bank");
  newcomer->mutable_consent()->set_volunteer_contact(true);
  newcomer->mutable_consent()->set_data_sharing(true);
  return actor;
}

inline void AddLanguage(rv1::Actor* actor, const std::string& code,
                        bool mother_tongue) {
  rv1::LanguageSkill* language = actor->add_languages();
  language->set_code(code);
  language->set_proficiency(mother_tongue ? rv1::PROFICIENCY_NATIVE
                                          : rv1::PROFICIENCY_CONVERSATIONAL);
  language->set_mother_tongue(mother_tongue);
}

class RegistryE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { suite_status_ = StartSuite(); }

  static void TearDownTestSuite() {
    service_.reset();
    redis_.reset();
  }

  static absl::Status StartSuite() {
    absl::StatusOr<std::unique_ptr<RedisServer>> redis = RedisServer::Start();
    if (!redis.ok()) return redis.status();
    redis_ = *std::move(redis);
    absl::StatusOr<std::unique_ptr<ServiceProcess>> service =
        ServiceProcess::Start(RegistryOptions());
    if (!service.ok()) return service.status();
    service_ = *std::move(service);
    return absl::OkStatus();
  }

  // The options the suite's service runs with; tests that start a second
  // registry use them too.
  static ServiceProcess::Options RegistryOptions() {
    ServiceProcess::Options options;
    options.binary = ServiceProcess::BinaryPath("registry");
    options.redis_port = redis_->port();
    options.extra_args = {
        absl::StrCat("--drain_timeout=", absl::FormatDuration(kDrainTimeout))};
    return options;
  }

  void SetUp() override {
    ASSERT_TRUE(suite_status_.ok())
        << "the registry could not be started: " << suite_status_;
    ASSERT_TRUE(service_->running())
        << "an earlier test stopped the registry. Log tail:\n"
        << service_->LogTail();
    ASSERT_TRUE(redis_->running()) << "an earlier test stopped redis-server";
    ASSERT_TRUE(redis_->FlushAll().ok());
    stub_ = service_->NewStub<rv1::RegistryService>();

    operator_ = MintTestToken(auth::Role::kOperator, {"*"}, "operator-olivia");
    coordinator_ =
        MintTestToken(auth::Role::kCoordinator, {"aalborg"}, "coordinator-lis");
    caseworker_ =
        MintTestToken(auth::Role::kCaseworker, {"aalborg"}, "caseworker-mette");
    kolding_coordinator_ = MintTestToken(auth::Role::kCoordinator, {"kolding"},
                                         "coordinator-kolding");
    volunteer_ = MintTestToken(auth::Role::kVolunteer, {"aalborg"},
                               "municipalities/aalborg/actors/9999");

    ASSERT_NO_FATAL_FAILURE(
        CreateMunicipality("aalborg", "Aalborg Kommune",
                           {"Aalborg C", "Kærby", "Vejgaard", "Nørresundby"}));
    ASSERT_NO_FATAL_FAILURE(
        CreateMunicipality("kolding", "Kolding Kommune", {"Kolding C"}));
  }

  void TearDown() override {
    if (HasFailure() && service_ != nullptr) {
      std::cerr << "--- registry log tail (" << service_->log_path()
                << ") ---\n"
                << service_->LogTail() << "--- end of registry log ---\n";
    }
  }

  void CreateMunicipality(const std::string& id,
                          const std::string& display_name,
                          const std::vector<std::string>& areas) {
    rv1::CreateMunicipalityRequest request;
    request.set_municipality_id(id);
    request.mutable_municipality()->set_display_name(display_name);
    for (const std::string& area : areas) {
      request.mutable_municipality()->add_areas(area);
    }
    auto created =
        Call(*stub_, &RegistryStub::CreateMunicipality, operator_, request);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  absl::StatusOr<rv1::Actor> CreateActor(const std::string& token,
                                         const std::string& municipality,
                                         const rv1::Actor& actor,
                                         const std::string& request_id = "",
                                         bool allow_duplicate = false) {
    rv1::CreateActorRequest request;
    request.set_parent(Parent(municipality));
    *request.mutable_actor() = actor;
    request.set_request_id(request_id);
    request.set_allow_duplicate(allow_duplicate);
    return Call(*stub_, &RegistryStub::CreateActor, token, request);
  }

  // Creates as the aalborg coordinator and fails the test if it does not
  // work; returns the stored actor.
  rv1::Actor MustCreate(const rv1::Actor& actor,
                        const std::string& municipality = "aalborg") {
    const std::string& token =
        municipality == "kolding" ? kolding_coordinator_ : coordinator_;
    absl::StatusOr<rv1::Actor> created =
        CreateActor(token, municipality, actor);
    EXPECT_TRUE(created.ok())
        << "creating " << actor.display_name() << ": " << created.status();
    return created.ok() ? *created : rv1::Actor();
  }

  absl::StatusOr<rv1::Actor> GetActor(const std::string& token,
                                      const std::string& name) {
    rv1::GetActorRequest request;
    request.set_name(name);
    return Call(*stub_, &RegistryStub::GetActor, token, request);
  }

  absl::StatusOr<rv1::ListActorsResponse> ListActors(
      const std::string& token, const std::string& municipality,
      const std::string& filter = "", int page_size = 0,
      const std::string& page_token = "") {
    rv1::ListActorsRequest request;
    request.set_parent(Parent(municipality));
    request.set_filter(filter);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return Call(*stub_, &RegistryStub::ListActors, token, request);
  }

  // Follows next_page_token to the end (at most 100 pages) and returns the
  // display names in order.
  absl::StatusOr<std::vector<std::string>> ListNames(
      const std::string& token, const std::string& municipality,
      const std::string& filter) {
    std::vector<std::string> names;
    std::string page_token;
    for (int page = 0; page < 100; ++page) {
      absl::StatusOr<rv1::ListActorsResponse> response =
          ListActors(token, municipality, filter, 0, page_token);
      if (!response.ok()) return response.status();
      for (const rv1::Actor& actor : response->actors()) {
        names.push_back(actor.display_name());
      }
      page_token = response->next_page_token();
      if (page_token.empty()) return names;
    }
    return absl::InternalError("ListActors did not end within 100 pages");
  }

  absl::StatusOr<rv1::Actor> UpdateActor(const std::string& token,
                                         const rv1::Actor& actor,
                                         std::vector<std::string> paths) {
    rv1::UpdateActorRequest request;
    *request.mutable_actor() = actor;
    for (std::string& path : paths) {
      request.mutable_update_mask()->add_paths(std::move(path));
    }
    return Call(*stub_, &RegistryStub::UpdateActor, token, request);
  }

  absl::Status DeleteActor(const std::string& token, const std::string& name,
                           const std::string& etag = "") {
    rv1::DeleteActorRequest request;
    request.set_name(name);
    request.set_etag(etag);
    return Call(*stub_, &RegistryStub::DeleteActor, token, request).status();
  }

  // Suite-wide: started once, shared by the suite's tests.
  static inline std::unique_ptr<RedisServer> redis_;
  static inline std::unique_ptr<ServiceProcess> service_;
  static inline absl::Status suite_status_;

  std::unique_ptr<RegistryStub> stub_;
  std::string operator_;
  std::string coordinator_;
  std::string caseworker_;
  std::string kolding_coordinator_;
  std::string volunteer_;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_E2E_REGISTRY_E2E_FIXTURE_H_
