// `notifications watch` against a scripted WatchNotifications server in
// this process: one JSON line per message, heartbeats only when asked,
// reconnection with the last cursor after a dropped or silent stream, and
// an end on errors that reconnecting cannot mend.
#include "tools/broctl/inbox_watch.h"

#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "brobygger/notifications/v1/notification_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::notifications::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

constexpr char kInbox[] = "municipalities/aalborg/inboxes/12";

v1::WatchNotificationsResponse Message(const std::string& cursor) {
  v1::WatchNotificationsResponse response;
  response.set_cursor(cursor);
  response.mutable_notification()->set_name(
      absl::StrCat(kInbox, "/notifications/", cursor));
  response.mutable_notification()->set_title(
      absl::StrCat("Ny aktivitet ", cursor));
  return response;
}

v1::WatchNotificationsResponse Heartbeat(const std::string& cursor) {
  v1::WatchNotificationsResponse response;
  response.set_cursor(cursor);
  return response;
}

// What one WatchNotifications call does: send `responses`, then end with
// `end`, or, with `hold`, stay open until the client cancels.
struct CallScript {
  std::vector<v1::WatchNotificationsResponse> responses;
  grpc::Status end = grpc::Status::OK;
  bool hold = false;
};

class ScriptedWatchService final : public v1::NotificationService::Service {
 public:
  explicit ScriptedWatchService(std::vector<CallScript> scripts)
      : scripts_(std::move(scripts)) {}

  grpc::Status WatchNotifications(
      grpc::ServerContext* context,
      const v1::WatchNotificationsRequest* request,
      grpc::ServerWriter<v1::WatchNotificationsResponse>* writer) override {
    CallScript script{.responses = {},
                      .hold = true};  // past the script: open, silent
    {
      absl::MutexLock lock(&mutex_);
      if (requests_.size() < scripts_.size())
        script = scripts_[requests_.size()];
      requests_.push_back(*request);
      auto token = context->client_metadata().find("authorization");
      if (token != context->client_metadata().end()) {
        authorization_ =
            std::string(token->second.data(), token->second.size());
      }
    }
    for (const auto& response : script.responses) writer->Write(response);
    if (!script.hold) return script.end;
    while (!context->IsCancelled()) absl::SleepFor(absl::Milliseconds(5));
    return grpc::Status::CANCELLED;
  }

  std::vector<v1::WatchNotificationsRequest> requests() const {
    absl::MutexLock lock(&mutex_);
    return requests_;
  }
  std::string authorization() const {
    absl::MutexLock lock(&mutex_);
    return authorization_;
  }
  bool WaitForCalls(size_t n) const {
    absl::MutexLock lock(&mutex_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return requests_.size() >= n;
    };
    return mutex_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(10));
  }

 private:
  const std::vector<CallScript> scripts_;
  mutable absl::Mutex mutex_;
  std::vector<v1::WatchNotificationsRequest> requests_ ABSL_GUARDED_BY(mutex_);
  std::string authorization_ ABSL_GUARDED_BY(mutex_);
};

class InboxWatchTest : public ::testing::Test {
 protected:
  void Serve(std::vector<CallScript> scripts) {
    service_ = std::make_unique<ScriptedWatchService>(std::move(scripts));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    address_ = absl::StrCat("127.0.0.1:", port);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now()));
  }

  InboxWatchOptions Options() const {
    InboxWatchOptions options;
    options.inbox = kInbox;
    options.token = "tok";
    options.connect_timeout = absl::Seconds(10);
    // Reconnections need not wait in a test.
    options.first_retry_delay = absl::Milliseconds(1);
    options.max_retry_delay = absl::Milliseconds(10);
    return options;
  }

  grpc::Status Watch(const InboxWatchOptions& options) {
    InboxWatcher watcher(
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()),
        options, out_, err_);
    return watcher.Run();
  }

  // The cursors of the printed lines, each line checked to be one JSON
  // object.
  std::vector<std::string> PrintedCursors() const {
    std::vector<std::string> cursors;
    std::istringstream lines(out_.str());
    for (std::string line; std::getline(lines, line);) {
      const Json json = Json::parse(line, nullptr, false);
      EXPECT_TRUE(json.is_object()) << line;
      if (json.is_object()) cursors.push_back(json.value("cursor", ""));
    }
    return cursors;
  }

  std::unique_ptr<ScriptedWatchService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(InboxWatchTest, ReconnectsWithTheLastCursorAndMissesNothing) {
  Serve({{.responses = {Message("1-0"), Message("2-0")},
          .end = grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting")},
         {.responses = {Message("3-0")}, .hold = true}});
  InboxWatchOptions options = Options();
  options.cursor = "0-5";
  options.count = 3;
  const grpc::Status status = Watch(options);
  ASSERT_TRUE(status.ok()) << status.error_message();

  EXPECT_THAT(PrintedCursors(), ElementsAre("1-0", "2-0", "3-0"));
  const auto requests = service_->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].parent(), kInbox);
  EXPECT_EQ(requests[0].cursor(), "0-5");
  EXPECT_EQ(requests[1].cursor(), "2-0");
  EXPECT_EQ(service_->authorization(), "Bearer tok");
  EXPECT_THAT(err_.str(), HasSubstr("restarting"));
  EXPECT_THAT(err_.str(), HasSubstr("reconnecting"));
  EXPECT_THAT(err_.str(), HasSubstr("from cursor 2-0"));
}

