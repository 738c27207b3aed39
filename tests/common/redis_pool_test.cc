#include "common/redis/redis_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace brobygger::redis {
namespace {

using ::brobygger::test::RedisServer;
using ::testing::HasSubstr;

class RedisPoolTest : public ::testing::Test {
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

TEST_F(RedisPoolTest, ConvertsEveryReplyType) {
  Reply set = MustRun({"SET", "k", "v"});
  EXPECT_EQ(set.type, Reply::Type::kStatus);
  EXPECT_EQ(set.str, "OK");

  Reply get = MustRun({"GET", "k"});
  EXPECT_TRUE(get.is_string());
  EXPECT_EQ(get.str, "v");

  EXPECT_TRUE(MustRun({"GET", "missing"}).is_nil());

  Reply incr = MustRun({"INCRBY", "n", "41"});
  EXPECT_TRUE(incr.is_integer());
  EXPECT_EQ(incr.integer, 41);

  MustRun({"RPUSH", "list", "a", "b", "c"});
  Reply range = MustRun({"LRANGE", "list", "0", "-1"});
  ASSERT_TRUE(range.is_array());
  ASSERT_EQ(range.elements.size(), 3u);
  EXPECT_EQ(range.elements[0].str, "a");
  EXPECT_EQ(range.elements[2].str, "c");

  // Nested arrays (XRANGE: [[id, [field, value]]]).
  MustRun({"XADD", "s", "1-1", "f", "v"});
  Reply xrange = MustRun({"XRANGE", "s", "-", "+"});
  ASSERT_EQ(xrange.elements.size(), 1u);
  EXPECT_EQ(xrange.elements[0].elements[0].str, "1-1");
  EXPECT_EQ(xrange.elements[0].elements[1].elements[1].str, "v");
}

TEST_F(RedisPoolTest, PipelineReturnsRepliesInCommandOrder) {
  std::vector<Command> commands;
  for (int i = 0; i < 200; ++i) commands.push_back({"INCR", "counter"});
  commands.push_back({"GET", "counter"});
  commands.push_back({"LPUSH", "counter", "x"});  // error in the middle
  commands.push_back({"SET", "after", "1"});

  absl::StatusOr<std::vector<Reply>> replies = pool_->Pipeline(commands);
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), commands.size());
  for (int i = 0; i < 200; ++i) EXPECT_EQ((*replies)[i].integer, i + 1);
  EXPECT_EQ((*replies)[200].str, "200");
  EXPECT_TRUE((*replies)[201].is_error());
  EXPECT_EQ((*replies)[202].str, "OK");
  EXPECT_EQ(MustRun({"GET", "after"}).str, "1");

