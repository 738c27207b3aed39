// One webhook delivery attempt end to end against a loopback receiver:
// what the receiver gets (and can verify), and how each answer is judged.
#include "services/notifications/webhook_delivery.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/webhook_signature.h"
#include "tests/support/http_receiver.h"
#include "tests/support/loopback_server.h"

namespace brobygger::notifications {
namespace {

using test::ClosedPort;
using test::HttpReceiver;
using test::ReceivedRequest;
using test::ScriptedResponse;
using ::testing::HasSubstr;

constexpr absl::string_view kSecret =
    "Rk9v_secret-for-tests_0123456789abcdefghij";
constexpr absl::string_view kDeliveryId = "dlv_01HZX3";
constexpr absl::string_view kEventType = "brobygger.matching.v1.MatchProposed";
constexpr absl::string_view kBody =
    R"({"id":"evt_7","type":"brobygger.matching.v1.MatchProposed"})";

WebhookAttempt Attempt(const std::string& url, absl::Time now = absl::Now()) {
  return AttemptWebhookDelivery(url, kSecret, kDeliveryId, kEventType, kBody,
                                now);
}

TEST(WebhookDeliveryTest, TheReceiverGetsTheContractsHeadersAndCanVerify) {
  HttpReceiver receiver;
  const absl::Time now = absl::Now();
  const WebhookAttempt attempt = Attempt(receiver.Url("/brobygger"), now);
  EXPECT_EQ(attempt.outcome, WebhookOutcome::kDelivered);
  EXPECT_EQ(attempt.circuit, CircuitEffect::kSuccess);
  EXPECT_EQ(attempt.reason, "");
  EXPECT_EQ(attempt.status_code, 200);

  ASSERT_EQ(receiver.RequestCount(), 1u);
  const ReceivedRequest received = receiver.Requests()[0];
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.body, kBody);
  EXPECT_EQ(received.Header("content-type"), "application/json");
  EXPECT_EQ(received.Header("brobygger-delivery"), kDeliveryId);
  EXPECT_EQ(received.Header("brobygger-event-type"), kEventType);
  EXPECT_TRUE(VerifyWebhookSignature(kSecret,
                                     received.Header("brobygger-signature"),
                                     received.body, absl::Now())
                  .ok());
  EXPECT_EQ(VerifyWebhookSignature("another secret",
                                   received.Header("brobygger-signature"),
                                   received.body, absl::Now())
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(WebhookDeliveryTest, RetriesKeepTheDeliveryIdButAreSignedAfresh) {
  const absl::Time first = absl::FromUnixSeconds(1700000000);
  const HttpPostRequest a = BuildWebhookRequest(
      "https://example.org/h", kSecret, kDeliveryId, kEventType, kBody, first);
  const HttpPostRequest b =
      BuildWebhookRequest("https://example.org/h", kSecret, kDeliveryId,
                          kEventType, kBody, first + absl::Seconds(64));
  EXPECT_EQ(a.headers,
            decltype(a.headers)({
                {"Content-Type", "application/json"},
                {"Brobygger-Delivery", std::string(kDeliveryId)},
                {"Brobygger-Event-Type", std::string(kEventType)},
                {"Brobygger-Signature", SignWebhook(kSecret, first, kBody)},
            }));
  EXPECT_NE(a.headers[3].second, b.headers[3].second);
  EXPECT_EQ(a.timeout, absl::Seconds(10));
}

TEST(WebhookDeliveryTest, ErrorAnswersAreRetriedAndCountAgainstTheCircuit) {
  HttpReceiver receiver;
  for (int status : {500, 502, 503, 400, 401, 403, 404, 408, 413, 429, 301}) {
    ScriptedResponse response;
    response.status = status;
    response.body = "nope";
    receiver.RespondWith({response});
    const WebhookAttempt attempt = Attempt(receiver.Url());
    EXPECT_EQ(attempt.outcome, WebhookOutcome::kRetry) << status;
    EXPECT_EQ(attempt.circuit, CircuitEffect::kFailure) << status;
    EXPECT_EQ(attempt.status_code, status);
    EXPECT_THAT(attempt.reason, HasSubstr(absl::StrCat("HTTP ", status)));
  }
}

TEST(WebhookDeliveryTest, GoneMeansGiveUp) {
  HttpReceiver receiver;
  receiver.RespondWith({410});
  const WebhookAttempt attempt = Attempt(receiver.Url());
  EXPECT_EQ(attempt.outcome, WebhookOutcome::kGiveUp);
  EXPECT_EQ(attempt.circuit, CircuitEffect::kSuccess);
  EXPECT_THAT(attempt.reason, HasSubstr("410"));
}

TEST(WebhookDeliveryTest, NoAnswerIsRetried) {
  ClosedPort closed;
  const WebhookAttempt attempt =
      Attempt(absl::StrCat("http://127.0.0.1:", closed.port(), "/hook"));
  EXPECT_EQ(attempt.outcome, WebhookOutcome::kRetry);
  EXPECT_EQ(attempt.circuit, CircuitEffect::kFailure);
  EXPECT_EQ(attempt.status_code, 0);
  EXPECT_THAT(attempt.reason, HasSubstr("no answer"));
}

TEST(WebhookDeliveryTest, ATimeoutIsRetried) {
  // The contract's 10 s timeout is too slow for a test: judge the status
  // HttpPost gives for a timeout (http_post_test provokes a real one).
  const WebhookAttempt attempt = ClassifyWebhookAttempt(
      absl::DeadlineExceededError("Operation timed out after 10001 ms"));
  EXPECT_EQ(attempt.outcome, WebhookOutcome::kRetry);
  EXPECT_EQ(attempt.circuit, CircuitEffect::kFailure);
  EXPECT_THAT(attempt.reason, HasSubstr("timed out"));
}

TEST(WebhookDeliveryTest,
     AnUnsendableRequestIsGivenUpWithoutTouchingTheCircuit) {
  HttpReceiver receiver;
  const WebhookAttempt attempt =
      AttemptWebhookDelivery(receiver.Url(), kSecret, "dlv_1\r\nX-Evil: yes",
                             kEventType, kBody, absl::Now());
  EXPECT_EQ(attempt.outcome, WebhookOutcome::kGiveUp);
  EXPECT_EQ(attempt.circuit, CircuitEffect::kNone);
  EXPECT_THAT(attempt.reason, HasSubstr("cannot be sent"));
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

TEST(WebhookDeliveryTest, ReasonsAreOnePrintableBoundedLine) {
  HttpPostResult result;
  result.status_code = 500;
  result.error =
      absl::StrCat("HTTP 500: line\r\nnext \xC3\xA6", std::string(1000, 'x'));
  const WebhookAttempt attempt = ClassifyWebhookAttempt(result);
  EXPECT_LE(attempt.reason.size(), kMaxReasonLength);
  for (char c : attempt.reason) {
    EXPECT_TRUE(c >= 0x20 && c <= 0x7e);
  }
}

}  // namespace
}  // namespace brobygger::notifications
