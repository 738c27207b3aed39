#include "bench/harness/program_start.h"

#include <signal.h>

#include <cstdio>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bench/harness/progress.h"
#include "bench/harness/supervisor.h"

namespace brobygger::bench {

int StartBenchProgram(int argc, char** argv, const std::string& program,
                      const std::string& usage) {
  Supervisor::BlockSignals();
  SetProgressProgram(program);
  // A closed stdout or stderr (e.g. `<program> | head`) must not kill the
  // run before it has stopped its servers: writes fail instead.
  signal(SIGPIPE, SIG_IGN);
  absl::SetProgramUsageMessage(usage);
  // --help lists this benchmark's flags (they live in its config.cc).
  static const std::string* flags_folder =
      new std::string(absl::StrCat("bench/", program, "/"));
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    return absl::StrContains(path, *flags_folder);
  };
  absl::SetFlagsUsageConfig(usage_config);
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    std::fprintf(stderr,
                 "%s takes no positional arguments (got \"%s\"); see --help\n",
                 program.c_str(), positional[1]);
    return 2;
  }
  return 0;
}

}  // namespace brobygger::bench
