// CheckedBatch against a real redis-server: a batch whose checks pass
// applies every write; one failed check refuses the whole batch and says
// which check failed.
#include "common/store/checked_batch.h"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "common/events/event_bus.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "tests/support/redis_test.h"

namespace brobygger::store {
namespace {

using Kind = BatchRefusal::Kind;

class CheckedBatchTest : public test::RedisTest {
 protected:
  std::string Get(const std::vector<std::string>& command) {
    auto reply = pool_->Run(command);
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? reply->str : "";
  }
  int64_t Integer(const std::vector<std::string>& command) {
    auto reply = pool_->Run(command);
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? reply->integer : -1;
  }

  static events::v1::Event Event(const std::string& text) {
    google::protobuf::StringValue payload;
    payload.set_value(text);
    return events::MakeEvent({"test", "tester", ""}, "aalborg",
                             "municipalities/aalborg/things/1", payload);
  }
};

TEST_F(CheckedBatchTest, AppliesEveryWriteWhenTheChecksPass) {
  CheckedBatch batch;
  batch.RequireVersion("t:{aalborg}:doc:1", 0);
  batch.RequireBelow("t:{aalborg}:load", "v7", 2);
  batch.PutDocument("t:{aalborg}:doc:1", "data", 1);
  batch.Increment("t:{aalborg}:load", "v7", 1);
  batch.SortedSetAdd("t:{aalborg}:idx", 1, "1");
  batch.HashSet("t:{aalborg}:claims", "newcomer/kind", "1");
  batch.StreamAdd("t:{aalborg}:changes", 1000, "v", "7");
  batch.Publish("t:{aalborg}:events", Event("created"), {1000});
  auto outcome = batch.Run(*pool_);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->applied);
  EXPECT_EQ(Get({"HGET", "t:{aalborg}:doc:1", "d"}), "data");
  EXPECT_EQ(Get({"HGET", "t:{aalborg}:doc:1", "v"}), "1");
  EXPECT_EQ(Get({"HGET", "t:{aalborg}:load", "v7"}), "1");
  EXPECT_EQ(Integer({"ZCARD", "t:{aalborg}:idx"}), 1);
  EXPECT_EQ(Get({"HGET", "t:{aalborg}:claims", "newcomer/kind"}), "1");
  EXPECT_EQ(Integer({"XLEN", "t:{aalborg}:changes"}), 1);
  EXPECT_EQ(Integer({"XLEN", "t:{aalborg}:events"}), 1);
}

TEST_F(CheckedBatchTest, OneFailedCheckRefusesEverything) {
  ASSERT_TRUE(pool_->Run({"HSET", "t:{aalborg}:load", "v7", "2"}).ok());
  CheckedBatch batch;
  batch.RequireVersion("t:{aalborg}:doc:1", 0);
  const int capacity = batch.RequireBelow("t:{aalborg}:load", "v7", 2);
  batch.PutDocument("t:{aalborg}:doc:1", "data", 1);
  batch.Increment("t:{aalborg}:load", "v7", 1);
  batch.Publish("t:{aalborg}:events", Event("created"), {1000});
  auto outcome = batch.Run(*pool_);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_FALSE(outcome->applied);
  EXPECT_EQ(outcome->refusal.check, capacity);
  EXPECT_EQ(outcome->refusal.kind, Kind::kLimitReached);
  EXPECT_EQ(outcome->refusal.current, "2");
  EXPECT_EQ(Integer({"EXISTS", "t:{aalborg}:doc:1"}), 0);
  EXPECT_EQ(Get({"HGET", "t:{aalborg}:load", "v7"}), "2");
  EXPECT_EQ(Integer({"EXISTS", "t:{aalborg}:events"}), 0);
}

TEST_F(CheckedBatchTest, ReportsWhichCheckFailed) {
  ASSERT_TRUE(
      pool_->Run({"HSET", "t:{aalborg}:doc:1", "d", "x", "v", "3"}).ok());
  ASSERT_TRUE(pool_->Run({"HSET", "t:{aalborg}:claims", "c", "9"}).ok());
  ASSERT_TRUE(pool_->Run({"SET", "t:{aalborg}:req", "42"}).ok());
  {
    CheckedBatch batch;
    batch.RequireVersion("t:{aalborg}:doc:1", 2);
    auto outcome = batch.Run(*pool_);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome->refusal.kind, Kind::kVersionChanged);
    EXPECT_EQ(outcome->refusal.current, "3");
  }
  {
    CheckedBatch batch;
    batch.RequireExists("t:{aalborg}:doc:1");
    const int claim = batch.RequireClaimFree("t:{aalborg}:claims", "c", "1");
    auto outcome = batch.Run(*pool_);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome->refusal.check, claim);
    EXPECT_EQ(outcome->refusal.kind, Kind::kClaimed);
    EXPECT_EQ(outcome->refusal.current, "9");
  }
  {
    CheckedBatch batch;
    batch.RequireUnused("t:{aalborg}:req");
    auto outcome = batch.Run(*pool_);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome->refusal.kind, Kind::kReplayed);
    EXPECT_EQ(outcome->refusal.current, "42");
  }
  {
    CheckedBatch batch;
    batch.RequireExists("t:{aalborg}:missing");
    auto outcome = batch.Run(*pool_);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome->refusal.kind, Kind::kMissing);
  }
}

