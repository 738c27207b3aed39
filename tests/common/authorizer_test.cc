#include "common/auth/authorizer.h"

#include <memory>
#include <string>

#include "common/auth/principal.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/test/server_context_test_spouse.h"
#include "gtest/gtest.h"
#include "tests/support/test_tokens.h"

namespace brobygger::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A service built at run time (protos/ is the product's API; a test
// service does not belong there): brobygger.test.v1.ThingService with
// GetThing and DeleteThing.
const google::protobuf::ServiceDescriptor* ThingService() {
  static google::protobuf::DescriptorPool* pool = [] {
    google::protobuf::FileDescriptorProto file;
    file.set_name("brobygger/test/v1/thing.proto");
    file.set_package("brobygger.test.v1");
    file.set_syntax("proto3");
    file.add_message_type()->set_name("Request");
    file.add_message_type()->set_name("Response");
    auto* service = file.add_service();
    service->set_name("ThingService");
    for (const char* name : {"GetThing", "DeleteThing"}) {
      auto* method = service->add_method();
      method->set_name(name);
      method->set_input_type(".brobygger.test.v1.Request");
      method->set_output_type(".brobygger.test.v1.Response");
    }
    auto* built = new google::protobuf::DescriptorPool();
    EXPECT_NE(built->BuildFile(file), nullptr);
    return built;
  }();
  return pool->FindServiceByName("brobygger.test.v1.ThingService");
}

std::vector<MethodPolicy> Policies() {
  return {{"GetThing", {Role::kCaseworker, Role::kVolunteer}},
          {"DeleteThing", {Role::kCaseworker}}};
}

std::unique_ptr<Authorizer> MakeAuthorizer() {
  auto authorizer =
      Authorizer::Create(ThingService(), Policies(), test::TestVerifier());
  EXPECT_TRUE(authorizer.ok()) << authorizer.status();
  return authorizer.ok() ? *std::move(authorizer) : nullptr;
}

std::string Bearer(Role role, std::vector<std::string> municipalities,
                   std::string org = "") {
  return "Bearer " +
         test::MintTestToken(role, std::move(municipalities), "", org);
}

Principal MakePrincipal(Role role, std::vector<std::string> municipalities) {
  Principal principal;
  principal.subject = "u";
  principal.role = role;
  principal.municipalities = std::move(municipalities);
  return principal;
}

TEST(AuthorizerCreateTest, AcceptsOnePolicyPerMethod) {
  ASSERT_NE(ThingService(), nullptr);
  EXPECT_TRUE(
      Authorizer::Create(ThingService(), Policies(), test::TestVerifier())
          .ok());
}

TEST(AuthorizerCreateTest, MethodWithoutPolicyFails) {
  const auto authorizer =
      Authorizer::Create(ThingService(), {{"GetThing", {Role::kCaseworker}}},
                         test::TestVerifier());
  EXPECT_EQ(authorizer.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(authorizer.status().message()),
              HasSubstr("without a policy: DeleteThing"));
}

TEST(AuthorizerCreateTest, PolicyForUnknownMethodFails) {
  std::vector<MethodPolicy> policies = Policies();
  policies.push_back({"Frobnicate", {Role::kOperator}});
  const auto authorizer =
      Authorizer::Create(ThingService(), policies, test::TestVerifier());
  EXPECT_EQ(authorizer.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(authorizer.status().message()),
              HasSubstr("Frobnicate"));
}

TEST(AuthorizerCreateTest, DuplicateOrEmptyPolicyFails) {
  std::vector<MethodPolicy> duplicated = Policies();
  duplicated.push_back({"GetThing", {Role::kOperator}});
  EXPECT_EQ(Authorizer::Create(ThingService(), duplicated, test::TestVerifier())
                .status()
                .code(),
            absl::StatusCode::kInternal);
  std::vector<MethodPolicy> empty = Policies();
  empty[1].roles.clear();
  EXPECT_EQ(Authorizer::Create(ThingService(), empty, test::TestVerifier())
                .status()
                .code(),
            absl::StatusCode::kInternal);
}

TEST(AuthorizerCreateTest, NullArgumentsFail) {
  EXPECT_FALSE(
      Authorizer::Create(nullptr, Policies(), test::TestVerifier()).ok());
  EXPECT_FALSE(Authorizer::Create(ThingService(), Policies(), nullptr).ok());
}

TEST(AuthorizeTest, MissingTokenIsUnauthenticated) {
  const auto authorizer = MakeAuthorizer();
  grpc::ServerContext context;
  const auto principal = authorizer->Authorize(context, "GetThing");
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(principal.status().message(),
            "missing bearer token: send 'authorization: Bearer <jwt>' (mint "
            "one with `broctl token`)");
}

TEST(AuthorizeTest, ValidTokenInMetadataAuthorizes) {
  const auto authorizer = MakeAuthorizer();
  grpc::ServerContext context;
  grpc::testing::ServerContextTestSpouse spouse(&context);
  spouse.AddClientMetadata("authorization",
                           Bearer(Role::kCaseworker, {"aalborg"}));
  const auto principal = authorizer->Authorize(context, "DeleteThing");
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->role, Role::kCaseworker);
  EXPECT_EQ(principal->subject, "test-caseworker");
  EXPECT_THAT(principal->municipalities, ElementsAre("aalborg"));
}

