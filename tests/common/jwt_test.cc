#include "common/auth/jwt.h"

#include <jwt.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace brobygger::auth {
namespace {

using ::nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kKid[] = "k1";

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

const KeyPair& MainKey() {
  static const KeyPair* key = [] {
    auto pair = GenerateKeyPair();
    EXPECT_TRUE(pair.ok()) << pair.status();
    return new KeyPair{pair->first, pair->second};
  }();
  return *key;
}

const KeyPair& OtherKey() {
  static const KeyPair* key = [] {
    auto pair = GenerateKeyPair();
    EXPECT_TRUE(pair.ok()) << pair.status();
    return new KeyPair{pair->first, pair->second};
  }();
  return *key;
}

std::string B64(const std::string& text) {
  return absl::WebSafeBase64Escape(text);
}

// Signs arbitrary claims and headers with libjwt, so that tests can build
// tokens MintToken would refuse to make.
std::string Sign(const json& claims, jwt_alg_t alg, const std::string& key,
                 const std::string& kid = kKid) {
  jwt_t* jwt = nullptr;
  EXPECT_EQ(jwt_new(&jwt), 0);
  EXPECT_EQ(jwt_add_header(jwt, "kid", kid.c_str()), 0);
  EXPECT_EQ(jwt_add_grants_json(jwt, claims.dump().c_str()), 0);
  EXPECT_EQ(
      jwt_set_alg(jwt, alg, reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())),
      0);
  char* encoded = jwt_encode_str(jwt);
  EXPECT_NE(encoded, nullptr);
  std::string token = encoded == nullptr ? "" : encoded;
  free(encoded);
  jwt_free(jwt);
  return token;
}

absl::Time Now() { return absl::FromUnixSeconds(1800000000); }

json ValidClaims() {
  return {{"sub", "user-7"},
          {"role", "caseworker"},
          {"municipalities", {"aalborg", "lejre"}},
          {"iss", std::string(kDefaultIssuer)},
          {"aud", "brobygger"},
          {"iat", absl::ToUnixSeconds(Now())},
          {"exp", absl::ToUnixSeconds(Now() + absl::Hours(1))}};
}

std::string SignValid(const json& claims) {
  return Sign(claims, JWT_ALG_ES256, MainKey().private_pem);
}

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto verifier = JwtVerifier::FromKeys({{kKid, MainKey().public_pem}},
                                          VerifierOptions());
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }

  void ExpectRejected(const std::string& token, const std::string& why) {
    const absl::StatusOr<Principal> result = verifier_->Verify(token, Now());
    ASSERT_FALSE(result.ok()) << "accepted: " << token;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(why));
  }

  std::unique_ptr<JwtVerifier> verifier_;
};

TEST_F(JwtTest, MintedTokenIsAcceptedWithAllClaims) {
  Principal principal;
  principal.subject = "municipalities/aalborg/actors/42";
  principal.role = Role::kNgoApp;
  principal.municipalities = {"aalborg"};
  principal.organisation = "municipalities/aalborg/actors/7";
  MintOptions options{MainKey().private_pem, kKid};
  options.lifetime = absl::Minutes(10);
  const auto token = MintToken(principal, options, Now());
  ASSERT_TRUE(token.ok()) << token.status();

  const auto verified = verifier_->Verify(*token, Now() + absl::Minutes(1));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->subject, "municipalities/aalborg/actors/42");
  EXPECT_EQ(verified->role, Role::kNgoApp);
  EXPECT_THAT(verified->municipalities, ElementsAre("aalborg"));
  EXPECT_EQ(verified->organisation, "municipalities/aalborg/actors/7");
  EXPECT_EQ(verified->expires, Now() + absl::Minutes(10));
}

TEST_F(JwtTest, HandSignedValidClaimsAreAccepted) {
  const auto verified = verifier_->Verify(SignValid(ValidClaims()), Now());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->role, Role::kCaseworker);
  EXPECT_THAT(verified->municipalities, ElementsAre("aalborg", "lejre"));
  EXPECT_TRUE(verified->organisation.empty());
}

TEST_F(JwtTest, ExpiredTokenIsRejected) {
  json claims = ValidClaims();
  claims["exp"] = absl::ToUnixSeconds(Now() - absl::Minutes(5));
  ExpectRejected(SignValid(claims), "expired");
}

TEST_F(JwtTest, ExpiryWithinLeewayIsAccepted) {
  json claims = ValidClaims();
  claims["exp"] = absl::ToUnixSeconds(Now() - absl::Seconds(10));
  EXPECT_TRUE(verifier_->Verify(SignValid(claims), Now()).ok());
}

