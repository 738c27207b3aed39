// A service binary of this tree started by the benchmark: posix_spawn (no
// shell) on free loopback ports, output to a log file, ready once
// grpc.health.v1 reports the whole server ("") SERVING.
#ifndef BROBYGGER_BENCH_HARNESS_CHILD_SERVICE_H_
#define BROBYGGER_BENCH_HARNESS_CHILD_SERVICE_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bench/harness/supervisor.h"

namespace brobygger::bench {

// Where a binary of this build tree is: next to this benchmark's own
// executable (`relative_to_bench`, e.g. "../services/registry/registry"),
// else under the build directory it was compiled in.
std::string FindBinary(absl::string_view relative_to_bench,
                       absl::string_view relative_to_build_dir);

class ChildService {
 public:
  struct Options {
    std::string name;    // for messages, e.g. "registry"
    std::string binary;  // path of the executable
    // Besides --listen, --metrics_listen and --drain_timeout, which are
    // always passed.
    std::vector<std::string> args;
    std::string log_path;
    absl::Duration start_timeout = absl::Seconds(15);
  };

  // Spawns the binary and waits until it is SERVING. On failure the error
  // says why, with the tail of its log.
  static absl::StatusOr<std::unique_ptr<ChildService>> Start(
      Options options, Supervisor* supervisor);

  ~ChildService();  // Stop() if still running
  ChildService(const ChildService&) = delete;
  ChildService& operator=(const ChildService&) = delete;

  // "127.0.0.1:<port>".
  std::string address() const;
  pid_t pid() const { return pid_; }
  const std::string& name() const { return options_.name; }

  // SIGTERM (graceful drain), then SIGKILL after `grace`.
  void Stop(absl::Duration grace = absl::Seconds(5));

  std::string LogTail(size_t max_bytes = 3000) const;

 private:
  ChildService(Options options, Supervisor* supervisor)
      : options_(std::move(options)), supervisor_(supervisor) {}
  absl::Status Spawn();
  absl::Status WaitReady();
  // Non-blocking; true once the child has exited (and was reaped).
  bool Exited(std::string* how);

  Options options_;
  Supervisor* supervisor_;
  int port_ = 0;
  int metrics_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_CHILD_SERVICE_H_
