// HttpPost against a real loopback HTTP server: what arrives, what comes
// back, and how failures to get an answer are reported.
#include "services/notifications/http_post.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/http_receiver.h"
#include "tests/support/loopback_server.h"

namespace brobygger::notifications {
namespace {

using test::ClosedPort;
using test::HttpReceiver;
using test::ReceivedRequest;
using test::ScriptedResponse;
using ::testing::HasSubstr;

ScriptedResponse Answer(int status, std::string body = "") {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpPostRequest Post(std::string url, std::string body = "{}") {
  HttpPostRequest request;
  request.url = std::move(url);
  request.body = std::move(body);
  request.headers = {{"Content-Type", "application/json"}};
  return request;
}

TEST(HttpPostTest, SendsTheBodyAndHeadersAsGiven) {
  HttpReceiver receiver;
  HttpPostRequest request = Post(receiver.Url("/hook?source=brobygger"),
                                 R"({"besked":"Velkommen til Ærø"})");
  request.headers.emplace_back("X-Trace", "abc 123");
  request.headers.emplace_back("X-Empty", "");
  absl::StatusOr<HttpPostResult> result = HttpPost(request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->status_code, 200);
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->error, "");

  ASSERT_EQ(receiver.RequestCount(), 1u);
  const ReceivedRequest received = receiver.Requests()[0];
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.target, "/hook?source=brobygger");
  EXPECT_EQ(received.body, R"({"besked":"Velkommen til Ærø"})");
  EXPECT_EQ(received.Header("content-type"), "application/json");
  EXPECT_EQ(received.Header("x-trace"), "abc 123");
  EXPECT_EQ(received.headers.count("x-empty"), 1u);
  // No "Expect: 100-continue" round trip before the body.
  EXPECT_EQ(received.headers.count("expect"), 0u);
}

TEST(HttpPostTest, ReturnsErrorStatusesAsAnswers) {
  HttpReceiver receiver;
  receiver.RespondWith({Answer(503, "down for\nmaintenance"), Answer(404)});
  absl::StatusOr<HttpPostResult> first = HttpPost(Post(receiver.Url()));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->status_code, 503);
  EXPECT_FALSE(first->ok());
  EXPECT_EQ(first->body, "down for\nmaintenance");
  EXPECT_EQ(first->error, "HTTP 503: down for maintenance");
  absl::StatusOr<HttpPostResult> second = HttpPost(Post(receiver.Url()));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->status_code, 404);
  EXPECT_EQ(second->error, "HTTP 404");
}

TEST(HttpPostTest, KeepsOnlyTheStartOfALongAnswer) {
  HttpReceiver receiver;
  receiver.RespondWith({Answer(500, std::string(10 * 1024, 'x'))});
  absl::StatusOr<HttpPostResult> result = HttpPost(Post(receiver.Url()));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->status_code, 500);
  EXPECT_EQ(result->body.size(), kKeptBodyBytes);
  EXPECT_TRUE(result->body_truncated);
  EXPECT_LT(result->error.size(), 300u);
}

TEST(HttpPostTest, StopsReadingAnEndlessAnswerButKeepsTheStatus) {
  HttpReceiver receiver;
  receiver.RespondWith({Answer(200, std::string(8 * 1024 * 1024, 'x'))});
  absl::StatusOr<HttpPostResult> result = HttpPost(Post(receiver.Url()));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->status_code, 200);
  EXPECT_EQ(result->body.size(), kKeptBodyBytes);
  EXPECT_TRUE(result->body_truncated);
}

TEST(HttpPostTest, DoesNotFollowRedirects) {
  HttpReceiver receiver;
  ScriptedResponse redirect = Answer(302);
  redirect.headers = {{"Location", receiver.Url("/elsewhere")}};
  receiver.RespondWith({redirect});
  absl::StatusOr<HttpPostResult> result = HttpPost(Post(receiver.Url("/hook")));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->status_code, 302);
  EXPECT_FALSE(result->ok());
  EXPECT_THAT(result->error, HasSubstr("not followed"));
  EXPECT_THAT(result->error, HasSubstr("/elsewhere"));
  EXPECT_EQ(receiver.RequestCount(), 1u);
}

TEST(HttpPostTest, ASlowReceiverTimesOut) {
  HttpReceiver receiver;
  ScriptedResponse slow = Answer(200);
  slow.delay = absl::Seconds(30);  // cut short when the receiver stops
  receiver.RespondWith({slow});
  HttpPostRequest request = Post(receiver.Url());
  request.timeout = absl::Milliseconds(300);
  absl::StatusOr<HttpPostResult> result = HttpPost(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded)
      << result.status();
  EXPECT_THAT(result.status().message(), HasSubstr("timed out"));
}

TEST(HttpPostTest, ARefusedConnectionIsUnavailable) {
  ClosedPort closed;
  absl::StatusOr<HttpPostResult> result =
      HttpPost(Post(absl::StrCat("http://127.0.0.1:", closed.port(), "/hook")));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable)
      << result.status();
  EXPECT_THAT(result.status().message(), HasSubstr("127.0.0.1"));
}

TEST(HttpPostTest, AnUnresolvableHostIsUnavailable) {
  // .invalid never resolves (RFC 2606).
  HttpPostRequest request = Post("https://brobygger-test.invalid/hook");
  request.timeout = absl::Seconds(5);
  absl::StatusOr<HttpPostResult> result = HttpPost(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable)
      << result.status();
}

TEST(HttpPostTest, RefusesHeaderValuesThatCouldInjectHeaders) {
  HttpReceiver receiver;
  for (absl::string_view value : {"a\r\nX-Evil: 1", "a\nb", "a\rb"}) {
    HttpPostRequest request = Post(receiver.Url());
    request.headers.emplace_back("Brobygger-Delivery", std::string(value));
    absl::StatusOr<HttpPostResult> result = HttpPost(request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(result.status().message(), HasSubstr("Brobygger-Delivery"));
  }
  HttpPostRequest bad_name = Post(receiver.Url());
  bad_name.headers.emplace_back("X-Evil: 1\r\nX", "v");
  EXPECT_EQ(HttpPost(bad_name).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

TEST(HttpPostTest, SpeaksOnlyHttpAndHttps) {
  for (const char* url :
       {"file:///etc/passwd", "ftp://127.0.0.1:21/x", "gopher://127.0.0.1/x"}) {
    absl::StatusOr<HttpPostResult> result = HttpPost(Post(url));
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << url << ": " << result.status();
  }
}

}  // namespace
}  // namespace brobygger::notifications
