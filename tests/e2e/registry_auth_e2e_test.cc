// End-to-end: authentication and authorisation of the registry. Every
// method needs a valid token; roles and municipalities limit what a caller
// may see and change.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/jwt.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "tests/e2e/registry_e2e_fixture.h"
#include "tests/support/generic_call.h"

namespace brobygger::test {
namespace {

using ::testing::Contains;
using ::testing::Not;

class RegistryAuthE2eTest : public RegistryE2eTest {
 protected:
  absl::StatusCode GetAalborgCode(const std::string& token) {
    rv1::GetMunicipalityRequest request;
    request.set_name("municipalities/aalborg");
    return Call(*stub_, &RegistryStub::GetMunicipality, token, request)
        .status()
        .code();
  }

  std::vector<std::string> ListedNames(const std::string& token) {
    auto page = ListActors(token, "aalborg", "", 1000);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> names;
    if (!page.ok()) return names;
    for (const rv1::Actor& actor : page->actors())
      names.push_back(actor.name());
    return names;
  }
};

TEST_F(RegistryAuthE2eTest, CallsWithoutAValidTokenAreUnauthenticated) {
  // The same call succeeds with a valid token, so only the token differs.
  EXPECT_EQ(GetAalborgCode(coordinator_), absl::StatusCode::kOk);

  EXPECT_EQ(GetAalborgCode(""), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(GetAalborgCode("garbage"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(GetAalborgCode("eyJhbGciOiJub25lIn0.e30."),
            absl::StatusCode::kUnauthenticated);

  // Expired an hour ago (well beyond the verifier's clock-skew leeway).
  auth::Principal principal;
  principal.subject = "coordinator-lis";
  principal.role = auth::Role::kCoordinator;
  principal.municipalities = {"aalborg"};
  auth::MintOptions options;
  options.private_key_pem = TestPrivateKeyPem();
  options.kid = TestKid();
  options.lifetime = absl::Hours(1);
  auto expired =
      auth::MintToken(principal, options, absl::Now() - absl::Hours(2));
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(GetAalborgCode(*expired), absl::StatusCode::kUnauthenticated);

  // Signed by a key the service does not trust, under a trusted key id.
  auto other_key = auth::GenerateKeyPair();
  ASSERT_TRUE(other_key.ok()) << other_key.status();
  options.private_key_pem = other_key->first;
  auto forged = auth::MintToken(principal, options);
  ASSERT_TRUE(forged.ok()) << forged.status();
  EXPECT_EQ(GetAalborgCode(*forged), absl::StatusCode::kUnauthenticated);

  // Issued by someone else.
  options.private_key_pem = TestPrivateKeyPem();
  options.issuer = "someone-else";
  auto foreign_issuer = auth::MintToken(principal, options);
  ASSERT_TRUE(foreign_issuer.ok()) << foreign_issuer.status();
  EXPECT_EQ(GetAalborgCode(*foreign_issuer),
            absl::StatusCode::kUnauthenticated);
}

// Structural: no handler can skip authentication. Every method of the
// service, called without a token and with an empty request, must answer
// UNAUTHENTICATED (a handler that skipped the check would answer
// INVALID_ARGUMENT, NOT_FOUND or even OK).
TEST_F(RegistryAuthE2eTest, EveryMethodRequiresAToken) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          rv1::RegistryService::service_full_name());
  ASSERT_NE(service, nullptr);
  ASSERT_GE(service->method_count(), 20);
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    const std::string path =
        absl::StrCat("/", service->full_name(), "/", method->name());
    absl::StatusOr<std::string> response =
        GenericUnaryCall(service_->channel(), path, "", kCallTimeout);
    EXPECT_EQ(response.status().code(), absl::StatusCode::kUnauthenticated)
        << path << " answered " << response.status();
  }
}

TEST_F(RegistryAuthE2eTest, OnlyOperatorsCreateMunicipalities) {
  rv1::CreateMunicipalityRequest request;
  request.set_municipality_id("vejle");
  request.mutable_municipality()->set_display_name("Vejle Kommune");
  for (const std::string& token : {coordinator_, caseworker_, volunteer_}) {
    auto created =
        Call(*stub_, &RegistryStub::CreateMunicipality, token, request);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kPermissionDenied)
        << created.status();
  }
  auto created =
      Call(*stub_, &RegistryStub::CreateMunicipality, operator_, request);
  EXPECT_TRUE(created.ok()) << created.status();
}

TEST_F(RegistryAuthE2eTest, NoRequestCrossesMunicipalities) {
  const rv1::Actor kolding_club =
      MustCreate(Organisation(rv1::ACTOR_KIND_SPORTS_ASSOCIATION, "Kolding IF",
                              {"Kolding C"}),
                 "kolding");
  ASSERT_FALSE(kolding_club.name().empty());

  // aalborg's coordinator reads, lists, creates, changes and deletes in
  // kolding: all refused.
  auto got = GetActor(coordinator_, kolding_club.name());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kPermissionDenied)
      << got.status();
  auto listed = ListActors(coordinator_, "kolding");
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kPermissionDenied)
      << listed.status();
  auto created = CreateActor(coordinator_, "kolding",
                             Organisation(rv1::ACTOR_KIND_BUSINESS,
                                          "Indtrængende ApS", {"Kolding C"}));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kPermissionDenied)
      << created.status();
  rv1::Actor patch = kolding_club;
  patch.set_display_name("Overtaget IF");
  auto updated = UpdateActor(coordinator_, patch, {"display_name"});
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kPermissionDenied)
      << updated.status();
  EXPECT_EQ(DeleteActor(coordinator_, kolding_club.name()).code(),
            absl::StatusCode::kPermissionDenied);
  rv1::GetMunicipalityRequest get_municipality;
  get_municipality.set_name("municipalities/kolding");
  EXPECT_EQ(Call(*stub_, &RegistryStub::GetMunicipality, coordinator_,
                 get_municipality)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  // Nothing changed in kolding.
  auto kolding = ListActors(kolding_coordinator_, "kolding");
  ASSERT_TRUE(kolding.ok()) << kolding.status();
  ASSERT_EQ(kolding->actors_size(), 1);
  EXPECT_EQ(kolding->actors(0).display_name(), "Kolding IF");
}

