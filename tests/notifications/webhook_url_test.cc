// Which URLs may be registered as webhook endpoints.
#include "services/notifications/webhook_url.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::notifications {
namespace {

using ::testing::HasSubstr;

TEST(WebhookUrlTest, AcceptsHttpsAndLoopbackHttp) {
  for (const char* url : {
           "https://hooks.example.org/brobygger",
           "https://example.org:8443/events?token=abc",
           "HTTPS://Example.org/",
           "http://127.0.0.1:8080/hook",
           "http://127.1.2.3/",
           "http://localhost:3000/webhooks",
           "http://LOCALHOST/",
           "http://[::1]:9000/hook",
       }) {
    EXPECT_TRUE(CheckWebhookUrl(url).ok())
        << url << ": " << CheckWebhookUrl(url);
  }
}

TEST(WebhookUrlTest, RejectsPlainHttpToOtherHosts) {
  for (const char* url : {"http://example.org/hook", "http://10.0.0.1/",
                          "http://127.0.0.1.example.org/", "http://[::2]/",
                          "http://192.168.1.10:8080/"}) {
    const absl::Status status = CheckWebhookUrl(url);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(status.message(), HasSubstr("https://")) << url;
  }
}

TEST(WebhookUrlTest, RejectsOtherSchemesAndUnparseableText) {
  for (const char* url :
       {"", "hooks.example.org/x", "ftp://example.org/", "javascript:alert(1)",
        "file:///etc/passwd", "https://exa mple.org/", "https://example.org/\n",
        "https://example.org/\t", "https://[::1/"}) {
    EXPECT_EQ(CheckWebhookUrl(url).code(), absl::StatusCode::kInvalidArgument)
        << url;
  }
}

TEST(WebhookUrlTest, RejectsUserInformation) {
  for (const char* url :
       {"https://user:secret@example.org/hook", "https://user@example.org/",
        "http://a:b@127.0.0.1/"}) {
    const absl::Status status = CheckWebhookUrl(url);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(status.message(), HasSubstr("user information")) << url;
  }
}

TEST(WebhookUrlTest, RejectsMoreThan2000Characters) {
  const std::string base = "https://example.org/";
  EXPECT_TRUE(
      CheckWebhookUrl(base + std::string(2000 - base.size(), 'a')).ok());
  EXPECT_EQ(CheckWebhookUrl(base + std::string(2001 - base.size(), 'a')).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(WebhookUrlTest, NamesTheField) {
  const std::vector<FieldViolation> violations =
      FieldViolationsOf(CheckWebhookUrl("http://example.org/"));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "url");
}

}  // namespace
}  // namespace brobygger::notifications