TEST_F(JwtTest, CachedTokenStillExpires) {
  const std::string token = SignValid(ValidClaims());
  ASSERT_TRUE(verifier_->Verify(token, Now()).ok());
  ASSERT_TRUE(verifier_->Verify(token, Now()).ok());  // from the cache
  const auto later = verifier_->Verify(token, Now() + absl::Hours(2));
  EXPECT_EQ(later.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(JwtTest, NotBeforeInTheFutureIsRejected) {
  json claims = ValidClaims();
  claims["nbf"] = absl::ToUnixSeconds(Now() + absl::Minutes(10));
  const std::string token = SignValid(claims);
  ExpectRejected(token, "not valid before");
  EXPECT_TRUE(verifier_->Verify(token, Now() + absl::Minutes(11)).ok());
  // Tokens with nbf are not cached, so an earlier clock is checked again.
  ExpectRejected(token, "not valid before");
}

TEST_F(JwtTest, TokenSignedWithAnotherKeyIsRejected) {
  ExpectRejected(Sign(ValidClaims(), JWT_ALG_ES256, OtherKey().private_pem),
                 "signature");
}

TEST_F(JwtTest, UnknownKidIsRejected) {
  ExpectRejected(
      Sign(ValidClaims(), JWT_ALG_ES256, MainKey().private_pem, "retired"),
      "key id \"retired\" is unknown");
}

TEST_F(JwtTest, TamperedPayloadIsRejected) {
  const std::string token = SignValid(ValidClaims());
  const size_t first = token.find('.');
  const size_t second = token.find('.', first + 1);
  json claims = ValidClaims();
  claims["role"] = "operator";
  claims["municipalities"] = {"*"};
  const std::string forged =
      token.substr(0, first + 1) + B64(claims.dump()) + token.substr(second);
  ExpectRejected(forged, "signature");
}

TEST_F(JwtTest, AlgNoneIsRejected) {
  const std::string header = B64(R"({"alg":"none","kid":"k1","typ":"JWT"})");
  const std::string payload = B64(ValidClaims().dump());
  ExpectRejected(header + "." + payload + ".", "algorithm \"none\"");
  ExpectRejected(header + "." + payload + ".c2ln", "algorithm \"none\"");
}

TEST_F(JwtTest, MissingAlgIsRejected) {
  const std::string header = B64(R"({"kid":"k1"})");
  ExpectRejected(header + "." + B64(ValidClaims().dump()) + ".c2ln",
                 "algorithm");
}

TEST_F(JwtTest, Hs256WithThePublicKeyAsSecretIsRejected) {
  // The classic algorithm-confusion attack: the public key is public, so
  // an attacker can HMAC with it. libjwt alone would accept this token.
  ExpectRejected(Sign(ValidClaims(), JWT_ALG_HS256, MainKey().public_pem),
                 "algorithm \"HS256\"");
}

TEST_F(JwtTest, WrongIssuerIsRejected) {
  json claims = ValidClaims();
  claims["iss"] = "someone-else";
  ExpectRejected(SignValid(claims), "iss");
}

TEST_F(JwtTest, WrongAudienceIsRejected) {
  json claims = ValidClaims();
  claims["aud"] = "other-system";
  ExpectRejected(SignValid(claims), "aud");
  claims["aud"] = {"other-system"};
  ExpectRejected(SignValid(claims), "aud");
}

TEST_F(JwtTest, AudienceArrayContainingBrobyggerIsAccepted) {
  json claims = ValidClaims();
  claims["aud"] = {"other-system", "brobygger"};
  EXPECT_TRUE(verifier_->Verify(SignValid(claims), Now()).ok());
}

TEST_F(JwtTest, EveryRequiredClaimIsRequired) {
  for (const char* name :
       {"sub", "role", "municipalities", "exp", "iss", "aud"}) {
    SCOPED_TRACE(name);
    json claims = ValidClaims();
    claims.erase(name);
    ExpectRejected(SignValid(claims), name);
  }
}

TEST_F(JwtTest, EmptySubjectIsRejected) {
  json claims = ValidClaims();
  claims["sub"] = "";
  ExpectRejected(SignValid(claims), "sub");
}

TEST_F(JwtTest, UnknownRoleIsRejected) {
  json claims = ValidClaims();
  claims["role"] = "admin";
  ExpectRejected(SignValid(claims), "role");
}

TEST_F(JwtTest, MunicipalitiesMustBeValidIds) {
  json claims = ValidClaims();
  claims["municipalities"] = json::array();
  ExpectRejected(SignValid(claims), "municipalities");
  claims["municipalities"] = "aalborg";
  ExpectRejected(SignValid(claims), "municipalities");
  claims["municipalities"] = {"Aalborg Kommune"};
  ExpectRejected(SignValid(claims), "municipalities");
  claims["municipalities"] = {1, 2};
  ExpectRejected(SignValid(claims), "municipalities");
}

TEST_F(JwtTest, WildcardOnlyForOperator) {
  json claims = ValidClaims();
  claims["municipalities"] = {"*"};
  ExpectRejected(SignValid(claims), "only for role operator");

  claims["role"] = "operator";
  const auto verified = verifier_->Verify(SignValid(claims), Now());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->all_municipalities());
  EXPECT_TRUE(verified->MayActIn("lejre"));

  claims["municipalities"] = {"*", "aalborg"};
  ExpectRejected(SignValid(claims), "exactly [\"*\"]");
}

TEST_F(JwtTest, NgoAppNeedsOrg) {
  json claims = ValidClaims();
  claims["role"] = "ngo_app";
  ExpectRejected(SignValid(claims), "org");
  claims["org"] = "municipalities/aalborg/actors/7";
  EXPECT_TRUE(verifier_->Verify(SignValid(claims), Now()).ok());
}

TEST_F(JwtTest, MalformedTokensAreRejectedNotCrashing) {
  for (const std::string& token :
       {std::string(""), std::string("abc"), std::string("a.b"),
        std::string("a.b.c.d"), std::string("...."), std::string("%%.%%.%%"),
        B64("[1,2]") + ".e30.c2ln", B64("not json") + ".e30.c2ln",
        std::string(10000, 'a'), std::string("\0\0.\0.\0", 6)}) {
    const auto result = verifier_->Verify(token, Now());
    ASSERT_FALSE(result.ok()) << token;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated);
  }
}

