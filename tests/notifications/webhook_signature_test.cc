// The Brobygger-Signature header: what receivers compute must match what
// we send, and what an attacker or a replay sends must not pass.
#include "services/notifications/webhook_signature.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::notifications {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr absl::string_view kSecret = "whsec_k7Rk1nT2xZ";
constexpr absl::string_view kBody =
    R"({"id":"evt_01","type":"registry.actor.created"})";
const absl::Time kSent = absl::FromUnixSeconds(1700000000);

TEST(WebhookSignatureTest, MatchesAnIndependentlyComputedHmac) {
  // printf '%s' '1700000000.<kBody>' | openssl dgst -sha256 -hmac <kSecret>
  EXPECT_EQ(SignWebhook(kSecret, kSent, kBody),
            "t=1700000000,v1=8b4bcb8e4b60d1f87f8acfbe77da57adaf146aaf8915e7bc"
            "0ec1f8d43d4493fe");
}

TEST(WebhookSignatureTest, DropsFractionsOfSeconds) {
  EXPECT_EQ(SignWebhook(kSecret, kSent + absl::Milliseconds(999), kBody),
            SignWebhook(kSecret, kSent, kBody));
}

TEST(WebhookSignatureTest, VerifiesWhatItSigns) {
  const std::string header = SignWebhook(kSecret, kSent, kBody);
  EXPECT_TRUE(
      VerifyWebhookSignature(kSecret, header, kBody, kSent + absl::Seconds(3))
          .ok());
}

TEST(WebhookSignatureTest, RejectsATamperedBodyOrAnotherSecret) {
  const std::string header = SignWebhook(kSecret, kSent, kBody);
  const absl::Status tampered = VerifyWebhookSignature(
      kSecret, header, R"({"id":"evt_01","type":"registry.actor.deleted"})",
      kSent);
  EXPECT_EQ(tampered.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyWebhookSignature("whsec_other", header, kBody, kSent).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(WebhookSignatureTest, RejectsAChangedTimestamp) {
  // The timestamp is signed: moving it forward to defeat the replay check
  // breaks the signature.
  const std::string header = SignWebhook(kSecret, kSent, kBody);
  std::string moved = header;
  moved.replace(0, 12, "t=1700000600");
  EXPECT_EQ(VerifyWebhookSignature(kSecret, moved, kBody,
                                   absl::FromUnixSeconds(1700000600))
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(WebhookSignatureTest, RejectsStaleAndFarFutureTimestamps) {
  const std::string header = SignWebhook(kSecret, kSent, kBody);
  EXPECT_TRUE(
      VerifyWebhookSignature(kSecret, header, kBody, kSent + absl::Minutes(5))
          .ok());
  const absl::Status stale = VerifyWebhookSignature(
      kSecret, header, kBody, kSent + absl::Minutes(5) + absl::Seconds(1));
  EXPECT_EQ(stale.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(stale.message(), HasSubstr("replayed"));
  EXPECT_EQ(
      VerifyWebhookSignature(kSecret, header, kBody, kSent - absl::Minutes(6))
          .code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, header, kBody,
                                     kSent + absl::Hours(1), absl::Hours(2))
                  .ok());
}

TEST(WebhookSignatureTest, AcceptsAnyOfSeveralV1EntriesDuringRotation) {
  const std::string signed_new = SignWebhook("whsec_new", kSent, kBody);
  const std::string signed_old = SignWebhook("whsec_old", kSent, kBody);
  const std::string both =
      absl::StrCat(signed_old, ",", signed_new.substr(signed_new.find("v1=")));
  EXPECT_TRUE(VerifyWebhookSignature("whsec_new", both, kBody, kSent).ok());
  EXPECT_TRUE(VerifyWebhookSignature("whsec_old", both, kBody, kSent).ok());
  EXPECT_EQ(VerifyWebhookSignature("whsec_x", both, kBody, kSent).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(WebhookSignatureTest, IgnoresUnknownSchemesBesideV1) {
  const std::string header =
      absl::StrCat(SignWebhook(kSecret, kSent, kBody), ",v2=abc");
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, header, kBody, kSent).ok());
}

TEST(WebhookSignatureTest, RejectsMalformedHeaders) {
  const std::string good = SignWebhook(kSecret, kSent, kBody);
  const std::string v1 = good.substr(good.find("v1="));
  const std::string hex = v1.substr(3);
  std::string upper = hex;
  for (char& c : upper) c = absl::ascii_toupper(c);
  for (const std::string& header : {
           std::string(""),
           v1,                                  // no t
           std::string("t=1700000000"),         // no v1
           absl::StrCat("t=1700000000, ", v1),  // space
           absl::StrCat("t=1700000000,t=1700000000,", v1),
           absl::StrCat("t=-1700000000,", v1),
           absl::StrCat("t=17e8,", v1),
           absl::StrCat("t=1700000000,v1=", hex.substr(1)),  // 63 digits
           absl::StrCat("t=1700000000,v1=", upper),
           absl::StrCat("t=1700000000,", v1, ","),  // empty item
           absl::StrCat("t=1700000000;", v1),
           absl::StrCat("t=1700000000,v1", hex),
           absl::StrCat("t=1700000000,V1=", hex),
           absl::StrCat("t=1700000000,", v1, ",", std::string(2000, 'x')),
       }) {
    EXPECT_EQ(VerifyWebhookSignature(kSecret, header, kBody, kSent).code(),
              absl::StatusCode::kInvalidArgument)
        << header;
  }
}

TEST(WebhookSignatureTest, RefusesAnEmptySecret) {
  EXPECT_EQ(
      VerifyWebhookSignature("", SignWebhook("", kSent, kBody), kBody, kSent)
          .code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(WebhookSignatureTest, NewSecretsAre32RandomBytesInBase64Url) {
  const std::string a = NewWebhookSecret();
  const std::string b = NewWebhookSecret();
  EXPECT_THAT(a, MatchesRegex("[A-Za-z0-9_-]{43}"));
  EXPECT_NE(a, b);
  std::string bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(a, &bytes));
  EXPECT_EQ(bytes.size(), 32u);
}

}  // namespace
}  // namespace brobygger::notifications
