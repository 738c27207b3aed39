#include "bench/harness/bench_environment.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/redis/redis_pool.h"

namespace brobygger::bench {
namespace {

// redis-server's pid, for its CPU time (the harness does not expose it).
absl::StatusOr<pid_t> RedisPid(const test::RedisServer& server) {
  redis::RedisPool pool(server.options());
  absl::StatusOr<redis::Reply> info = pool.Run({"INFO", "server"});
  if (!info.ok()) return info.status();
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    if (absl::ConsumePrefix(&line, "process_id:")) {
      int pid = 0;
      if (absl::SimpleAtoi(line, &pid) && pid > 0) return pid;
    }
  }
  return absl::InternalError("INFO server did not name a process_id");
}

}  // namespace

absl::StatusOr<std::unique_ptr<BenchEnvironment>> BenchEnvironment::Create(
    Supervisor* supervisor, const std::string& municipality,
    const std::function<void(const std::string&)>& progress) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(
      tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/brobygger-bench-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, " failed"));
  }
  supervisor->WatchDir(pattern);
  std::unique_ptr<BenchEnvironment> env(
      new BenchEnvironment(supervisor, pattern));
  absl::StatusOr<Tokens> tokens = MakeTokens(env->dir_ + "/keys", municipality);
  if (!tokens.ok()) return tokens.status();
  env->tokens_ = *std::move(tokens);

  progress("starting redis-server");
  absl::StatusOr<std::unique_ptr<test::RedisServer>> redis =
      test::RedisServer::Start();
  if (!redis.ok()) return redis.status();
  env->redis_ = *std::move(redis);
  supervisor->WatchDir(env->redis_->dir());
  absl::StatusOr<pid_t> redis_pid = RedisPid(*env->redis_);
  if (!redis_pid.ok()) return redis_pid.status();
  env->redis_pid_ = *redis_pid;
  supervisor->WatchPid(env->redis_pid_);
  return env;
}

BenchEnvironment::~BenchEnvironment() {
  if (redis_ != nullptr) {
    const std::string redis_dir = redis_->dir();
    redis_.reset();
    supervisor_->ForgetPid(redis_pid_);
    supervisor_->ForgetDir(redis_dir);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
  supervisor_->ForgetDir(dir_);
}

ChildService::Options BenchEnvironment::ServiceOptions(
    absl::string_view name, std::string binary,
    absl::string_view relative_to_bench,
    absl::string_view relative_to_build_dir, bool uses_redis,
    absl::string_view log_level) const {
  ChildService::Options options;
  options.name = std::string(name);
  options.binary = std::move(binary);
  if (options.binary.empty()) {
    options.binary = FindBinary(relative_to_bench, relative_to_build_dir);
  }
  if (uses_redis) {
    options.args = {"--redis_host=127.0.0.1",
                    absl::StrCat("--redis_port=", redis_->port()),
                    absl::StrCat("--jwt_public_keys_dir=", dir_, "/keys")};
  }
  options.args.push_back(absl::StrCat("--log_level=", log_level));
  options.log_path = absl::StrCat(dir_, "/", name, ".log");
  return options;
}

}  // namespace brobygger::bench