TEST_F(RegistryAuthE2eTest, VolunteerCannotReadANewcomer) {
  const rv1::Actor newcomer = MustCreate(Newcomer("Zainab", "Ahmadi", "Kærby"));
  ASSERT_FALSE(newcomer.name().empty());

  auto as_volunteer = GetActor(volunteer_, newcomer.name());
  EXPECT_EQ(as_volunteer.status().code(), absl::StatusCode::kPermissionDenied)
      << as_volunteer.status();

  // The caseworker of the municipality reads it in full.
  auto as_caseworker = GetActor(caseworker_, newcomer.name());
  ASSERT_TRUE(as_caseworker.ok()) << as_caseworker.status();
  EXPECT_EQ(as_caseworker->view(), rv1::DISCLOSURE_VIEW_FULL);
  EXPECT_EQ(as_caseworker->newcomer().family_name(), "Ahmadi");
}

TEST_F(RegistryAuthE2eTest, VolunteerListsNoNewcomers) {
  const rv1::Actor club = MustCreate(
      Organisation(rv1::ACTOR_KIND_SPORTS_ASSOCIATION, "Kærby IF", {"Kærby"}));
  const rv1::Actor newcomer = MustCreate(Newcomer("Zainab", "Ahmadi", "Kærby"));
  ASSERT_FALSE(HasFailure());

  const std::vector<std::string> seen_by_volunteer = ListedNames(volunteer_);
  EXPECT_THAT(seen_by_volunteer, Contains(club.name()));
  EXPECT_THAT(seen_by_volunteer, Not(Contains(newcomer.name())));
  // Also not when asking for newcomers explicitly.
  auto newcomers = ListActors(volunteer_, "aalborg", "kind = NEWCOMER");
  ASSERT_TRUE(newcomers.ok()) << newcomers.status();
  EXPECT_EQ(newcomers->actors_size(), 0);

  const std::vector<std::string> seen_by_coordinator =
      ListedNames(coordinator_);
  EXPECT_THAT(seen_by_coordinator, Contains(club.name()));
  EXPECT_THAT(seen_by_coordinator, Contains(newcomer.name()));
}

TEST_F(RegistryAuthE2eTest, NgoAppCannotRegisterNewcomers) {
  const rv1::Actor red_cross = MustCreate(Organisation(
      rv1::ACTOR_KIND_NGO_BRANCH, "Røde Kors Aalborg", {"Aalborg C"}));
  ASSERT_FALSE(red_cross.name().empty());
  const std::string ngo_app = MintTestToken(auth::Role::kNgoApp, {"aalborg"},
                                            "red-cross-app", red_cross.name());

  rv1::Actor newcomer = Newcomer("Zainab", "Ahmadi", "Kærby");
  newcomer.set_parent(red_cross.name());
  auto refused = CreateActor(ngo_app, "aalborg", newcomer);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied)
      << refused.status();

  // Its own volunteers it may register.
  rv1::Actor volunteer = Volunteer("Hans Jensen", {"Kærby"});
  volunteer.set_parent(red_cross.name());
  auto registered = CreateActor(ngo_app, "aalborg", volunteer);
  EXPECT_TRUE(registered.ok()) << registered.status();

  // Volunteers of another organisation it may not.
  const rv1::Actor church = MustCreate(Organisation(
      rv1::ACTOR_KIND_FAITH_COMMUNITY, "Budolfi Kirke", {"Aalborg C"}));
  rv1::Actor foreign = Volunteer("Karen Nielsen", {"Kærby"});
  foreign.set_parent(church.name());
  auto other_org = CreateActor(ngo_app, "aalborg", foreign);
  EXPECT_EQ(other_org.status().code(), absl::StatusCode::kPermissionDenied)
      << other_org.status();

  auto newcomers = ListActors(coordinator_, "aalborg", "kind = NEWCOMER");
  ASSERT_TRUE(newcomers.ok()) << newcomers.status();
  EXPECT_EQ(newcomers->actors_size(), 0);
}

}  // namespace
}  // namespace brobygger::test
