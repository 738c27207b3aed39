// What every benchmark run sets up before it starts services: a private
// directory (token key, server logs), the run's bearer tokens, and a
// private redis-server with the production durability settings (AOF on,
// appendfsync always). All of it is removed at the end, and by the
// supervisor if the run is aborted.
#ifndef BROBYGGER_BENCH_HARNESS_BENCH_ENVIRONMENT_H_
#define BROBYGGER_BENCH_HARNESS_BENCH_ENVIRONMENT_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/harness/child_service.h"
#include "bench/harness/supervisor.h"
#include "bench/harness/tokens.h"
#include "tests/support/redis_server.h"

namespace brobygger::bench {

class BenchEnvironment {
 public:
  // Creates the directory and the tokens (for `municipality`), then
  // starts redis-server; `progress` is told before the slow step.
  static absl::StatusOr<std::unique_ptr<BenchEnvironment>> Create(
      Supervisor* supervisor, const std::string& municipality,
      const std::function<void(const std::string&)>& progress);

  ~BenchEnvironment();  // stops redis-server, removes the directory
  BenchEnvironment(const BenchEnvironment&) = delete;
  BenchEnvironment& operator=(const BenchEnvironment&) = delete;

  const Tokens& tokens() const { return tokens_; }
  const test::RedisServer& redis() const { return *redis_; }
  pid_t redis_pid() const { return redis_pid_; }

  // Options to start a binary of this tree (`binary`, or if empty the one
  // found by FindBinary) logging into the private directory. With
  // `uses_redis`, it gets the flags of a Brobygger service: the private
  // Redis and the token key directory. Every server gets `log_level`.
  ChildService::Options ServiceOptions(absl::string_view name,
                                       std::string binary,
                                       absl::string_view relative_to_bench,
                                       absl::string_view relative_to_build_dir,
                                       bool uses_redis,
                                       absl::string_view log_level) const;

 private:
  BenchEnvironment(Supervisor* supervisor, std::string dir)
      : supervisor_(supervisor), dir_(std::move(dir)) {}

  Supervisor* supervisor_;
  std::string dir_;
  Tokens tokens_;
  std::unique_ptr<test::RedisServer> redis_;
  pid_t redis_pid_ = -1;
};

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_BENCH_ENVIRONMENT_H_
