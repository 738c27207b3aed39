// What redis-server did during a measurement: INFO commandstats, sampled
// before and after, says how many Redis commands each gRPC call costs; and
// how much memory it holds.
#ifndef BROBYGGER_BENCH_HARNESS_REDIS_STATS_H_
#define BROBYGGER_BENCH_HARNESS_REDIS_STATS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis/redis_pool.h"

namespace brobygger::bench {

// Commands run so far, by lowercase name ("hmget" -> calls).
absl::StatusOr<std::map<std::string, int64_t>> RedisCommandCalls(
    redis::RedisPool& pool);

// The bytes Redis holds (INFO memory used_memory).
absl::StatusOr<int64_t> RedisUsedMemory(redis::RedisPool& pool);

// `after` minus `before`, without the INFO commands of the sampling itself
// and without commands that did not run in between.
std::map<std::string, int64_t> CommandsBetween(
    const std::map<std::string, int64_t>& before,
    const std::map<std::string, int64_t>& after);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_REDIS_STATS_H_
