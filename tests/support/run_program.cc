#include "tests/support/run_program.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/child_guard.h"

extern char** environ;

namespace brobygger::test {
namespace {

constexpr size_t kMaxOutputBytes = 16 * 1024 * 1024;

std::string ErrnoText(const char* what) {
  return absl::StrCat(what, ": ", std::strerror(errno));
}

// Reaps `pid`, retrying on EINTR; returns the wait status.
int Reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  UnguardChild(pid);
  return status;
}

}  // namespace

absl::StatusOr<ProgramResult> RunProgram(const std::vector<std::string>& argv,
                                         absl::Duration timeout) {
  if (argv.empty() || access(argv[0].c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "RunProgram: ", argv.empty() ? "no program given" : argv[0],
        " is not an executable"));
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError(ErrnoText("pipe2"));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  // The test's own sockets are none of the program's business.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  std::vector<std::string> args = argv;
  std::vector<char*> c_args;
  for (std::string& arg : args) c_args.push_back(arg.data());
  c_args.push_back(nullptr);
  pid_t pid = -1;
  const int error =
      posix_spawn(&pid, c_args[0], &actions, nullptr, c_args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (error != 0) {
    close(pipe_fds[0]);
    return absl::InternalError(
        absl::StrCat("posix_spawn ", argv[0], ": ", std::strerror(error)));
  }
  GuardChild(pid);

  ProgramResult result;
  const absl::Time deadline = absl::Now() + timeout;
  bool timed_out = false;
  char buffer[4096];
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      timed_out = true;
      break;
    }
    pollfd readable{pipe_fds[0], POLLIN, 0};
    const int ready = poll(
        &readable, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;      // cannot wait: take what the program left
    if (ready == 0) continue;  // the deadline check above ends the loop
    const ssize_t n = read(pipe_fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of output: the program closed its side
    if (result.output.size() < kMaxOutputBytes) {
      result.output.append(buffer, static_cast<size_t>(n));
    }
  }
  close(pipe_fds[0]);
  if (timed_out) {
    kill(pid, SIGKILL);
    Reap(pid);
    return absl::DeadlineExceededError(absl::StrCat(
        argv[0], " did not finish within ", absl::FormatDuration(timeout),
        "; output so far:\n", result.output));
  }
  const int status = Reap(pid);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace brobygger::test
