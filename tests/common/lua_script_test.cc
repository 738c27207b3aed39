#include "common/redis/lua_script.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace brobygger::redis {
namespace {

using ::brobygger::test::RedisServer;
using ::testing::HasSubstr;

// Creates a resource with its index entry, or fails without writing
// anything when it exists: validation happens before the first write,
// because Redis does not roll back a script's earlier writes on error.
constexpr char kCreateScript[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('ALREADY_EXISTS ' .. KEYS[1])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return 1
)lua";

class LuaScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    pool_ = std::make_unique<RedisPool>(server_->options());
  }

  Reply MustRun(const Command& command) {
    absl::StatusOr<Reply> reply = pool_->Run(command);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : Reply();
  }

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisPool> pool_;
};

TEST_F(LuaScriptTest, Sha1IsTheOneRedisComputes) {
  LuaScript script("return 1");
  EXPECT_EQ(script.sha1(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(MustRun({"SCRIPT", "LOAD", kCreateScript}).str,
            LuaScript(kCreateScript).sha1());
}

TEST_F(LuaScriptTest, FallsBackToEvalAfterScriptFlush) {
  LuaScript script("return {KEYS[1], ARGV[1]}");
  absl::StatusOr<Reply> first = script.Run(*pool_, {"k"}, {"a"});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->elements.size(), 2u);
  EXPECT_EQ(first->elements[1].str, "a");

  // A restarted or failed-over Redis has an empty script cache.
  MustRun({"SCRIPT", "FLUSH"});
  EXPECT_EQ(MustRun({"SCRIPT", "EXISTS", script.sha1()}).elements[0].integer,
            0);

  absl::StatusOr<Reply> second = script.Run(*pool_, {"k"}, {"b"});
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_FALSE(second->is_error()) << second->str;
  EXPECT_EQ(second->elements[1].str, "b");
  // EVAL cached it again, so later runs hit EVALSHA.
  EXPECT_EQ(MustRun({"SCRIPT", "EXISTS", script.sha1()}).elements[0].integer,
            1);
}

TEST_F(LuaScriptTest, MultiKeyWriteIsAllOrNothing) {
  LuaScript create(kCreateScript);
  absl::StatusOr<Reply> created =
      create.Run(*pool_, {"r:{t}:1", "r:{t}:index"}, {"first", "1"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->integer, 1);
  EXPECT_EQ(MustRun({"GET", "r:{t}:1"}).str, "first");
  EXPECT_EQ(MustRun({"SCARD", "r:{t}:index"}).integer, 1);

  absl::StatusOr<Reply> again =
      create.Run(*pool_, {"r:{t}:1", "r:{t}:index"}, {"second", "other"});
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(again->is_error());
  EXPECT_THAT(again->str, HasSubstr("ALREADY_EXISTS r:{t}:1"));
  EXPECT_EQ(MustRun({"GET", "r:{t}:1"}).str, "first");
  EXPECT_EQ(MustRun({"SCARD", "r:{t}:index"}).integer, 1);
}

TEST_F(LuaScriptTest, ConcurrentCreatesHaveExactlyOneWinner) {
  LuaScript create(kCreateScript);
  std::atomic<int> winners{0};
  std::atomic<int> losers{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      absl::StatusOr<Reply> reply = create.Run(
          *pool_, {"r:{t}:race", "r:{t}:race-index"}, {"v", std::to_string(t)});
      if (reply.ok() && reply->is_integer()) ++winners;
      if (reply.ok() && reply->is_error()) ++losers;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(winners.load(), 1);
  EXPECT_EQ(losers.load(), 7);
  EXPECT_EQ(MustRun({"SCARD", "r:{t}:race-index"}).integer, 1);
}

TEST_F(LuaScriptTest, RuntimeErrorComesBackAsErrorReply) {
  MustRun({"SET", "str", "x"});
  LuaScript script("return redis.call('LPUSH', KEYS[1], 'y')");
  absl::StatusOr<Reply> reply = script.Run(*pool_, {"str"}, {});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_TRUE(reply->is_error());
  EXPECT_THAT(reply->str, HasSubstr("WRONGTYPE"));
}

TEST_F(LuaScriptTest, ArgumentsAreBinarySafe) {
  const std::string value("\0bytes\0\r\n", 9);
  LuaScript script("redis.call('SET', KEYS[1], ARGV[1]) return ARGV[1]");
  absl::StatusOr<Reply> reply = script.Run(*pool_, {"bin"}, {value});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, value);
  EXPECT_EQ(MustRun({"GET", "bin"}).str, value);
}

TEST_F(LuaScriptTest, RedisDownIsUnavailable) {
  ASSERT_TRUE(server_->Kill9().ok());
  LuaScript script("return 1");
  EXPECT_EQ(script.Run(*pool_, {}, {}).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace brobygger::redis
