// The benchmark's output: a Markdown table (pasteable into a README) of
// QPS, p50, p99 and errors per scenario and concurrency, the registry's
// ratios to the bare echo server at the same concurrency, and the CPU
// time each process spent per call, which shows where the time goes.
#ifndef BROBYGGER_BENCH_REGISTRY_BENCH_REPORT_H_
#define BROBYGGER_BENCH_REGISTRY_BENCH_REPORT_H_

#include <cstdio>
#include <string>
#include <vector>

#include "bench/registry_bench/load.h"

namespace brobygger::bench {

// The scenario the registry's results are compared with.
inline constexpr char kBaselineScenario[] = "Echo";

// Expects LoadResult::cpu_seconds to hold {client, server under test,
// redis-server, the other server}.
void PrintResultTable(const std::vector<LoadResult>& results, std::FILE* out);

// Per registry scenario: the Redis commands one call costs, by command.
void PrintRedisCommands(const std::vector<LoadResult>& results, std::FILE* out);

// Every error sample of every run; returns the total number of errors
// (warm-up included).
int64_t PrintErrors(const std::vector<LoadResult>& results, std::FILE* out);

// "AMD EPYC (2 cores)" from /proc/cpuinfo and the online CPU count.
std::string DescribeMachine();

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_REGISTRY_BENCH_REPORT_H_
