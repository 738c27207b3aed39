// A pool of hiredis connections shared by all request threads of a service.
//
// Every command has a timeout; a connection that fails (I/O error, timeout,
// protocol error) is discarded and replaced by a fresh one on the next
// acquire, so a Redis restart costs the requests in flight and nothing else.
#ifndef BROBYGGER_COMMON_REDIS_REDIS_POOL_H_
#define BROBYGGER_COMMON_REDIS_REDIS_POOL_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/redis_reply.h"

namespace brobygger::redis {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // AUTH when non-empty
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{2000};
  // Upper bound of open connections; Acquire waits (up to
  // command_timeout) for a free one beyond that.
  int max_connections = 32;
};

// One command: its arguments, binary-safe.
using Command = std::vector<std::string>;

class Connection;  // hiredis context wrapper, defined in redis_pool.cc

class RedisPool {
 public:
  explicit RedisPool(RedisOptions options);
  ~RedisPool();
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  // Runs one command. A Redis error reply (e.g. WRONGTYPE) is returned as a
  // Reply of type kError, not as a failed status; a failed status means the
  // command could not be run (UNAVAILABLE for connection problems,
  // DEADLINE_EXCEEDED for timeouts).
  absl::StatusOr<Reply> Run(const Command& command);

  // Sends all commands in one round trip on one connection and returns
  // their replies in order (pipelining). Not a transaction: wrap the
  // commands in MULTI/EXEC, or use a Lua script, for atomicity.
  absl::StatusOr<std::vector<Reply>> Pipeline(
      const std::vector<Command>& commands);

  // PING with the command timeout; OK iff Redis answered PONG.
  absl::Status Ping();

  const RedisOptions& options() const { return options_; }

 private:
  absl::StatusOr<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> connection, bool healthy);

  RedisOptions options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace brobygger::redis

#endif  // BROBYGGER_COMMON_REDIS_REDIS_POOL_H_
