// Which URLs webhook deliveries may go to.
#include "services/notifications/webhook_url.h"

#include <string>

#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace brobygger::notifications {
namespace {

TEST(WebhookUrlTest, AcceptsHttpsAndLoopbackHttp) {
  for (const char* url : {
           "https://hooks.example.org/brobygger",
           "HTTPS://Hooks.Example.org:8443/a/b?c=d#e",
           "https://example.org",
           "https://[2001:db8::1]:443/hook",
           "https://10.0.0.5/internal",
           "http://127.0.0.1:8080/hook",
           "http://127.200.3.4/",
           "http://localhost/hook",
           "http://LOCALHOST:9000",
           "http://[::1]:9000/hook",
       }) {
    EXPECT_TRUE(CheckWebhookUrl(url, "webhook_endpoint.url").ok()) << url;
  }
}

TEST(WebhookUrlTest, RefusesWhatIsNotEncryptedOrNotAUrl) {
  for (const std::string& url : {
           std::string(""),
           std::string("hooks.example.org/brobygger"),
           std::string("ftp://example.org/"),
           std::string("http://example.org/hook"),
           std::string("http://10.0.0.1/hook"),
           std::string("http://127.0.0.1.evil.example/hook"),
           std::string("http://localhost.evil.example/"),
           std::string("http://[::2]/"),
           std::string("http://0x7f000001/"),
           std::string("https://user:secret@example.org/"),
           std::string("https://user@example.org/"),
           std::string("https:///path"),
           std::string("https://:443/path"),
           std::string("https://example.org:0/"),
           std::string("https://example.org:65536/"),
           std::string("https://example.org:http/"),
           std::string("https://example.org:/"),
           std::string("https://exa mple.org/"),
           std::string("https://example.org/\n"),
           std::string("https://ex%41mple.org/"),
           std::string("https://[::1/"),
           std::string("https://eksempel.dk/æøå"),
           "https://example.org/" + std::string(2000, 'a'),
       }) {
    const absl::Status status = CheckWebhookUrl(url, "webhook_endpoint.url");
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << url;
    const auto violations = FieldViolationsOf(status);
    ASSERT_EQ(violations.size(), 1u) << url;
    EXPECT_EQ(violations[0].field, "webhook_endpoint.url");
  }
}

TEST(WebhookUrlTest, TheLengthLimitIsInclusive) {
  std::string url = "https://example.org/";
  url += std::string(kMaxWebhookUrlLength - url.size(), 'a');
  EXPECT_TRUE(CheckWebhookUrl(url, "url").ok());
  EXPECT_FALSE(CheckWebhookUrl(url + "a", "url").ok());
}

TEST(WebhookUrlTest, KnowsLoopbackHosts) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.255.255.254"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_TRUE(IsLoopbackHost("LocalHost"));
  EXPECT_FALSE(IsLoopbackHost("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("::1")) << "IPv6 is written in brackets";
  EXPECT_FALSE(IsLoopbackHost("[::]"));
  EXPECT_FALSE(IsLoopbackHost("localhost.example.org"));
}

}  // namespace
}  // namespace brobygger::notifications
