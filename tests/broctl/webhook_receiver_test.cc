// broctl webhook-receiver, in this process on a free port: signed
// deliveries from the service's own HttpPost are acknowledged, tampered,
// foreign or replayed ones refused, --fail-first makes retries visible,
// and requests it cannot read get the right HTTP error, not a hang.
#ifndef BROBYGGER_BROCTL_WITHOUT_WEBHOOK_RECEIVER

#include "tools/broctl/webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notifications/http_post.h"
#include "services/notifications/webhook_delivery.h"
#include "services/notifications/webhook_signature.h"

namespace brobygger::broctl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;

constexpr char kSecret[] = "Xq3v9d0Jq6fJ0k2c5mA7b8e1r4t6y8u0i2o4p6a8s0d";
constexpr char kEventType[] = "brobygger.catalogue.v1.ActivityPublished";
constexpr char kEvent[] =
    R"({"id":"e-1","type":"brobygger.catalogue.v1.ActivityPublished",)"
    R"("municipality":"aalborg",)"
    R"("resource":"municipalities/aalborg/activities/12"})";

class WebhookReceiverTest : public ::testing::Test {
 protected:
  void Start(int fail_first = 0) {
    WebhookReceiverOptions options;
    options.secret = kSecret;
    options.fail_first = fail_first;
    options.read_timeout = absl::Seconds(10);
    auto receiver = WebhookReceiver::Listen(options, out_, err_);
    ASSERT_TRUE(receiver.ok()) << receiver.status();
    receiver_ = std::move(*receiver);
    ASSERT_GT(receiver_->port(), 0);
    serving_ = std::thread([this] { receiver_->Serve(); });
  }

  void TearDown() override { StopServing(); }

  void StopServing() {
    if (!serving_.joinable()) return;
    receiver_->Stop();
    serving_.join();
  }

  std::string Url() const {
    return absl::StrCat("http://127.0.0.1:", receiver_->port(), "/hook");
  }

  // A delivery as the service sends it, signed with `secret` at `at`.
  int Deliver(absl::string_view delivery_id, absl::string_view body,
              absl::string_view secret = kSecret, absl::Time at = absl::Now()) {
    notifications::HttpPostRequest request = notifications::BuildWebhookRequest(
        Url(), secret, delivery_id, kEventType, body, at);
    return Post(request);
  }

  int Post(const notifications::HttpPostRequest& request) {
    auto result = notifications::HttpPost(request);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->status_code : -1;
  }

  // Stops the receiver (so its output is final) and returns its lines.
  std::vector<Json> Lines() {
    StopServing();
    std::vector<Json> lines;
    std::istringstream text(out_.str());
    for (std::string line; std::getline(text, line);) {
      lines.push_back(Json::parse(line, nullptr, false));
      EXPECT_TRUE(lines.back().is_object()) << line;
    }
    return lines;
  }

  // Sends `request` over a plain socket, then `body_after_continue` once
  // the receiver said "100 Continue" (if given), and returns everything it
  // answered.
  std::string RawExchange(absl::string_view request,
                          absl::string_view body_after_continue = "") {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_GE(fd, 0);
    timeval timeout = {.tv_sec = 10, .tv_usec = 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(receiver_->port()));
    EXPECT_EQ(
        connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    auto send_all = [fd](absl::string_view data) {
      while (!data.empty()) {
        const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return;
        data.remove_prefix(static_cast<size_t>(n));
      }
    };
    std::string answer;
    char buffer[4096];
    send_all(request);
    if (!body_after_continue.empty()) {
      while (answer.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0) break;
        answer.append(buffer, static_cast<size_t>(n));
      }
      send_all(body_after_continue);
    }
    shutdown(fd, SHUT_WR);
    while (true) {
      const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      answer.append(buffer, static_cast<size_t>(n));
    }
    close(fd);
    return answer;
  }

  std::unique_ptr<WebhookReceiver> receiver_;
  std::thread serving_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(WebhookReceiverTest, AcknowledgesASignedDeliveryAndPrintsIt) {
  Start();
  EXPECT_EQ(Deliver("d-1", kEvent), 204);
  const std::vector<Json> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["delivery"], "d-1");
  EXPECT_EQ(lines[0]["attempt"], 1);
  EXPECT_EQ(lines[0]["eventType"], kEventType);
  EXPECT_EQ(lines[0]["eventId"], "e-1");
  EXPECT_EQ(lines[0]["resource"], "municipalities/aalborg/activities/12");
  EXPECT_EQ(lines[0]["path"], "/hook");
  EXPECT_EQ(lines[0]["signature"], "ok");
  EXPECT_FALSE(lines[0].contains("signatureError"));
  EXPECT_EQ(lines[0]["status"], 204);
}

