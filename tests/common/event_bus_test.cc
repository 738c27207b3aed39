#include "common/events/event_bus.h"

#include <memory>
#include <regex>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/redis/keys.h"
#include "common/redis/lua_script.h"
#include "gmock/gmock.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace brobygger::events {
namespace {

using ::brobygger::test::RedisServer;
using redis::Reply;
using ::testing::HasSubstr;

google::protobuf::StringValue Payload(const std::string& text) {
  google::protobuf::StringValue payload;
  payload.set_value(text);
  return payload;
}

const EventContext kContext{"registry", "users/42", "req-7"};

TEST(MakeEventTest, FillsTheEnvelope) {
  const absl::Time now = absl::FromUnixNanos(1'700'000'000'123'456'789);
  v1::Event event =
      MakeEvent(kContext, "aalborg", "municipalities/aalborg/actors/12",
                Payload("hello"), now);
  EXPECT_EQ(event.type(), "google.protobuf.StringValue");
  EXPECT_EQ(event.municipality(), "aalborg");
  EXPECT_EQ(event.resource(), "municipalities/aalborg/actors/12");
  EXPECT_EQ(event.source(), "registry");
  EXPECT_EQ(event.caused_by(), "users/42");
  EXPECT_EQ(event.request_id(), "req-7");
  EXPECT_EQ(event.time().seconds(), 1'700'000'000);
  EXPECT_EQ(event.time().nanos(), 123'456'789);
  google::protobuf::StringValue unpacked;
  ASSERT_TRUE(event.payload().UnpackTo(&unpacked));
  EXPECT_EQ(unpacked.value(), "hello");
}

TEST(MakeEventTest, TimeBeforeEpochHasNonNegativeNanos) {
  v1::Event event = MakeEvent(kContext, "aalborg", "r", Payload(""),
                              absl::FromUnixMillis(-1500));
  EXPECT_EQ(event.time().seconds(), -2);
  EXPECT_EQ(event.time().nanos(), 500'000'000);
}

TEST(NewUuidTest, IsRandomVersion4) {
  const std::regex uuid_v4(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = NewUuid();
    ASSERT_TRUE(std::regex_match(id, uuid_v4)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

class EventBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    pool_ = std::make_unique<redis::RedisPool>(server_->options());
  }

  Reply MustRun(const redis::Command& command) {
    absl::StatusOr<Reply> reply = pool_->Run(command);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : Reply();
  }

  const redis::KeySpace keys_{"registry"};
  const std::string stream_ = keys_.EventStream("aalborg");
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<redis::RedisPool> pool_;
};

TEST_F(EventBusTest, PublishWritesIdTypeAndEnvelope) {
  v1::Event event = MakeEvent(kContext, "aalborg", "r/1", Payload("x"));
  ASSERT_TRUE(Publish(*pool_, stream_, event, {}).ok());

  Reply entries = MustRun({"XRANGE", stream_, "-", "+"});
  ASSERT_EQ(entries.elements.size(), 1u);
  const std::vector<Reply>& fields = entries.elements[0].elements[1].elements;
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields[0].str, "id");
  EXPECT_EQ(fields[1].str, event.id());
  EXPECT_EQ(fields[2].str, "type");
  EXPECT_EQ(fields[3].str, "google.protobuf.StringValue");
  EXPECT_EQ(fields[4].str, "event");
  v1::Event stored;
  ASSERT_TRUE(stored.ParseFromString(fields[5].str));
  EXPECT_EQ(stored.SerializeAsString(), event.SerializeAsString());
}

TEST_F(EventBusTest, PublishRejectsBadInput) {
  v1::Event event = MakeEvent(kContext, "aalborg", "r/1", Payload("x"));
  EXPECT_EQ(Publish(*pool_, stream_, event, {0}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Publish(*pool_, "", event, {}).code(),
            absl::StatusCode::kInvalidArgument);
  v1::Event no_id = event;
  no_id.clear_id();
  EXPECT_EQ(Publish(*pool_, stream_, no_id, {}).code(),
            absl::StatusCode::kInvalidArgument);
  MustRun({"SET", "not-a-stream", "x"});
  absl::Status wrong_type = Publish(*pool_, "not-a-stream", event, {});
  EXPECT_EQ(wrong_type.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(wrong_type.message(), HasSubstr("WRONGTYPE"));
  EXPECT_EQ(MustRun({"EXISTS", stream_}).integer, 0);
}

// The store pattern: the change and its event in one script.
constexpr char kCreateWithEvent[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('ALREADY_EXISTS ' .. KEYS[1])
end
redis.call('SET', KEYS[1], ARGV[1])
return publish_event(KEYS[2], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
)lua";

TEST_F(EventBusTest, ScriptWritesChangeAndEventTogether) {
  redis::LuaScript script(absl::StrCat(kLuaPublishEvent, kCreateWithEvent));
  const std::string key = keys_.Key("aalborg", {"actor", "12"});
  v1::Event event = MakeEvent(kContext, "aalborg", "r/12", Payload("v1"));

  absl::StatusOr<Reply> reply =
      script.Run(*pool_, {key, stream_},
                 {"actor-v1", event.id(), event.type(),
                  event.SerializeAsString(), "1000"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_TRUE(reply->is_string()) << reply->str;  // the new entry id
  EXPECT_EQ(MustRun({"GET", key}).str, "actor-v1");
  EXPECT_EQ(MustRun({"XLEN", stream_}).integer, 1);

  // The second create is rejected before any write: neither the value nor
  // the stream changes.
  v1::Event second = MakeEvent(kContext, "aalborg", "r/12", Payload("v2"));
  absl::StatusOr<Reply> rejected =
      script.Run(*pool_, {key, stream_},
                 {"actor-v2", second.id(), second.type(),
                  second.SerializeAsString(), "1000"});
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_TRUE(rejected->is_error());
  EXPECT_EQ(MustRun({"GET", key}).str, "actor-v1");
  EXPECT_EQ(MustRun({"XLEN", stream_}).integer, 1);
}

TEST_F(EventBusTest, MaxLenKeepsTheStreamBounded) {
  constexpr int64_t kMaxLen = 50;
  constexpr int kEvents = 600;
  for (int i = 0; i < kEvents; ++i) {
    v1::Event event = MakeEvent(kContext, "aalborg", "r", Payload("x"));
    ASSERT_TRUE(Publish(*pool_, stream_, event, {kMaxLen}).ok());
  }
  // Approximate trimming removes whole stream nodes (100 entries by
  // default), so the length stays within one node of the bound.
  const int64_t length = MustRun({"XLEN", stream_}).integer;
  EXPECT_GE(length, kMaxLen);
  EXPECT_LE(length, kMaxLen + 100);
}

TEST_F(EventBusTest, PublishedEventSurvivesACrash) {
  v1::Event event = MakeEvent(kContext, "aalborg", "r/1", Payload("x"));
  ASSERT_TRUE(Publish(*pool_, stream_, event, {}).ok());
  ASSERT_TRUE(server_->Kill9().ok());
  ASSERT_TRUE(server_->Restart().ok());
  Reply entries = MustRun({"XRANGE", stream_, "-", "+"});
  ASSERT_EQ(entries.elements.size(), 1u);
  EXPECT_EQ(entries.elements[0].elements[1].elements[1].str, event.id());
}

}  // namespace
}  // namespace brobygger::events
