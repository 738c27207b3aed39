#include "common/redis/redis_pool.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace brobygger::redis {
namespace {

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

// Copies a hiredis reply into our own value type. hiredis bounds the nesting
// depth of replies, so the recursion is bounded too.
Reply ToReply(const redisReply& r) {
  Reply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i) {
        out.elements.push_back(ToReply(*r.element[i]));
      }
      break;
    default:  // REDIS_REPLY_NIL
      out.type = Reply::Type::kNil;
      break;
  }
  return out;
}

// Normalises the options so that a zero or negative setting can never mean
// "wait forever" (hiredis treats a zero timeval as no timeout).
RedisOptions Sanitize(RedisOptions options) {
  using std::chrono::milliseconds;
  options.connect_timeout = std::max(options.connect_timeout, milliseconds(1));
  options.command_timeout = std::max(options.command_timeout, milliseconds(1));
  options.max_connections = std::max(options.max_connections, 1);
  return options;
}

}  // namespace

// One hiredis connection. Used by one thread at a time (the pool hands it
// out exclusively); any hiredis error leaves the context unusable, so the
// caller must then discard it.
class Connection {
 public:
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const RedisOptions& options) {
    const std::string endpoint = absl::StrCat(options.host, ":", options.port);
    redisContext* ctx = redisConnectWithTimeout(
        options.host.c_str(), options.port, ToTimeval(options.connect_timeout));
    if (ctx == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot allocate a Redis connection to ", endpoint));
    }
    auto connection =
        std::unique_ptr<Connection>(new Connection(ctx, endpoint));
    if (ctx->err != 0) return connection->Unreachable("connect");
    if (redisSetTimeout(ctx, ToTimeval(options.command_timeout)) != REDIS_OK ||
        redisEnableKeepAlive(ctx) != REDIS_OK) {
      return connection->Unreachable("socket setup");
    }
    if (!options.password.empty()) {
      auto replies = connection->Execute(
          absl::MakeConstSpan({Command{"AUTH", options.password}}));
      if (!replies.ok()) return replies.status();
      if ((*replies)[0].is_error()) {
        // Not UNAUTHENTICATED: that code would tell our callers that their
        // own credentials are wrong. This is the service's configuration.
        return absl::UnavailableError(absl::StrCat(
            "Redis at ", endpoint, " rejected AUTH (", (*replies)[0].str,
            "); check the redis_password setting"));
      }
    }
    return connection;
  }

  ~Connection() { redisFree(ctx_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends all commands, then reads one reply per command, in order. On a
  // failed status the connection must be discarded.
  absl::StatusOr<std::vector<Reply>> Execute(
      absl::Span<const Command> commands) {
    std::vector<const char*> argv;
    std::vector<size_t> argvlen;
    for (const Command& command : commands) {
      argv.clear();
      argvlen.clear();
      for (const std::string& arg : command) {
        argv.push_back(arg.data());
        argvlen.push_back(arg.size());
      }
      if (redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()),
                                 argv.data(), argvlen.data()) != REDIS_OK) {
        return Failure("send");
      }
    }
    std::vector<Reply> replies;
    replies.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(ctx_, &raw) != REDIS_OK) {
        ReplyPtr discard(static_cast<redisReply*>(raw));
        return Failure("read");
      }
      ReplyPtr reply(static_cast<redisReply*>(raw));
      if (reply == nullptr) return Failure("read");
      replies.push_back(ToReply(*reply));
    }
    return replies;
  }

  // An idle connection has nothing to read. If its socket is readable, the
  // server closed it (restart, idle timeout, CLIENT KILL) or sent data we
  // did not ask for; either way it must not be reused.
  bool LooksAlive() const {
    pollfd pfd{ctx_->fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, 0);
    return ready == 0 || (ready < 0 && errno == EINTR);
  }

 private:
  Connection(redisContext* ctx, std::string endpoint)
      : ctx_(ctx), endpoint_(std::move(endpoint)) {}

  absl::Status Unreachable(absl::string_view step) const {
    return absl::UnavailableError(absl::StrCat(
        "Redis at ", endpoint_, " is unreachable (", step, ": ", ctx_->errstr,
        "); check that it is running and the redis_host/redis_port settings"));
  }

  // Classifies a hiredis failure. With a socket timeout set, a blocking
  // read or write that times out fails with EAGAIN/EWOULDBLOCK.
  absl::Status Failure(absl::string_view step) const {
    const int saved_errno = errno;
    if (ctx_->err == REDIS_ERR_IO &&
        (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK ||
         saved_errno == ETIMEDOUT)) {
      return absl::DeadlineExceededError(
          absl::StrCat("Redis at ", endpoint_,
                       " did not answer within the command "
                       "timeout (",
                       step, "); retry later or raise redis_timeout"));
    }
    if (ctx_->err == REDIS_ERR_IO || ctx_->err == REDIS_ERR_EOF) {
      return Unreachable(step);
    }
    return absl::UnavailableError(absl::StrCat(
        "Redis at ", endpoint_, " connection failed (", step, ": ",
        ctx_->errstr, "); the connection was dropped, retry the request"));
  }

  redisContext* ctx_;
  std::string endpoint_;
};

