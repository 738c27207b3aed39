// Runs the real broctl binary as a child process, as a user does, and
// collects its exit code, stdout and stderr separately (stdout carries the
// JSON results, stderr the errors and progress).
//
// Header-only because tests/broctl compiles only *_test.cc files.
#ifndef BROBYGGER_TESTS_BROCTL_BROCTL_RUNNER_H_
#define BROBYGGER_TESTS_BROCTL_BROCTL_RUNNER_H_

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace brobygger::test {

inline constexpr char kBroctl[] = BROBYGGER_BINARY_DIR "/tools/broctl/broctl";

struct BroctlResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs broctl with `args` (no shell, so no quoting), stdout and stderr to
// files in `dir`.
inline BroctlResult RunBroctl(const std::filesystem::path& dir,
                              const std::vector<std::string>& args) {
  const std::filesystem::path out = dir / "stdout";
  const std::filesystem::path err = dir / "stderr";
  std::vector<std::string> argv_storage = {kBroctl};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  BroctlResult result;
  const int error =
      posix_spawn(&pid, kBroctl, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    result.err = absl::StrCat("posix_spawn failed: ", strerror(error));
    return result;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadWholeFile(out);
  result.err = ReadWholeFile(err);
  return result;
}

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_BROCTL_BROCTL_RUNNER_H_
