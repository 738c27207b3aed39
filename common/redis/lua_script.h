// A Lua script run with EVALSHA, falling back to EVAL when the server does
// not know it yet (NOSCRIPT, e.g. after a Redis restart or failover).
//
// Multi-key changes (a resource, its indexes and its event) are written by
// one script, so Redis applies all of them or none.
#ifndef BROBYGGER_COMMON_REDIS_LUA_SCRIPT_H_
#define BROBYGGER_COMMON_REDIS_LUA_SCRIPT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_pool.h"

namespace brobygger::redis {

class LuaScript {
 public:
  // `source` is the script body; its SHA1 is computed once here.
  explicit LuaScript(std::string source);

  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }

  // Runs the script. A Redis error raised by the script (redis.error_reply
  // or a runtime error) comes back as a Reply of type kError.
  absl::StatusOr<Reply> Run(RedisPool& pool,
                            const std::vector<std::string>& keys,
                            const std::vector<std::string>& args) const;

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace brobygger::redis

#endif  // BROBYGGER_COMMON_REDIS_LUA_SCRIPT_H_
