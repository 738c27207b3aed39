// The test-token helper is used by every end-to-end test; check that what
// it mints is what a service started with --jwt_public_keys_dir accepts.
#include "tests/support/test_tokens.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::test {
namespace {

using ::testing::ElementsAre;

TEST(TestTokensTest, KeysDirHoldsTheKidPem) {
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(PublicKeysDir()) /
                                      (TestKid() + ".pem")));
}

TEST(TestTokensTest, VerifierFromKeysDirAcceptsMintedToken) {
  auth::VerifierOptions options;
  options.public_keys_dir = PublicKeysDir();
  auto verifier = auth::JwtVerifier::Create(options);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const auto principal = (*verifier)->Verify(
      MintTestToken(auth::Role::kNgoApp, {"aalborg"}, "sys-9",
                    "municipalities/aalborg/actors/7"));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "sys-9");
  EXPECT_EQ(principal->role, auth::Role::kNgoApp);
  EXPECT_THAT(principal->municipalities, ElementsAre("aalborg"));
  EXPECT_EQ(principal->organisation, "municipalities/aalborg/actors/7");
}

TEST(TestTokensTest, LifetimeIsHonoured) {
  const std::string token =
      MintTestToken(auth::Role::kOperator, {"*"}, "", "", absl::Minutes(5));
  auto verifier = TestVerifier();
  ASSERT_NE(verifier, nullptr);
  EXPECT_TRUE(verifier->Verify(token).ok());
  EXPECT_FALSE(verifier->Verify(token, absl::Now() + absl::Minutes(10)).ok());
}

}  // namespace
}  // namespace brobygger::test
