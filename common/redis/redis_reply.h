// A hiredis-free value type for Redis replies, so that code above the
// connection layer never sees redisReply.
#ifndef BROBYGGER_COMMON_REDIS_REDIS_REPLY_H_
#define BROBYGGER_COMMON_REDIS_REDIS_REPLY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace brobygger::redis {

struct Reply {
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };

  Type type = Type::kNil;
  int64_t integer = 0;
  // Bulk string, status text or error text.
  std::string str;
  std::vector<Reply> elements;

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
  bool is_string() const { return type == Type::kString; }
  bool is_integer() const { return type == Type::kInteger; }
  bool is_array() const { return type == Type::kArray; }
};

}  // namespace brobygger::redis

#endif  // BROBYGGER_COMMON_REDIS_REDIS_REPLY_H_
