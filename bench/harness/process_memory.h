// Memory of a process, from /proc/<pid>/status.
#ifndef BROBYGGER_BENCH_HARNESS_PROCESS_MEMORY_H_
#define BROBYGGER_BENCH_HARNESS_PROCESS_MEMORY_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace brobygger::bench {

struct ProcessMemory {
  int64_t resident_bytes = 0;       // VmRSS: in RAM now
  int64_t peak_resident_bytes = 0;  // VmHWM: the most it ever had in RAM
};

absl::StatusOr<ProcessMemory> ReadProcessMemory(pid_t pid);

// "123.4 MiB".
std::string FormatMebibytes(int64_t bytes);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_PROCESS_MEMORY_H_
