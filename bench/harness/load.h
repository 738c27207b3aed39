// Closed-loop load: C calls are always in flight; each completion starts
// the next call on the same slot. Calls use gRPC's asynchronous client: a
// few client threads, each with its own channel (its own HTTP/2
// connection) and completion queue, drive the slots. On a small machine
// that the client shares with the servers this costs far less CPU than a
// thread per in-flight call, so more of the cores go to the server under
// test.
//
// Timeline of one run: warm-up (calls made, not counted), then the measured
// window (calls that complete inside it are counted), then no new calls
// and the ones in flight finish (bounded by the per-call deadline).
#ifndef BROBYGGER_BENCH_HARNESS_LOAD_H_
#define BROBYGGER_BENCH_HARNESS_LOAD_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/completion_queue.h"

namespace brobygger::bench {

// One in-flight slot of a scenario; used by one client thread at a time.
class Call {
 public:
  virtual ~Call() = default;
  // Starts the next call on `cq`; its completion is tagged with `tag`.
  virtual void Start(grpc::CompletionQueue* cq,
                     std::chrono::system_clock::time_point deadline,
                     void* tag) = 0;
  // After the completion: OK, or why the call failed or its answer is
  // wrong (a wrong answer counts as an error, not as a success).
  virtual absl::Status Finish() = 0;
};

// What to call.
class Scenario {
 public:
  virtual ~Scenario() = default;
  virtual std::string name() const = 0;
  // A slot sending its calls on `channel`; `slot` seeds its randomness.
  virtual std::unique_ptr<Call> NewCall(
      const std::shared_ptr<grpc::Channel>& channel, int slot) = 0;
};

struct LoadOptions {
  std::string target;  // "127.0.0.1:port"
  int concurrency = 1;
  // Client threads (each with its own channel); at most `concurrency`.
  int client_threads = 1;
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
  absl::Duration call_deadline = absl::Seconds(2);
  // Processes whose CPU time is measured over the window (0 = this one).
  std::vector<pid_t> cpu_pids;
  // Called (from the thread running RunLoad) when the measured window
  // starts and ends, e.g. to sample a server's counters.
  std::function<void()> at_window_start;
  std::function<void()> at_window_end;
};

struct LoadResult {
  std::string scenario;
  int concurrency = 0;
  int64_t ok = 0;      // successful calls completed in the window
  int64_t errors = 0;  // failed calls (or wrong answers) in the window
  int64_t warmup_errors = 0;
  // A few error messages with their counts (window and warm-up).
  std::map<std::string, int64_t> error_samples;
  // Successful calls' latencies in the window, sorted, in nanoseconds.
  std::vector<int64_t> latencies_ns;
  double window_seconds = 0;
  // CPU seconds used in the window by each of LoadOptions::cpu_pids (-1
  // if unknown), and by the whole machine (every process, -1 if unknown).
  std::vector<double> cpu_seconds;
  double machine_cpu_seconds = -1;
  // Commands redis-server ran in the window, by name (filled by the
  // caller from its at_window_* hooks).
  std::map<std::string, int64_t> redis_commands;

  double qps() const { return window_seconds > 0 ? ok / window_seconds : 0; }
  // Nearest-rank percentile in microseconds (0 without samples).
  double PercentileMicros(double p) const;
};

LoadResult RunLoad(Scenario& scenario, const LoadOptions& options);

// Adds `slice`, a further run of the same scenario at the same
// concurrency, to `total`: counts, windows and CPU times add up, latencies
// merge (and stay sorted).
void Accumulate(const LoadResult& slice, LoadResult* total);

// Total CPU time (user + system) of a process so far, in seconds; 0 = this
// one. -1 if it cannot be read.
double ProcessCpuSeconds(pid_t pid);

// CPU time all cores of the machine have been busy so far (not idle, not
// waiting for I/O), in seconds; -1 if it cannot be read.
double MachineBusyCpuSeconds();

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_LOAD_H_