  absl::StatusOr<std::vector<Reply>> none = pool_->Pipeline({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(RedisPoolTest, ValuesAndKeysAreBinarySafe) {
  const std::string key("bin\0key", 7);
  std::string value("a\0b\r\n\0\xff$3\r\n", 12);
  value += std::string(100000, '\0');
  EXPECT_EQ(MustRun({"SET", key, value}).str, "OK");

  Reply got = MustRun({"GET", key});
  EXPECT_EQ(got.str.size(), value.size());
  EXPECT_EQ(got.str, value);
  EXPECT_TRUE(MustRun({"GET", "bin"}).is_nil());  // not cut at the NUL
  EXPECT_EQ(MustRun({"STRLEN", key}).integer,
            static_cast<int64_t>(value.size()));
}

TEST_F(RedisPoolTest, ErrorRepliesAreValuesAndKeepTheConnection) {
  const int64_t client_id = MustRun({"CLIENT", "ID"}).integer;

  MustRun({"SET", "str", "x"});
  Reply wrong_type = MustRun({"LPUSH", "str", "y"});
  EXPECT_TRUE(wrong_type.is_error());
  EXPECT_THAT(wrong_type.str, HasSubstr("WRONGTYPE"));

  Reply unknown = MustRun({"NOSUCHCOMMAND", "a"});
  EXPECT_TRUE(unknown.is_error());
  EXPECT_THAT(unknown.str, HasSubstr("unknown command"));

  // An error reply is not a broken connection: the same one is reused.
  EXPECT_EQ(MustRun({"CLIENT", "ID"}).integer, client_id);
}

TEST_F(RedisPoolTest, EmptyCommandIsInvalidArgument) {
  EXPECT_EQ(pool_->Run({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(pool_->Pipeline({{"PING"}, {}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RedisPoolTest, PingAnswersOk) { EXPECT_TRUE(pool_->Ping().ok()); }

TEST_F(RedisPoolTest, UnavailableWhileDownAndReconnectsAfterRestart) {
  MustRun({"SET", "durable", "yes"});  // leaves an idle pooled connection
  ASSERT_TRUE(server_->Kill9().ok());

  absl::StatusOr<Reply> down = pool_->Run({"GET", "durable"});
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(down.status().message(),
              HasSubstr(absl::StrCat("127.0.0.1:", server_->port())));
  EXPECT_THAT(down.status().message(), HasSubstr("unreachable"));
  EXPECT_EQ(pool_->Ping().code(), absl::StatusCode::kUnavailable);

  ASSERT_TRUE(server_->Restart().ok());
  // The first command after the restart already works: no request is
  // spent on discovering dead pooled connections. The write acknowledged
  // before the crash is back (AOF, appendfsync always).
  absl::StatusOr<Reply> up = pool_->Run({"GET", "durable"});
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_EQ(up->str, "yes");
}

TEST_F(RedisPoolTest, RestartWhileIdleCostsNoRequest) {
  // Several idle pooled connections to the old server process.
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([this] { EXPECT_TRUE(pool_->Ping().ok()); });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(server_->Kill9().ok());
  ASSERT_TRUE(server_->Restart().ok());

  // Dead idle connections are noticed before use, not by failing requests.
  for (int i = 0; i < 8; ++i) {
    absl::Status status = pool_->Ping();
    EXPECT_TRUE(status.ok()) << "request " << i << ": " << status;
  }
}

TEST_F(RedisPoolTest, InFlightConnectionDropIsUnavailableThenRecovers) {
  // Kill the server while a command waits for its reply.
  std::thread killer([this] {
    absl::SleepFor(absl::Milliseconds(200));
    EXPECT_TRUE(server_->Kill9().ok());
  });
  absl::StatusOr<Reply> blocked = pool_->Run({"BLPOP", "queue", "1.5"});
  killer.join();
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kUnavailable);

  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_TRUE(pool_->Ping().ok());
}

TEST_F(RedisPoolTest, SlowReplyIsDeadlineExceededAndPoolStaysUsable) {
  RedisOptions options = server_->options();
  options.command_timeout = std::chrono::milliseconds(200);
  RedisPool pool(options);

  const absl::Time start = absl::Now();
  absl::StatusOr<Reply> slow = pool.Run({"BLPOP", "never", "2"});
  EXPECT_EQ(slow.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));

  // The timed-out connection was discarded; a fresh one answers in order
  // (a reused one would return the late BLPOP reply instead).
  absl::StatusOr<Reply> next = pool.Run({"ECHO", "fresh"});
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->str, "fresh");
}

TEST_F(RedisPoolTest, UnreachablePortFailsFastWithUnavailable) {
  const int port = server_->port();
  ASSERT_TRUE(server_->Kill9().ok());
  RedisOptions options;
  options.port = port;
  RedisPool pool(options);

  const absl::Time start = absl::Now();
  absl::Status status = pool.Ping();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("127.0.0.1:", port)));
  EXPECT_THAT(status.message(), HasSubstr("unreachable"));
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));
}

TEST_F(RedisPoolTest, ConcurrentUseFromEightThreadsIsCorrectAndBounded) {
  RedisOptions options = server_->options();
  options.max_connections = 3;
  RedisPool pool(options);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 150;
  std::atomic<int> failures{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&pool, &failures, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string value = absl::StrCat(t, ":", i);
        absl::StatusOr<std::vector<Reply>> replies =
            pool.Pipeline({{"INCR", "total"},
                           {"SET", absl::StrCat("k", t), value},
                           {"GET", absl::StrCat("k", t)}});
        // Each thread must read back its own value: replies never cross
        // between connections or callers.
        if (!replies.ok() || (*replies)[2].str != value) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(MustRun({"GET", "total"}).str, absl::StrCat(kThreads * kPerThread));
  // At most max_connections from `pool`, plus this fixture's own pool.
  Reply clients = MustRun({"CLIENT", "LIST"});
  const int64_t lines =
      std::count(clients.str.begin(), clients.str.end(), '\n');
  EXPECT_LE(lines, options.max_connections + 1);
}

TEST_F(RedisPoolTest, ExhaustedPoolWaitsForAFreeConnection) {
  RedisOptions options = server_->options();
  options.max_connections = 1;
  RedisPool pool(options);
  std::thread holder([&pool] {
    // Holds the only connection for about 300 ms.
    EXPECT_TRUE(pool.Run({"BLPOP", "q", "0.3"}).ok());
  });
  absl::SleepFor(absl::Milliseconds(50));
  const absl::Time start = absl::Now();
  EXPECT_TRUE(pool.Ping().ok());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(150));
  holder.join();
}

TEST(RedisServerHarnessTest, StopRestartKeepsDataAndFlushAllClears) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  RedisPool pool((*server)->options());
  ASSERT_TRUE(pool.Run({"SET", "k", "v"}).ok());

  ASSERT_TRUE((*server)->Stop().ok());
  EXPECT_FALSE((*server)->running());
  EXPECT_EQ((*server)->Stop().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE((*server)->Restart().ok());
  EXPECT_TRUE((*server)->running());
  EXPECT_EQ(pool.Run({"GET", "k"})->str, "v");

  ASSERT_TRUE((*server)->FlushAll().ok());
  EXPECT_TRUE(pool.Run({"GET", "k"})->is_nil());
}

TEST(RedisPoolAuthTest, AuthenticatesWithPasswordAndRejectsWrongOne) {
  RedisServer::Options server_options;
  server_options.password = "s3cret";
  auto server = RedisServer::Start(server_options);
  ASSERT_TRUE(server.ok()) << server.status();

  RedisPool pool((*server)->options());
  EXPECT_TRUE(pool.Ping().ok());

  RedisOptions wrong = (*server)->options();
  wrong.password = "not-the-password";
  absl::Status rejected = RedisPool(wrong).Ping();
  EXPECT_EQ(rejected.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(rejected.message(), HasSubstr("AUTH"));
  EXPECT_THAT(rejected.message(),
              ::testing::Not(HasSubstr("not-the-password")));

  RedisOptions none = (*server)->options();
  none.password.clear();
  absl::StatusOr<Reply> noauth = RedisPool(none).Run({"GET", "k"});
  ASSERT_TRUE(noauth.ok());
  EXPECT_THAT(noauth->str, HasSubstr("NOAUTH"));
}

}  // namespace
}  // namespace brobygger::redis
