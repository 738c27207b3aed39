#include "common/events/event_consumer.h"

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/events/event_bus.h"
#include "gmock/gmock.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace brobygger::events {
namespace {

using ::brobygger::test::RedisServer;
using redis::Reply;
using ::testing::HasSubstr;

constexpr char kDeadLetters[] = "notifications:{_global}:deadletter";

// Records what a handler saw; safe to share with the Run thread.
class Recorder {
 public:
  void Add(const ReceivedEvent& received) {
    absl::MutexLock lock(&mu_);
    ++calls_[received.event.id()];
    deliveries_.push_back(received.delivery_count);
  }
  std::map<std::string, int> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  std::vector<int64_t> deliveries() {
    absl::MutexLock lock(&mu_);
    return deliveries_;
  }
  int total() {
    absl::MutexLock lock(&mu_);
    int sum = 0;
    for (const auto& [id, n] : calls_) sum += n;
    return sum;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> deliveries_ ABSL_GUARDED_BY(mu_);
};

// Runs a consumer's Run loop on a thread until destroyed.
class RunningConsumer {
 public:
  RunningConsumer(EventConsumer& consumer, EventConsumer::Handler handler)
      : thread_([&consumer, handler = std::move(handler), this] {
          consumer.Run(handler, stop_);
        }) {}
  ~RunningConsumer() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Polls `done` for up to `timeout`.
template <typename Predicate>
bool WaitFor(Predicate done, absl::Duration timeout = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
}

class EventConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    pool_ = std::make_unique<redis::RedisPool>(server_->options());
  }

  ConsumerOptions Options(const std::string& consumer) const {
    ConsumerOptions options;
    options.group = "notifications";
    options.consumer = consumer;
    options.streams = {stream_};
    options.batch_size = 100;
    options.block = absl::Milliseconds(100);
    options.claim_idle = absl::Milliseconds(300);
    options.max_deliveries = 3;
    options.dead_letter_stream = kDeadLetters;
    return options;
  }

  std::unique_ptr<EventConsumer> NewConsumer(const std::string& name) {
    return std::make_unique<EventConsumer>(
        *pool_, redis::KeySpace("notifications"), Options(name));
  }

  v1::Event PublishOne(const std::string& text = "x") {
    google::protobuf::StringValue payload;
    payload.set_value(text);
    v1::Event event = MakeEvent({"registry", "system", ""}, "aalborg",
                                "municipalities/aalborg/actors/1", payload);
    absl::Status status = Publish(*pool_, stream_, event, {});
    EXPECT_TRUE(status.ok()) << status;
    return event;
  }

  Reply MustRun(const redis::Command& command) {
    absl::StatusOr<Reply> reply = pool_->Run(command);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : Reply();
  }

  int64_t PendingCount() {
    return MustRun({"XPENDING", stream_, "notifications"}).elements[0].integer;
  }

  // The group's last-delivered-id, from XINFO GROUPS.
  std::string LastDeliveredId() {
    Reply groups = MustRun({"XINFO", "GROUPS", stream_});
    if (!groups.is_array() || groups.elements.empty()) return "";
    const std::vector<Reply>& fields = groups.elements[0].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "last-delivered-id") return fields[i + 1].str;
    }
    return "";
  }

  const std::string stream_ =
      redis::KeySpace("registry").EventStream("aalborg");
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<redis::RedisPool> pool_;
};

TEST_F(EventConsumerTest, ReadsPublishedEventsInOrder) {
  auto consumer = NewConsumer("a");
  ASSERT_TRUE(consumer->EnsureGroups().ok());
  ASSERT_TRUE(consumer->EnsureGroups().ok());  // BUSYGROUP is fine
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(PublishOne().id());

  absl::StatusOr<std::vector<ReceivedEvent>> batch = consumer->ReadBatch();
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->size(), 5u);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ((*batch)[i].event.id(), ids[i]);
    EXPECT_EQ((*batch)[i].stream, stream_);
    EXPECT_EQ((*batch)[i].delivery_count, 1);
  }
  for (const ReceivedEvent& received : *batch) {
    ASSERT_TRUE(consumer->Ack(received).ok());
  }
  EXPECT_EQ(PendingCount(), 0);

  // Nothing new: the read blocks for `block` and returns empty.
  const absl::Time start = absl::Now();
  batch = consumer->ReadBatch();
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_TRUE(batch->empty());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(90));
}

