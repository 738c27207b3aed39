// What notifications_bench's scenarios share to measure and report: CPU
// time of the processes involved over a window, percentiles, the Redis
// commands a unit of work cost, stream lengths read back for the
// nothing-lost-nothing-twice checks, and a parallel loop for setting up.
#ifndef BROBYGGER_BENCH_NOTIFICATIONS_BENCH_MEASURE_H_
#define BROBYGGER_BENCH_NOTIFICATIONS_BENCH_MEASURE_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_pool.h"

namespace brobygger::bench {

// The benchmark's private redis-server, as the scenarios use it.
struct BenchRedis {
  // What the service's parts use (the services' 2 s command timeout).
  redis::RedisPool& pool;
  // For the benchmark's own slow commands: FLUSHALL, INFO, read-backs.
  redis::RedisPool& admin;
  pid_t pid = -1;
};

// CPU time so far of the benchmark itself, of `others` (redis-server, a
// service) and of the whole machine, and the wall clock.
struct CpuSample {
  absl::Time at;
  double self = 0;
  std::vector<double> others;
  double machine = -1;
};
CpuSample SampleCpu(const std::vector<pid_t>& others);

struct CpuUse {
  double wall_seconds = 0;
  double self_seconds = 0;
  std::vector<double> other_seconds;  // as CpuSample::others
  // Busy time of processes outside the benchmark, as a share of all cores
  // (-1 when unknown): other work on the shared machine.
  double foreign_share = -1;
};
CpuUse CpuBetween(const CpuSample& before, const CpuSample& after);

// Nearest-rank percentile (p in 0..100) of sorted values; 0 when empty.
double Percentile(const std::vector<double>& sorted, double p);

// "12.3 ms", "1.23 s" from milliseconds.
std::string FormatMillis(double ms);

// The `top` commands with the most calls, each divided by `per`:
// "evalsha 1.00, hget 166.7, ...".
std::string CommandsPer(const std::map<std::string, int64_t>& commands,
                        double per, int top = 8);

// XLEN of each key (0 for a missing one), pipelined in batches.
absl::StatusOr<std::vector<int64_t>> StreamLengths(
    redis::RedisPool& pool, const std::vector<std::string>& keys);

// Runs work(0..count-1) on `threads` threads; the first error stops the
// others from starting new items and is returned.
absl::Status ParallelFor(int count, int threads,
                         const std::function<absl::Status(int)>& work);

// How many times redis-server forked so far (INFO stats total_forks): with
// snapshots off, its AOF rewrites, whose CPU shows under "others".
absl::StatusOr<int64_t> RedisForks(redis::RedisPool& pool);

// Deletes every key (between scenarios, so that each starts from an empty
// Redis and its memory figures are its own).
absl::Status FlushRedis(redis::RedisPool& pool);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_NOTIFICATIONS_BENCH_MEASURE_H_
