// A private redis-server for tests: real Redis, no mocks.
//
// Each RedisServer runs /usr/bin/redis-server (override with the environment
// variable BROBYGGER_REDIS_SERVER) on a free loopback port, with its data in
// a fresh temporary directory and the production durability settings
// (AOF on, appendfsync always, no RDB snapshots). Tests can kill it hard
// (Kill9) and start it again on the same port and directory (Restart) to
// check that acknowledged writes survive a crash and that clients reconnect.
//
// Typical use in a fixture:
//
//   class MyTest : public ::testing::Test {
//    protected:
//     void SetUp() override {
//       auto server = RedisServer::Start();
//       ASSERT_TRUE(server.ok()) << server.status();
//       server_ = *std::move(server);
//       pool_ = std::make_unique<redis::RedisPool>(server_->options());
//     }
//     std::unique_ptr<brobygger::test::RedisServer> server_;
//     std::unique_ptr<redis::RedisPool> pool_;
//   };
//
// The server is killed and its directory removed when the object is
// destroyed; if the test process dies, the kernel kills the server too
// (PR_SET_PDEATHSIG), so create servers on a thread that outlives them
// (the test's main thread).
#ifndef BROBYGGER_TESTS_SUPPORT_REDIS_SERVER_H_
#define BROBYGGER_TESTS_SUPPORT_REDIS_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/redis/redis_pool.h"

namespace brobygger::test {

class RedisServer {
 public:
  struct Options {
    // When set, the server requires AUTH with this password (requirepass)
    // and options() carries it.
    std::string password;
    // Extra "--name value" arguments appended to the command line, e.g.
    // {"--maxmemory", "10mb"}.
    std::vector<std::string> extra_args;
  };

  // Starts a server and waits (up to about 5 s) until it answers and has
  // loaded its data. The error says why it did not start, with the tail of
  // the server log.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(Options options);
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start() {
    return Start(Options());
  }

  ~RedisServer();  // SIGKILL if running, then removes the data directory
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  bool running() const { return pid_ > 0; }

  // Connection settings for a RedisPool: 127.0.0.1, port(), the password,
  // connect timeout 1 s, command timeout 2 s.
  redis::RedisOptions options() const;

  // Crash: SIGKILL and reap. The data directory stays for Restart().
  absl::Status Kill9();
  // Clean shutdown: SIGTERM, wait up to 5 s (then SIGKILL).
  absl::Status Stop();
  // Starts the server again on the same port and directory, so the AOF is
  // replayed and acknowledged writes are back. Stops it first if running.
  absl::Status Restart();

  // FLUSHALL, for tests that share one server between cases.
  absl::Status FlushAll();

 private:
  RedisServer(Options options, int port, std::string dir);
  absl::Status Launch();
  absl::Status WaitReady();
  std::string LogTail() const;

  Options options_;
  int port_;
  std::string dir_;
  pid_t pid_ = -1;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_REDIS_SERVER_H_