TEST_F(EventConsumerTest, CrashedConsumersEntriesAreReclaimedAndProcessedOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(PublishOne().id());

  std::set<std::string> handled_by_a;
  {
    auto a = NewConsumer("a");
    ASSERT_TRUE(a->EnsureGroups().ok());
    absl::StatusOr<std::vector<ReceivedEvent>> batch = a->ReadBatch();
    ASSERT_TRUE(batch.ok()) << batch.status();
    ASSERT_EQ(batch->size(), 20u);
    // A finishes five events, then dies without acking the rest.
    for (int i = 0; i < 5; ++i) {
      handled_by_a.insert((*batch)[i].event.id());
      ASSERT_TRUE(a->Ack((*batch)[i]).ok());
    }
  }
  EXPECT_EQ(PendingCount(), 15);

  auto b = NewConsumer("b");
  Recorder recorder;
  {
    RunningConsumer running(*b, [&recorder](const ReceivedEvent& received) {
      recorder.Add(received);
      return absl::OkStatus();
    });
    ASSERT_TRUE(WaitFor([&] { return recorder.total() >= 15; }));
    absl::SleepFor(absl::Milliseconds(800));  // room for wrong redeliveries
  }
  std::map<std::string, int> calls = recorder.calls();
  EXPECT_EQ(calls.size(), 15u);
  for (const std::string& id : ids) {
    const int by_b = calls.count(id) ? calls[id] : 0;
    EXPECT_EQ(by_b + static_cast<int>(handled_by_a.count(id)), 1) << id;
  }
  for (int64_t delivery : recorder.deliveries()) EXPECT_EQ(delivery, 2);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventConsumerTest, RestartedConsumerReadsItsOwnPendingFirst) {
  auto options = Options("a");
  options.claim_idle = absl::Hours(1);  // so only the own-pending path works
  const v1::Event first = PublishOne();
  {
    EventConsumer before(*pool_, redis::KeySpace("notifications"), options);
    ASSERT_TRUE(before.EnsureGroups().ok());
    ASSERT_EQ(before.ReadBatch()->size(), 1u);  // then "crashes"
  }
  const v1::Event second = PublishOne();
  EventConsumer after(*pool_, redis::KeySpace("notifications"), options);
  absl::StatusOr<std::vector<ReceivedEvent>> batch = after.ReadBatch();
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_EQ((*batch)[0].event.id(), first.id());
  EXPECT_GE((*batch)[0].delivery_count, 1);
  EXPECT_EQ((*batch)[1].event.id(), second.id());
}

