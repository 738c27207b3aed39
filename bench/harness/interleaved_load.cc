#include "bench/harness/interleaved_load.h"

#include <cstdint>
#include <map>

#include "absl/strings/str_cat.h"
#include "bench/harness/progress.h"
#include "bench/harness/redis_stats.h"

namespace brobygger::bench {

std::vector<LoadResult> RunInterleaved(std::vector<PlannedScenario>& planned,
                                       const InterleaveOptions& options) {
  // A connection of our own for INFO commandstats at the window's edges.
  redis::RedisPool stats_pool(options.redis);
  std::vector<LoadResult> results;
  for (const int concurrency : options.concurrency) {
    const size_t first = results.size();
    results.resize(first + planned.size());
    for (int round = 1; round <= options.rounds; ++round) {
      Progress(absl::StrCat(concurrency, " in flight, round ", round, "/",
                            options.rounds));
      for (size_t k = 0; k < planned.size(); ++k) {
        PlannedScenario& run = planned[k];
        LoadOptions load;
        load.target = run.target;
        load.concurrency = concurrency;
        load.client_threads = options.client_threads;
        load.warmup = options.warmup / options.rounds;
        load.duration = options.duration / options.rounds;
        load.call_deadline = options.call_deadline;
        load.cpu_pids = {0};
        load.cpu_pids.insert(load.cpu_pids.end(), run.pids.begin(),
                             run.pids.end());
        std::map<std::string, int64_t> commands_before;
        std::map<std::string, int64_t> commands_after;
        load.at_window_start = [&] {
          commands_before = RedisCommandCalls(stats_pool)
                                .value_or(std::map<std::string, int64_t>());
        };
        load.at_window_end = [&] {
          commands_after = RedisCommandCalls(stats_pool)
                               .value_or(std::map<std::string, int64_t>());
        };
        LoadResult slice = RunLoad(*run.scenario, load);
        slice.redis_commands = CommandsBetween(commands_before, commands_after);
        Accumulate(slice, &results[first + k]);
      }
    }
  }
  return results;
}

}  // namespace brobygger::bench
