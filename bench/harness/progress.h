// Progress of a benchmark run, on stderr with the time since the start
// ("registry_bench [  1.2s]: starting"), so that stdout holds only the
// report.
#ifndef BROBYGGER_BENCH_HARNESS_PROGRESS_H_
#define BROBYGGER_BENCH_HARNESS_PROGRESS_H_

#include <string>

namespace brobygger::bench {

// Names the benchmark in progress lines; call once, first thing.
void SetProgressProgram(const std::string& program);

void Progress(const std::string& message);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_PROGRESS_H_