TEST_F(CheckedBatchTest, DecrementToZeroRemovesTheCounter) {
  ASSERT_TRUE(pool_->Run({"HSET", "t:{aalborg}:load", "v7", "1"}).ok());
  CheckedBatch batch;
  batch.Increment("t:{aalborg}:load", "v7", -1);
  batch.HashDeleteIf("t:{aalborg}:claims", "c", "1");
  ASSERT_TRUE(batch.Run(*pool_).ok());
  EXPECT_EQ(Integer({"HEXISTS", "t:{aalborg}:load", "v7"}), 0);
}

TEST_F(CheckedBatchTest, ConcurrentBatchesNeverExceedTheLimit) {
  constexpr int kWriters = 16;
  std::atomic<int> applied{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      CheckedBatch batch;
      batch.RequireBelow("t:{aalborg}:load", "v7", 3);
      batch.Increment("t:{aalborg}:load", "v7", 1);
      batch.SortedSetAdd("t:{aalborg}:taken", i, std::to_string(i));
      auto outcome = batch.Run(*pool_);
      if (outcome.ok() && outcome->applied) ++applied;
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(applied.load(), 3);
  EXPECT_EQ(Get({"HGET", "t:{aalborg}:load", "v7"}), "3");
  EXPECT_EQ(Integer({"ZCARD", "t:{aalborg}:taken"}), 3);
}

TEST_F(CheckedBatchTest, EventTrailsLetAnErasureTakeEventsBack) {
  for (const char* text : {"about her", "about her too"}) {
    CheckedBatch batch;
    batch.Publish("t:{aalborg}:events", Event(text), {1000},
                  "t:{aalborg}:trail:7");
    ASSERT_TRUE(batch.Run(*pool_).ok());
  }
  CheckedBatch other;
  other.Publish("t:{aalborg}:events", Event("about someone else"), {1000});
  ASSERT_TRUE(other.Run(*pool_).ok());
  EXPECT_EQ(Integer({"LLEN", "t:{aalborg}:trail:7"}), 2);

  CheckedBatch erase;
  erase.EraseEventTrail("t:{aalborg}:events", "t:{aalborg}:trail:7");
  ASSERT_TRUE(erase.Run(*pool_).ok());
  EXPECT_EQ(Integer({"XLEN", "t:{aalborg}:events"}), 1)
      << "only the event about someone else stays";
  EXPECT_EQ(Integer({"EXISTS", "t:{aalborg}:trail:7"}), 0);
}

TEST_F(CheckedBatchTest, FewerMembersCountsTheSortedSet) {
  ASSERT_TRUE(
      pool_->Run({"ZADD", "t:{aalborg}:subs", "1", "1", "2", "2"}).ok());
  CheckedBatch full;
  const int limit = full.RequireFewerMembers("t:{aalborg}:subs", 2);
  full.SortedSetAdd("t:{aalborg}:subs", 3, "3");
  auto refused = full.Run(*pool_);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_FALSE(refused->applied);
  EXPECT_EQ(refused->refusal.check, limit);
  EXPECT_EQ(refused->refusal.kind, Kind::kLimitReached);
  EXPECT_EQ(refused->refusal.current, "2");
  EXPECT_EQ(Integer({"ZCARD", "t:{aalborg}:subs"}), 2);

  CheckedBatch room;
  room.RequireFewerMembers("t:{aalborg}:subs", 3);
  room.SortedSetAdd("t:{aalborg}:subs", 3, "3");
  auto applied = room.Run(*pool_);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_TRUE(applied->applied);
  EXPECT_EQ(Integer({"ZCARD", "t:{aalborg}:subs"}), 3);
}

TEST_F(CheckedBatchTest, SetsPlainValuesAndIncrementsCounters) {
  ASSERT_TRUE(pool_->Run({"SET", "t:{aalborg}:version", "4"}).ok());
  CheckedBatch batch;
  batch.Set("t:{aalborg}:secret", "s3cret");
  batch.IncrementCounter("t:{aalborg}:version");
  batch.IncrementCounter("t:{aalborg}:fresh");
  auto outcome = batch.Run(*pool_);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->applied);
  EXPECT_EQ(Get({"GET", "t:{aalborg}:secret"}), "s3cret");
  EXPECT_EQ(Integer({"TTL", "t:{aalborg}:secret"}), -1) << "kept, no expiry";
  EXPECT_EQ(Get({"GET", "t:{aalborg}:version"}), "5");
  EXPECT_EQ(Get({"GET", "t:{aalborg}:fresh"}), "1");

  CheckedBatch refused;
  refused.RequireExists("t:{aalborg}:missing");
  refused.Set("t:{aalborg}:secret", "other");
  refused.IncrementCounter("t:{aalborg}:version");
  ASSERT_TRUE(refused.Run(*pool_).ok());
  EXPECT_EQ(Get({"GET", "t:{aalborg}:secret"}), "s3cret");
  EXPECT_EQ(Get({"GET", "t:{aalborg}:version"}), "5");
}

}  // namespace
}  // namespace brobygger::store