TEST(AuthorizeTest, TwoAuthorizationHeadersAreRefused) {
  const auto authorizer = MakeAuthorizer();
  grpc::ServerContext context;
  grpc::testing::ServerContextTestSpouse spouse(&context);
  spouse.AddClientMetadata("authorization",
                           Bearer(Role::kCaseworker, {"aalborg"}));
  spouse.AddClientMetadata("authorization",
                           Bearer(Role::kVolunteer, {"aalborg"}));
  EXPECT_EQ(authorizer->Authorize(context, "GetThing").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(AuthorizeTest, RoleNotAllowedIsPermissionDenied) {
  const auto authorizer = MakeAuthorizer();
  const auto principal = authorizer->AuthorizeHeader(
      Bearer(Role::kVolunteer, {"aalborg"}), "DeleteThing");
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(principal.status().message()),
              HasSubstr("role volunteer may not call DeleteThing"));
  // The same token may call the method its role is allowed.
  EXPECT_TRUE(
      authorizer
          ->AuthorizeHeader(Bearer(Role::kVolunteer, {"aalborg"}), "GetThing")
          .ok());
}

TEST(AuthorizeTest, SchemeIsCaseInsensitive) {
  const auto authorizer = MakeAuthorizer();
  const std::string token = test::MintTestToken(Role::kCaseworker, {"aalborg"});
  EXPECT_TRUE(authorizer->AuthorizeHeader("bearer " + token, "GetThing").ok());
  EXPECT_TRUE(authorizer->AuthorizeHeader("BEARER  " + token, "GetThing").ok());
}

TEST(AuthorizeTest, OtherSchemesAndGarbageAreUnauthenticated) {
  const auto authorizer = MakeAuthorizer();
  const std::string token = test::MintTestToken(Role::kCaseworker, {"aalborg"});
  for (const std::string& header :
       {std::string("Basic dXNlcjpwYXNz"), token, std::string("Bearer"),
        std::string("Bearer "), std::string("Bearertoken"),
        "Bearer " + token + "x", std::string("Bearer a.b.c")}) {
    SCOPED_TRACE(header);
    EXPECT_EQ(authorizer->AuthorizeHeader(header, "GetThing").status().code(),
              absl::StatusCode::kUnauthenticated);
  }
}

TEST(AuthorizeTest, UnknownMethodIsAnInternalError) {
  const auto authorizer = MakeAuthorizer();
  EXPECT_EQ(authorizer
                ->AuthorizeHeader(Bearer(Role::kCaseworker, {"aalborg"}),
                                  "Frobnicate")
                .status()
                .code(),
            absl::StatusCode::kInternal);
}

TEST(RequireMunicipalityTest, OwnMunicipalityIsAllowed) {
  const Principal principal =
      MakePrincipal(Role::kCaseworker, {"aalborg", "lejre"});
  EXPECT_TRUE(RequireMunicipality(principal, "lejre").ok());
}

TEST(RequireMunicipalityTest, OtherMunicipalityIsDeniedWithReason) {
  const Principal principal = MakePrincipal(Role::kCoordinator, {"aalborg"});
  const absl::Status status = RequireMunicipality(principal, "lejre");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(status.message()), HasSubstr("\"lejre\""));
  const auto payload =
      status.GetPayload("type.googleapis.com/google.rpc.ErrorInfo");
  ASSERT_TRUE(payload.has_value());
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(info.ParseFromString(std::string(*payload)));
  EXPECT_EQ(info.reason(), "WRONG_MUNICIPALITY");
}

TEST(RequireMunicipalityTest, WildcardOnlyWidensOperators) {
  const Principal operator_principal = MakePrincipal(Role::kOperator, {"*"});
  EXPECT_TRUE(RequireMunicipality(operator_principal, "lejre").ok());
  EXPECT_FALSE(RequireMunicipality(operator_principal, "").ok());
  const Principal volunteer = MakePrincipal(Role::kVolunteer, {"*"});
  EXPECT_FALSE(volunteer.all_municipalities());
  EXPECT_FALSE(RequireMunicipality(volunteer, "lejre").ok());
  EXPECT_FALSE(RequireMunicipality(volunteer, "*").ok());
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : {Role::kOperator, Role::kCaseworker, Role::kCoordinator,
                    Role::kNgoApp, Role::kVolunteer}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(RoleName(Role::kNgoApp), "ngo_app");
  EXPECT_FALSE(ParseRole("Operator").has_value());
  EXPECT_FALSE(ParseRole("").has_value());
}

}  // namespace
}  // namespace brobygger::auth