TEST_F(EventConsumerTest, AlreadyProcessedEventIsSkippedOnRedelivery) {
  auto consumer = NewConsumer("a");
  ASSERT_TRUE(consumer->EnsureGroups().ok());
  const v1::Event event = PublishOne();
  absl::StatusOr<std::vector<ReceivedEvent>> batch = consumer->ReadBatch();
  ASSERT_TRUE(batch.ok() && batch->size() == 1u);
  EXPECT_FALSE(*consumer->AlreadyProcessed((*batch)[0]));
  ASSERT_TRUE(consumer->Ack((*batch)[0]).ok());
  EXPECT_TRUE(*consumer->AlreadyProcessed((*batch)[0]));

  // The marker expires with processed_ttl (7 days by default).
  const std::string marker =
      redis::KeySpace("notifications")
          .Key("aalborg", {"processed", "notifications", event.id()});
  const int64_t ttl = MustRun({"TTL", marker}).integer;
  EXPECT_GT(ttl, 7 * 24 * 3600 - 60);
  EXPECT_LE(ttl, 7 * 24 * 3600);

  // The same event arrives again (a producer retried its publish): the
  // handler is not called, and the entry is acknowledged anyway.
  ASSERT_TRUE(Publish(*pool_, stream_, event, {}).ok());
  Recorder recorder;
  {
    RunningConsumer running(*consumer, [&recorder](const ReceivedEvent& r) {
      recorder.Add(r);
      return absl::OkStatus();
    });
    const std::string last_entry =
        MustRun({"XREVRANGE", stream_, "+", "-", "COUNT", "1"})
            .elements[0]
            .elements[0]
            .str;
    ASSERT_TRUE(WaitFor([&] {
      return LastDeliveredId() == last_entry && PendingCount() == 0;
    }));
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(recorder.total(), 0);
  EXPECT_EQ(PendingCount(), 0);
}

TEST_F(EventConsumerTest, RepeatedFailureEndsInDeadLetterStream) {
  const v1::Event event = PublishOne();
  auto consumer = NewConsumer("a");
  std::atomic<int> attempts{0};
  {
    RunningConsumer running(*consumer, [&attempts](const ReceivedEvent&) {
      ++attempts;
      return absl::UnavailableError("downstream mail server is down");
    });
    ASSERT_TRUE(WaitFor([&] {
      return MustRun({"XLEN", kDeadLetters}).integer == 1;
    }));
    absl::SleepFor(absl::Milliseconds(700));  // no attempt after dead-letter
  }
  EXPECT_EQ(attempts.load(), 3);
  EXPECT_EQ(PendingCount(), 0);

  Reply entries = MustRun({"XRANGE", kDeadLetters, "-", "+"});
  ASSERT_EQ(entries.elements.size(), 1u);
  std::map<std::string, std::string> fields;
  const std::vector<Reply>& raw = entries.elements[0].elements[1].elements;
  for (size_t i = 0; i + 1 < raw.size(); i += 2)
    fields[raw[i].str] = raw[i + 1].str;
  EXPECT_EQ(fields["stream"], stream_);
  EXPECT_FALSE(fields["entry_id"].empty());
  EXPECT_THAT(fields["error"], HasSubstr("downstream mail server is down"));
  v1::Event dead;
  ASSERT_TRUE(dead.ParseFromString(fields["event"]));
  EXPECT_EQ(dead.id(), event.id());
}

TEST_F(EventConsumerTest, MalformedEntriesAreDeadLetteredImmediately) {
  auto consumer = NewConsumer("a");
  ASSERT_TRUE(consumer->EnsureGroups().ok());
  MustRun({"XADD", stream_, "*", "foo", "bar"});
  const v1::Event good = PublishOne();
  MustRun({"XADD", stream_, "*", "event", std::string("\xff\xff\xff", 3)});

  absl::StatusOr<std::vector<ReceivedEvent>> batch = consumer->ReadBatch();
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->size(), 1u);
  EXPECT_EQ((*batch)[0].event.id(), good.id());
  EXPECT_EQ(MustRun({"XLEN", kDeadLetters}).integer, 2);
  EXPECT_EQ(PendingCount(), 1);  // only the good one, until acked
}

TEST_F(EventConsumerTest, EventSurvivesRedisCrashAndGroupKeepsItsPlace) {
  auto consumer = NewConsumer("a");
  ASSERT_TRUE(consumer->EnsureGroups().ok());
  PublishOne();
  absl::StatusOr<std::vector<ReceivedEvent>> first = consumer->ReadBatch();
  ASSERT_TRUE(first.ok() && first->size() == 1u);
  ASSERT_TRUE(consumer->Ack((*first)[0]).ok());
  const v1::Event unread = PublishOne();

  ASSERT_TRUE(server_->Kill9().ok());
  EXPECT_EQ(consumer->ReadBatch().status().code(),
            absl::StatusCode::kUnavailable);
  ASSERT_TRUE(server_->Restart().ok());

  absl::StatusOr<std::vector<ReceivedEvent>> after = consumer->ReadBatch();
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].event.id(), unread.id());
}

TEST_F(EventConsumerTest, RunLoopRecoversFromRedisRestart) {
  auto consumer = NewConsumer("a");
  Recorder recorder;
  RunningConsumer running(*consumer, [&recorder](const ReceivedEvent& r) {
    recorder.Add(r);
    return absl::OkStatus();
  });
  const v1::Event before = PublishOne();
  ASSERT_TRUE(
      WaitFor([&] { return recorder.calls().count(before.id()) == 1; }));

  ASSERT_TRUE(server_->Kill9().ok());
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_TRUE(server_->Restart().ok());
  const v1::Event after = PublishOne();
  EXPECT_TRUE(WaitFor([&] { return recorder.calls().count(after.id()) == 1; }));
  EXPECT_EQ(recorder.calls()[before.id()], 1);
}

TEST_F(EventConsumerTest, InvalidOptionsAreRejected) {
  ConsumerOptions options = Options("a");
  options.block = absl::Seconds(5);  // longer than the command timeout
  EventConsumer consumer(*pool_, redis::KeySpace("notifications"), options);
  absl::Status status = consumer.EnsureGroups();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("block"));

  options = Options("a");
  options.dead_letter_stream.clear();
  EventConsumer no_dead_letters(*pool_, redis::KeySpace("notifications"),
                                options);
  EXPECT_THAT(no_dead_letters.ReadBatch().status().message(),
              HasSubstr("dead_letter_stream"));
}

}  // namespace
}  // namespace brobygger::events