TEST_F(JwtTest, SmallCacheStaysCorrect) {
  VerifierOptions options;
  options.cache_size = 2;
  auto verifier =
      JwtVerifier::FromKeys({{kKid, MainKey().public_pem}}, std::move(options));
  ASSERT_TRUE(verifier.ok());
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 5; ++i) {
      json claims = ValidClaims();
      claims["sub"] = "user-" + std::to_string(i);
      claims["exp"] = absl::ToUnixSeconds(Now() + absl::Minutes(10 + i));
      const auto verified = (*verifier)->Verify(SignValid(claims), Now());
      ASSERT_TRUE(verified.ok()) << verified.status();
      EXPECT_EQ(verified->subject, "user-" + std::to_string(i));
    }
  }
}

TEST(MintTokenTest, RefusesClaimsTheVerifierWouldReject) {
  Principal principal;
  principal.subject = "sys-1";
  principal.role = Role::kNgoApp;
  principal.municipalities = {"aalborg"};
  const auto token =
      MintToken(principal, MintOptions{MainKey().private_pem, kKid}, Now());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(token.status().message()), HasSubstr("org"));
}

TEST(MintTokenTest, RefusesABadPrivateKey) {
  Principal principal;
  principal.subject = "sys-1";
  principal.role = Role::kCaseworker;
  principal.municipalities = {"aalborg"};
  const auto token =
      MintToken(principal, MintOptions{"not a key", kKid}, Now());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
}

class KeyDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "jwt-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& content) {
    std::ofstream(std::filesystem::path(dir_) / name) << content;
  }
  VerifierOptions Options() {
    VerifierOptions options;
    options.public_keys_dir = dir_;
    return options;
  }
  std::string dir_;
};

TEST_F(KeyDirTest, LoadsEveryPemAndSelectsByKid) {
  Write("k1.pem", MainKey().public_pem);
  Write("k2.pem", OtherKey().public_pem);
  Write("README", "not a key");
  auto verifier = JwtVerifier::Create(Options());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_TRUE((*verifier)->Verify(SignValid(ValidClaims()), Now()).ok());
  EXPECT_TRUE((*verifier)
                  ->Verify(Sign(ValidClaims(), JWT_ALG_ES256,
                                OtherKey().private_pem, "k2"),
                           Now())
                  .ok());
}

TEST_F(KeyDirTest, EmptyDirectoryFails) {
  const auto verifier = JwtVerifier::Create(Options());
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(verifier.status().message()),
              HasSubstr("no public keys"));
}

TEST_F(KeyDirTest, MissingDirectoryFails) {
  VerifierOptions options;
  options.public_keys_dir = dir_ + "/nope";
  EXPECT_FALSE(JwtVerifier::Create(options).ok());
}

TEST_F(KeyDirTest, NonKeyPemFails) {
  Write("k1.pem", "hello");
  const auto verifier = JwtVerifier::Create(Options());
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(verifier.status().message()), HasSubstr("k1"));
}

TEST(FromKeysTest, PrivateKeyIsNotAcceptedAsPublicKey) {
  EXPECT_FALSE(
      JwtVerifier::FromKeys({{kKid, MainKey().private_pem}}, VerifierOptions())
          .ok());
}

TEST(FromKeysTest, NoKeysFails) {
  EXPECT_FALSE(JwtVerifier::FromKeys({}, VerifierOptions()).ok());
}

}  // namespace
}  // namespace brobygger::auth
