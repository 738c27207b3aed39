// A benchmark's output: a Markdown table (pasteable into a README) of
// QPS, p50, p99 and errors per scenario and concurrency, each service's
// ratios to the bare echo server at the same concurrency, and the CPU
// time each process spent per call, which shows where the time goes.
#ifndef BROBYGGER_BENCH_HARNESS_REPORT_H_
#define BROBYGGER_BENCH_HARNESS_REPORT_H_

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "bench/harness/load.h"

namespace brobygger::bench {

// The scenario the services' results are compared with.
inline constexpr char kBaselineScenario[] = "Echo";

// A column a benchmark adds after "errors", e.g. the results a query finds.
struct ExtraColumn {
  std::string header;
  std::function<std::string(const LoadResult&)> value;
};

// Expects LoadResult::cpu_seconds to hold {client, server under test,
// redis-server, the other servers...}: the first three are shown per call,
// all of them are the benchmark's own share of the machine.
void PrintResultTable(const std::vector<LoadResult>& results, std::FILE* out,
                      const std::vector<ExtraColumn>& extra_columns = {});

// Per service scenario: the Redis commands one call costs, by command.
void PrintRedisCommands(const std::vector<LoadResult>& results, std::FILE* out);

// Every error sample of every run; returns the total number of errors
// (warm-up included).
int64_t PrintErrors(const std::vector<LoadResult>& results, std::FILE* out);

// "AMD EPYC (2 cores)" from /proc/cpuinfo and the online CPU count.
std::string DescribeMachine();

// The 1, 5 and 15 minute load averages, "0.52 0.61 0.70".
std::string LoadAverage();

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_REPORT_H_