TEST_F(WebhookReceiverTest, RefusesTamperedForeignAndReplayedDeliveries) {
  Start();
  notifications::HttpPostRequest tampered = notifications::BuildWebhookRequest(
      Url(), kSecret, "d-2", kEventType, kEvent, absl::Now());
  tampered.body = absl::StrCat(tampered.body, " ");
  EXPECT_EQ(Post(tampered), 401);
  EXPECT_EQ(Deliver("d-3", kEvent, "another endpoint's secret"), 401);
  EXPECT_EQ(Deliver("d-4", kEvent, kSecret, absl::Now() - absl::Minutes(10)),
            401);
  notifications::HttpPostRequest unsigned_request = tampered;
  unsigned_request.body = kEvent;
  std::erase_if(unsigned_request.headers, [](const auto& header) {
    return header.first == notifications::kSignatureHeader;
  });
  EXPECT_EQ(Post(unsigned_request), 401);

  const std::vector<Json> lines = Lines();
  ASSERT_EQ(lines.size(), 4u);
  for (const Json& line : lines) {
    EXPECT_EQ(line["signature"], "bad") << line;
    EXPECT_EQ(line["status"], 401) << line;
    EXPECT_FALSE(line["signatureError"].get<std::string>().empty()) << line;
    // What the event is about is shown even when it is refused.
    EXPECT_EQ(line["resource"], "municipalities/aalborg/activities/12");
  }
  EXPECT_THAT(lines[3]["signatureError"].get<std::string>(),
              HasSubstr("no Brobygger-Signature"));
}

TEST_F(WebhookReceiverTest, FailFirstAnswers503ThenCountsTheRetry) {
  Start(/*fail_first=*/1);
  EXPECT_EQ(Deliver("d-5", kEvent), 503);
  EXPECT_EQ(Deliver("d-5", kEvent), 204);
  EXPECT_EQ(Deliver("d-6", kEvent), 204);
  const std::vector<Json> lines = Lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["status"], 503);
  EXPECT_EQ(lines[0]["attempt"], 1);
  EXPECT_EQ(lines[1]["status"], 204);
  EXPECT_EQ(lines[1]["attempt"], 2);
  EXPECT_EQ(lines[2]["attempt"], 1);
}

TEST_F(WebhookReceiverTest, ABodyThatIsNotJsonIsStillJudgedBySignature) {
  Start();
  EXPECT_EQ(Deliver("d-7", "not json \xff"), 204);
  const std::vector<Json> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["signature"], "ok");
  EXPECT_EQ(lines[0]["resource"], "");
  EXPECT_TRUE(lines[0].contains("bodyError"));
}

TEST_F(WebhookReceiverTest, HonoursExpectContinue) {
  Start();
  const std::string body = kEvent;
  const std::string signature =
      notifications::SignWebhook(kSecret, absl::Now(), body);
  const std::string answer = RawExchange(
      absl::StrCat("POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: ",
                   body.size(), "\r\nExpect: 100-continue\r\n",
                   "Brobygger-Signature: ", signature, "\r\n\r\n"),
      body);
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204"));
}

TEST_F(WebhookReceiverTest, AnswersWhatItCannotReadWithTheRightStatus) {
  Start();
  EXPECT_THAT(RawExchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 405"));
  EXPECT_THAT(RawExchange("POST / HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 411"));
  EXPECT_THAT(RawExchange("POST / HTTP/1.1\r\nTransfer-Encoding: chunked"
                          "\r\n\r\n1\r\nx\r\n0\r\n\r\n"),
              StartsWith("HTTP/1.1 411"));
  EXPECT_THAT(RawExchange("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n"),
              StartsWith("HTTP/1.1 413"));
  EXPECT_THAT(RawExchange(absl::StrCat(
                  "POST / HTTP/1.1\r\nX-Big: ", std::string(20 * 1024, 'a'),
                  "\r\n\r\n")),
              StartsWith("HTTP/1.1 431"));
  EXPECT_THAT(RawExchange("nonsense\r\n\r\n"), StartsWith("HTTP/1.1 400"));
  // None of them is a delivery.
  EXPECT_TRUE(Lines().empty());
  EXPECT_THAT(err_.str(), HasSubstr("answered 413"));
}

TEST_F(WebhookReceiverTest, ATakenPortIsAClearError) {
  Start();
  WebhookReceiverOptions options;
  options.secret = kSecret;
  options.port = receiver_->port();
  std::ostringstream out;
  auto second = WebhookReceiver::Listen(options, out, out);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(second.status().message()), HasSubstr("--port"));
}

}  // namespace
}  // namespace brobygger::broctl

#endif  // BROBYGGER_BROCTL_WITHOUT_WEBHOOK_RECEIVER
