#include "services/notifications/watch_reactor.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "brobygger/notifications/v1/notification_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/notifications/notification_names.h"
#include "services/notifications/watch_hub.h"
#include "tests/notifications/inbox_fixture.h"

namespace brobygger::notifications {
namespace {

using ::testing::HasSubstr;
using Response = v1::WatchNotificationsResponse;

constexpr char kM[] = "aalborg";
constexpr char kInbox[] = "municipalities/aalborg/inboxes/12";

// The service with only WatchNotifications, wired as the real one will be
// (minus authorisation).
class WatchOnlyService final
    : public v1::NotificationService::WithCallbackMethod_WatchNotifications<
          v1::NotificationService::Service> {
 public:
  WatchOnlyService(WatchHub& hub, InboxStore& store)
      : hub_(hub), store_(store) {}

  grpc::ServerWriteReactor<Response>* WatchNotifications(
      grpc::CallbackServerContext* context,
      const v1::WatchNotificationsRequest* request) override {
    absl::StatusOr<ParsedName> inbox =
        ParseInboxName(request->parent(), "parent");
    if (!inbox.ok()) return RejectWatch(inbox.status());
    return StartWatch(hub_, store_, inbox->municipality, inbox->id,
                      request->cursor());
  }

 private:
  WatchHub& hub_;
  InboxStore& store_;
};

// One WatchNotifications call from a real client.
struct ClientWatch {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<Response>> reader;
};

class WatchReactorTest : public InboxTest {
 protected:
  void SetUp() override {
    InboxTest::SetUp();
    WatchHubOptions options;
    options.poll_interval = absl::Milliseconds(5);
    hub_ = std::make_unique<WatchHub>(*inbox_, options);
    hub_->Start();
    service_ = std::make_unique<WatchOnlyService>(*hub_, *inbox_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::NotificationService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    // The order the service uses: hub first, so that the drain is quick.
    if (hub_) hub_->Stop();
    if (server_) server_->Shutdown();
    server_.reset();
    service_.reset();
    hub_.reset();
  }

  std::unique_ptr<ClientWatch> Open(const std::string& parent,
                                    const std::string& cursor) {
    auto watch = std::make_unique<ClientWatch>();
    v1::WatchNotificationsRequest request;
    request.set_parent(parent);
    request.set_cursor(cursor);
    watch->reader = stub_->WatchNotifications(&watch->context, request);
    return watch;
  }

  // Waits until the hub has forgotten every watch (their OnDone ran).
  bool AllWatchesGone() {
    for (int i = 0; i < 2000; ++i) {
      if (hub_->watch_count() == 0) return true;
      absl::SleepFor(absl::Milliseconds(5));
    }
    return false;
  }

  std::unique_ptr<WatchHub> hub_;
  std::unique_ptr<WatchOnlyService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::NotificationService::Stub> stub_;
  int port_ = 0;
};

TEST_F(WatchReactorTest, ReconnectingWithTheLastCursorLosesAndRepeatsNothing) {
  DeliverMany(kM, "12", 3);  // before the watch: not sent
  // "From now" starts with a heartbeat carrying the start, so a client
  // that hangs up before any message still has a cursor.
  std::string cursor;
  {
    auto first = Open(kInbox, "");
    Response response;
    ASSERT_TRUE(first->reader->Read(&response));
    EXPECT_FALSE(response.has_notification());
    cursor = response.cursor();
    first->context.TryCancel();
    while (first->reader->Read(&response)) {
    }
    first->reader->Finish();
  }

  constexpr int kTotal = 150;
  std::vector<std::string> delivered;
  std::thread producer([&] {
    for (int i = 0; i < kTotal; ++i) {
      auto ids = inbox_->Deliver(kM, {Delivery("12", absl::StrCat("Live ", i),
                                               absl::StrCat("live-", i))});
      ASSERT_TRUE(ids.ok()) << ids.status();
      delivered.push_back(ids->front());
    }
  });

  std::vector<std::string> received;
  int calls = 0;
  while (received.size() < kTotal && calls < 100) {
    ++calls;
    auto watch = Open(kInbox, cursor);
    Response response;
    size_t this_call = 0;
    bool cancelled = false;
    while (watch->reader->Read(&response)) {
      cursor = response.cursor();
      if (response.has_notification()) {
        received.push_back(response.cursor());
        EXPECT_EQ(response.notification().name(),
                  absl::StrCat(kInbox, "/notifications/", response.cursor()));
        // Hang up mid-stream; messages already on the way still count.
        if (++this_call == 13 && !cancelled) {
          watch->context.TryCancel();
          cancelled = true;
        }
      }
      if (received.size() == kTotal && !cancelled) {
        watch->context.TryCancel();
        cancelled = true;
      }
    }
    const grpc::Status status = watch->reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED)
        << status.error_message();
  }
  producer.join();
  EXPECT_EQ(received, delivered);
  EXPECT_GT(calls, 5);
  EXPECT_TRUE(AllWatchesGone());
}

TEST_F(WatchReactorTest, ResumesFromACursorWithEveryMessageAfterIt) {
  const std::vector<std::string> ids = DeliverMany(kM, "12", 5);
  auto watch = Open(kInbox, ids[1]);
  std::vector<std::string> cursors;
  Response response;
  while (cursors.size() < 3 && watch->reader->Read(&response)) {
    if (response.has_notification()) cursors.push_back(response.cursor());
  }
  EXPECT_EQ(cursors, std::vector<std::string>(ids.begin() + 2, ids.end()));
  watch->context.TryCancel();
  while (watch->reader->Read(&response)) {
  }
  watch->reader->Finish();
}

TEST_F(WatchReactorTest, RefusesAMalformedCursorNamingIt) {
  DeliverMany(kM, "12", 1);
  for (const char* cursor : {"not-a-cursor", "99999999999999-0"}) {
    auto watch = Open(kInbox, cursor);
    Response response;
    EXPECT_FALSE(watch->reader->Read(&response));
    const grpc::Status status = watch->reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("cursor"));
  }
  auto bad_parent = Open("municipalities/aalborg/actors/12", "");
  Response response;
  EXPECT_FALSE(bad_parent->reader->Read(&response));
  EXPECT_EQ(bad_parent->reader->Finish().error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(AllWatchesGone());
}

TEST_F(WatchReactorTest, ShutdownWithOpenWatchesCompletes) {
  auto first = Open(kInbox, "");
  auto second = Open("municipalities/vejle/inboxes/3", "");
  Response response;
  ASSERT_TRUE(first->reader->Read(&response));  // the start heartbeat
  ASSERT_TRUE(second->reader->Read(&response));
  ASSERT_EQ(hub_->watch_count(), 2u);

  hub_->Stop();
  server_->Shutdown();  // returns once every call is done

  while (first->reader->Read(&response)) {
  }
  const grpc::Status status = first->reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("cursor"));
  while (second->reader->Read(&response)) {
  }
  EXPECT_EQ(second->reader->Finish().error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(WatchReactorTest, ServerShutdownAloneCancelsOpenWatches) {
  auto watch = Open(kInbox, "");
  Response response;
  ASSERT_TRUE(watch->reader->Read(&response));
  // Without the hub stopped first the drain ends at its deadline, which
  // cancels the call; the reactor must finish and leave the hub.
  server_->Shutdown(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(50));
  while (watch->reader->Read(&response)) {
  }
  EXPECT_FALSE(watch->reader->Finish().ok());
  EXPECT_EQ(hub_->watch_count(), 0u);
}

TEST_F(WatchReactorTest, ClientCancelDuringABacklogLeavesNoWatchBehind) {
  DeliverMany(kM, "12", 300);
  for (int i = 0; i < 5; ++i) {
    auto watch = Open(kInbox, "0-0");
    Response response;
    ASSERT_TRUE(watch->reader->Read(&response));
    watch->context.TryCancel();  // while the backlog is being written
    while (watch->reader->Read(&response)) {
    }
    watch->reader->Finish();
  }
  EXPECT_TRUE(AllWatchesGone());
}

}  // namespace
}  // namespace brobygger::notifications
