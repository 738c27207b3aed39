// Runs another program (e.g. /usr/bin/python3 with an independent parser)
// and collects what it prints, without a shell: arguments are passed as
// they are, so no quoting can go wrong.
#ifndef BROBYGGER_TESTS_SUPPORT_RUN_PROGRAM_H_
#define BROBYGGER_TESTS_SUPPORT_RUN_PROGRAM_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace brobygger::test {

struct ProgramResult {
  // The exit code; -1 if the program was killed by a signal.
  int exit_code = -1;
  // stdout and stderr, interleaved as written.
  std::string output;
};

// Runs argv[0] (an absolute path) with `argv`, stdin from /dev/null, and
// waits for it. FAILED_PRECONDITION if it is not an executable,
// DEADLINE_EXCEEDED (after killing it) if it runs longer than `timeout`.
// Output beyond 16 MiB is dropped.
absl::StatusOr<ProgramResult> RunProgram(
    const std::vector<std::string>& argv,
    absl::Duration timeout = absl::Seconds(30));

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_RUN_PROGRAM_H_
