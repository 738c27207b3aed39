#include "bench/harness/child_service.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tests/support/child_guard.h"
#include "tests/support/health_client.h"

extern char** environ;

namespace brobygger::bench {
namespace {

constexpr int kStartAttempts = 3;
constexpr absl::Duration kPollInterval = absl::Milliseconds(25);

// Binds port 0 on loopback; the socket stays open (in `fd`) so that a
// second reservation cannot get the same port. The caller closes it just
// before the child binds; if someone else takes the port meanwhile, the
// child exits and Start() tries new ports.
absl::StatusOr<int> ReserveLoopbackPort(int* fd) {
  *fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (*fd < 0)
    return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(*fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(*fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string error = strerror(errno);
    close(*fd);
    *fd = -1;
    return absl::InternalError(absl::StrCat("finding a free port: ", error));
  }
  return ntohs(addr.sin_port);
}

// Our environment without BROBYGGER_* variables: the services read them as
// flag defaults, and the benchmark must not depend on the calling shell.
std::vector<std::string> ChildEnvironment() {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (!absl::StartsWith(*entry, "BROBYGGER_")) env.emplace_back(*entry);
  }
  return env;
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status))
    return absl::StrCat("exited with code ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return absl::StrCat("was killed by signal ", WTERMSIG(status), " (",
                        strsignal(WTERMSIG(status)), ")");
  }
  return absl::StrCat("ended with wait status ", status);
}

std::string SelfDirectory() {
  std::error_code error;
  const std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : self.parent_path().string();
}

}  // namespace

std::string FindBinary(absl::string_view relative_to_bench,
                       absl::string_view relative_to_build_dir) {
  const std::string self_dir = SelfDirectory();
  if (!self_dir.empty()) {
    const std::filesystem::path candidate =
        std::filesystem::path(self_dir) / std::string(relative_to_bench);
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate.lexically_normal().string();
    }
  }
  return absl::StrCat(BROBYGGER_BINARY_DIR, "/", relative_to_build_dir);
}

absl::StatusOr<std::unique_ptr<ChildService>> ChildService::Start(
    Options options, Supervisor* supervisor) {
  if (access(options.binary.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.name, ": ", options.binary, " is not an executable (",
        strerror(errno), "); build the target `", options.name,
        "` first or pass its path"));
  }
  std::unique_ptr<ChildService> child(
      new ChildService(std::move(options), supervisor));
  absl::Status last_error;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    int grpc_fd = -1;
    int metrics_fd = -1;
    absl::StatusOr<int> port = ReserveLoopbackPort(&grpc_fd);
    if (!port.ok()) return port.status();
    absl::StatusOr<int> metrics_port = ReserveLoopbackPort(&metrics_fd);
    close(grpc_fd);
    if (!metrics_port.ok()) return metrics_port.status();
    close(metrics_fd);
    child->port_ = *port;
    child->metrics_port_ = *metrics_port;
    last_error = child->Spawn();
    if (!last_error.ok()) return last_error;
    last_error = child->WaitReady();
    if (last_error.ok()) return child;
    // Running but not ready in time: other ports would not help. Exited
    // during start-up: most likely a port was taken meanwhile.
    if (child->pid_ > 0) return last_error;
  }
  return last_error;
}

ChildService::~ChildService() {
  if (pid_ > 0) Stop(absl::Seconds(5));
}

std::string ChildService::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

absl::Status ChildService::Spawn() {
  std::vector<std::string> args = {
      options_.binary, absl::StrCat("--listen=127.0.0.1:", port_),
      absl::StrCat("--metrics_listen=127.0.0.1:", metrics_port_),
      // Bounds the graceful stop at the end of the run.
      "--drain_timeout=2s"};
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = ChildEnvironment();
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO,
                                   options_.log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  // Our sockets (channels, Redis connections) are not the child's.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);

  // The child gets an empty signal mask and default dispositions (ours
  // blocks SIGINT/SIGTERM for the supervisor), and its own process group,
  // so Ctrl-C reaches only the benchmark, which then stops the child.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attributes, &empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGHUP);
  sigaddset(&defaults, SIGUSR1);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK |
                                            POSIX_SPAWN_SETSIGDEF |
                                            POSIX_SPAWN_SETPGROUP);

  pid_t pid = -1;
  const int error = posix_spawn(&pid, argv[0], &actions, &attributes,
                                argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    return absl::InternalError(
        absl::StrCat("posix_spawn ", options_.binary, ": ", strerror(error)));
  }
  pid_ = pid;
  test::GuardChild(pid_);
  supervisor_->WatchPid(pid_);
  return absl::OkStatus();
}

bool ChildService::Exited(std::string* how) {
  if (pid_ <= 0) {
    *how = "is not running";
    return true;
  }
  int status = 0;
  pid_t result;
  do {
    result = waitpid(pid_, &status, WNOHANG);
  } while (result < 0 && errno == EINTR);
  if (result == 0) return false;
  *how = result == pid_ ? DescribeWaitStatus(status)
                        : absl::StrCat("waitpid: ", strerror(errno));
  supervisor_->ForgetPid(pid_);
  test::UnguardChild(pid_);
  pid_ = -1;
  return true;
}

absl::Status ChildService::WaitReady() {
  const absl::Time deadline = absl::Now() + options_.start_timeout;
  std::string last = "no answer yet";
  while (absl::Now() < deadline) {
    std::string how;
    if (Exited(&how)) {
      return absl::InternalError(absl::StrCat(
          options_.name, " (", options_.binary, ") ", how,
          " during start-up on ", address(), ". Log tail:\n", LogTail()));
    }
    // A fresh channel (and subchannel) per probe: a channel whose first
    // connection attempts were refused waits out gRPC's reconnect backoff
    // (1 s, 1.6 s, 2.6 s, ...) before it tries again.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    const std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        address(), grpc::InsecureChannelCredentials(), args);
    absl::StatusOr<bool> serving = test::IsServing(channel, "");
    if (serving.ok() && *serving) return absl::OkStatus();
    last = serving.ok() ? "NOT_SERVING (is Redis reachable?)"
                        : serving.status().ToString();
    absl::SleepFor(kPollInterval);
  }
  return absl::DeadlineExceededError(absl::StrCat(
      options_.name, " on ", address(), " was not SERVING within ",
      absl::FormatDuration(options_.start_timeout),
      " (last health answer: ", last, "). Log tail:\n", LogTail()));
}

void ChildService::Stop(absl::Duration grace) {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + grace;
  std::string how;
  while (absl::Now() < deadline) {
    if (Exited(&how)) return;
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  supervisor_->ForgetPid(pid_);
  test::UnguardChild(pid_);
  pid_ = -1;
}

std::string ChildService::LogTail(size_t max_bytes) const {
  std::ifstream in(options_.log_path);
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  if (text.size() > max_bytes) text = text.substr(text.size() - max_bytes);
  return text;
}

}  // namespace brobygger::bench
