// The start of every benchmark's main(): signal handling, progress lines,
// --help limited to the benchmark's own flags, and flag parsing.
#ifndef BROBYGGER_BENCH_HARNESS_PROGRAM_START_H_
#define BROBYGGER_BENCH_HARNESS_PROGRAM_START_H_

#include <string>

namespace brobygger::bench {

// Call first in main(), before any thread exists (every thread inherits
// the signal mask). `program` names the benchmark ("catalogue_bench") and
// its flags' folder ("bench/catalogue_bench/"). Returns 0 to go on, or
// the exit code after reporting a usage error on stderr.
int StartBenchProgram(int argc, char** argv, const std::string& program,
                      const std::string& usage);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_PROGRAM_START_H_