TEST_F(InboxWatchTest, AStreamTheServiceEndsIsReopened) {
  Serve({{.responses = {Message("1-0")}}, {.responses = {Message("2-0")}}});
  InboxWatchOptions options = Options();
  options.count = 2;
  ASSERT_TRUE(Watch(options).ok());
  EXPECT_THAT(PrintedCursors(), ElementsAre("1-0", "2-0"));
  EXPECT_THAT(err_.str(), HasSubstr("closed by the service"));
}

TEST_F(InboxWatchTest, HeartbeatsMoveTheCursorButArePrintedOnlyWhenAsked) {
  const std::vector<CallScript> scripts = {
      {.responses = {Heartbeat("1-0"), Message("2-0"), Heartbeat("2-0")},
       .end = grpc::Status(grpc::StatusCode::UNAVAILABLE, "blip")},
      {.responses = {Message("3-0")}, .hold = true}};
  Serve(scripts);
  InboxWatchOptions options = Options();
  options.count = 2;
  ASSERT_TRUE(Watch(options).ok());
  EXPECT_THAT(PrintedCursors(), ElementsAre("2-0", "3-0"));
  server_->Shutdown(absl::ToChronoTime(absl::Now()));

  out_.str("");
  Serve(scripts);
  options.heartbeats = true;
  ASSERT_TRUE(Watch(options).ok());
  EXPECT_THAT(PrintedCursors(), ElementsAre("1-0", "2-0", "2-0", "3-0"));
}

TEST_F(InboxWatchTest, AGapIsPrintedAndExplained) {
  v1::WatchNotificationsResponse gap = Heartbeat("9-0");
  gap.set_gap(true);
  Serve({{.responses = {gap, Message("10-0")}, .hold = true}});
  InboxWatchOptions options = Options();
  options.count = 1;
  ASSERT_TRUE(Watch(options).ok());
  EXPECT_THAT(PrintedCursors(), ElementsAre("9-0", "10-0"));
  EXPECT_THAT(err_.str(), HasSubstr("notifications inbox list"));
}

TEST_F(InboxWatchTest, ErrorsAboutTheRequestEndTheWatch) {
  Serve({{.responses = {},
          .end = grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                              "not your inbox")}});
  const grpc::Status status = Watch(Options());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(service_->requests().size(), 1u);
  EXPECT_THAT(PrintedCursors(), IsEmpty());
}

TEST_F(InboxWatchTest, ASilentStreamIsTakenAsDropped) {
  // The first stream stays open and says nothing, not even heartbeats.
  Serve({{.responses = {}, .hold = true},
         {.responses = {Message("1-0")}, .hold = true}});
  InboxWatchOptions options = Options();
  options.count = 1;
  options.silence_limit = absl::Milliseconds(200);
  ASSERT_TRUE(Watch(options).ok());
  EXPECT_THAT(PrintedCursors(), ElementsAre("1-0"));
  EXPECT_EQ(service_->requests().size(), 2u);
  EXPECT_THAT(err_.str(), HasSubstr("not even a heartbeat"));
}

TEST_F(InboxWatchTest, StopEndsAWaitingWatchWithoutError) {
  Serve({{.responses = {}, .hold = true}});
  InboxWatcher watcher(
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()),
      Options(), out_, err_);
  grpc::Status status(grpc::StatusCode::UNKNOWN, "not run");
  std::thread run([&] { status = watcher.Run(); });
  ASSERT_TRUE(service_->WaitForCalls(1));
  watcher.Stop();
  run.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(service_->requests().size(), 1u);
  EXPECT_EQ(err_.str(), "");
}

TEST_F(InboxWatchTest, NoServiceIsUnavailableAfterTheConnectTimeout) {
  InboxWatchOptions options = Options();
  options.connect_timeout = absl::Milliseconds(300);
  // Port 1 on loopback: nothing listens there.
  InboxWatcher watcher(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()),
      options, out_, err_);
  const grpc::Status status = watcher.Run();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("could not connect"));
}

}  // namespace
}  // namespace brobygger::broctl