RedisPool::RedisPool(RedisOptions options)
    : options_(Sanitize(std::move(options))) {}

RedisPool::~RedisPool() = default;

absl::StatusOr<std::unique_ptr<Connection>> RedisPool::Acquire() {
  // Dead idle connections are closed after the lock is released.
  std::vector<std::unique_ptr<Connection>> dead;
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.max_connections;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available),
                              absl::FromChrono(options_.command_timeout))) {
      return absl::DeadlineExceededError(absl::StrCat(
          "all ", options_.max_connections, " Redis connections to ",
          options_.host, ":", options_.port,
          " stayed busy for the command timeout; retry later or raise "
          "redis_pool_size"));
    }
    while (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      if (connection->LooksAlive()) return connection;
      --open_;
      dead.push_back(std::move(connection));
    }
    ++open_;  // reserve the slot while connecting without the lock
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Open(options_);
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return connection;
}

void RedisPool::Release(std::unique_ptr<Connection> connection, bool healthy) {
  absl::MutexLock lock(&mu_);
  if (healthy) {
    idle_.push_back(std::move(connection));
    return;
  }
  --open_;  // the broken connection is closed with `connection`
}

absl::StatusOr<std::vector<Reply>> RedisPool::Pipeline(
    const std::vector<Command>& commands) {
  if (commands.empty()) return std::vector<Reply>{};
  for (const Command& command : commands) {
    if (command.empty()) {
      return absl::InvalidArgumentError(
          "a Redis command needs at least its name; got an empty command");
    }
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection = Acquire();
  if (!connection.ok()) return connection.status();
  absl::StatusOr<std::vector<Reply>> replies = (*connection)->Execute(commands);
  Release(std::move(*connection), replies.ok());
  return replies;
}

absl::StatusOr<Reply> RedisPool::Run(const Command& command) {
  if (command.empty()) {
    return absl::InvalidArgumentError(
        "a Redis command needs at least its name; got an empty command");
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection = Acquire();
  if (!connection.ok()) return connection.status();
  absl::StatusOr<std::vector<Reply>> replies =
      (*connection)->Execute(absl::MakeConstSpan(&command, 1));
  Release(std::move(*connection), replies.ok());
  if (!replies.ok()) return replies.status();
  return std::move((*replies)[0]);
}

absl::Status RedisPool::Ping() {
  absl::StatusOr<Reply> reply = Run({"PING"});
  if (!reply.ok()) return reply.status();
  if (reply->type == Reply::Type::kStatus && reply->str == "PONG") {
    return absl::OkStatus();
  }
  return absl::UnavailableError(
      absl::StrCat("Redis at ", options_.host, ":", options_.port,
                   " answered PING with '", reply->str, "' instead of PONG"));
}

}  // namespace brobygger::redis
