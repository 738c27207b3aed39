#include "tests/support/service_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tests/support/child_guard.h"
#include "tests/support/health_client.h"
#include "tests/support/test_tokens.h"

extern char** environ;

namespace brobygger::test {
namespace {

constexpr absl::Duration kPollInterval = absl::Milliseconds(25);
constexpr int kStartAttempts = 3;

std::string ErrnoText(absl::string_view what) {
  return absl::StrCat(what, ": ", strerror(errno));
}

// A port the kernel considers free right now. The socket stays open (and
// is returned in `fd`) so that a second call cannot get the same port; the
// caller closes it just before the service binds. Another process may still
// take the port in between; Start() then retries with new ports.
absl::StatusOr<int> ReserveLoopbackPort(int* fd) {
  *fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (*fd < 0) return absl::InternalError(ErrnoText("socket"));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(*fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(*fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string error = ErrnoText("finding a free port");
    close(*fd);
    *fd = -1;
    return absl::InternalError(error);
  }
  return ntohs(addr.sin_port);
}

absl::StatusOr<std::string> MakeTempDir(absl::string_view binary) {
  std::string base =
      std::filesystem::path(std::string(binary)).filename().string();
  if (base.empty()) base = "service";
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/brobygger-",
                   base, "-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(ErrnoText(absl::StrCat("mkdtemp ", pattern)));
  }
  return pattern;
}

// The child's environment: ours without BROBYGGER_* variables, which the
// services read as flag defaults (common/config/flags.h) and which would
// make a test depend on the shell it was started from.
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

}  // namespace

std::string ServiceProcess::BinaryPath(absl::string_view service) {
  return absl::StrCat(BROBYGGER_BINARY_DIR, "/services/", service, "/",
                      service);
}

ServiceProcess::ServiceProcess(Options options, std::string dir)
    : options_(std::move(options)),
      dir_(std::move(dir)),
      log_path_(dir_ + "/service.log") {}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(
    Options options) {
  if (options.binary.empty()) {
    return absl::InvalidArgumentError("ServiceProcess: no binary given");
  }
  if (access(options.binary.c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("ServiceProcess: ", options.binary,
                     " is not an executable; build its target first (",
                     strerror(errno), ")"));
  }
  if (options.jwt_public_keys_dir.empty()) {
    options.jwt_public_keys_dir = PublicKeysDir();
  }
  absl::StatusOr<std::string> dir = MakeTempDir(options.binary);
  if (!dir.ok()) return dir.status();
  std::unique_ptr<ServiceProcess> service(
      new ServiceProcess(std::move(options), *std::move(dir)));

  absl::Status last_error;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    // Every port stays reserved until all are chosen, so they differ.
    std::vector<int> fds;
    const auto release = [&fds] {
      for (int fd : fds) close(fd);
      fds.clear();
    };
    std::vector<int> ports;
    const size_t wanted = 2 + service->options_.extra_listen_flags.size();
    while (ports.size() < wanted) {
      int fd = -1;
      absl::StatusOr<int> port = ReserveLoopbackPort(&fd);
      if (!port.ok()) {
        release();
        return port.status();
      }
      fds.push_back(fd);
      ports.push_back(*port);
    }
    release();
    service->port_ = ports[0];
    service->metrics_port_ = ports[1];
    service->extra_ports_.clear();
    for (size_t i = 0; i < service->options_.extra_listen_flags.size(); ++i) {
      service->extra_ports_[service->options_.extra_listen_flags[i]] =
          ports[2 + i];
    }
    service->channel_ = service->NewChannel();
    last_error = service->Launch();
    if (!last_error.ok()) return last_error;
    last_error = service->WaitReady();
    if (last_error.ok()) return service;
    // Still running but not ready in time: new ports would not help.
    if (service->running()) return last_error;
    // It exited during start-up, most likely because a port was taken
    // meanwhile; try new ones. A service that cannot start at all fails the
    // same way every time.
  }
  return last_error;
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) Kill9().IgnoreError();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string ServiceProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

int ServiceProcess::extra_port(absl::string_view flag) const {
  const auto it = extra_ports_.find(std::string(flag));
  return it == extra_ports_.end() ? -1 : it->second;
}

std::shared_ptr<grpc::Channel> ServiceProcess::NewChannel() const {
  grpc::ChannelArguments args;
  // gRPC's default reconnect backoff grows to two minutes; a test that
  // restarts the service needs the channel back within a fraction of a
  // second.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 250);
  // Despite its name, the time one connection attempt may take.
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 2000);
  // The address is a literal: "ipv4:" resolves it statically, so the
  // failed connects while the service starts trigger no DNS re-resolution.
  return grpc::CreateCustomChannel(absl::StrCat("ipv4:", address()),
                                   grpc::InsecureChannelCredentials(), args);
}

absl::Status ServiceProcess::Launch() {
  std::vector<std::string> args = {
      options_.binary,
      absl::StrCat("--listen=127.0.0.1:", port_),
      absl::StrCat("--metrics_listen=127.0.0.1:", metrics_port_),
      absl::StrCat("--redis_host=", options_.redis_host),
      absl::StrCat("--redis_port=", options_.redis_port),
      absl::StrCat("--jwt_public_keys_dir=", options_.jwt_public_keys_dir),
      absl::StrCat("--log_level=", options_.log_level)};
  if (!options_.jwt_issuer.empty()) {
    args.push_back(absl::StrCat("--jwt_issuer=", options_.jwt_issuer));
  }
  for (const auto& [flag, port] : extra_ports_) {
    args.push_back(absl::StrCat("--", flag, "=127.0.0.1:", port));
  }
  args.insert(args.end(), options_.extra_args.begin(),
              options_.extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = ChildEnvironment();
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);

  // A marker between runs, so the log of a restarted service shows where
  // each run begins.
  {
    std::ofstream log(log_path_, std::ios::app);
    log << "=== ServiceProcess: starting";
    for (const std::string& arg : args) log << ' ' << arg;
    log << " ===\n";
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  // Do not hand the test's own sockets (Redis connections, channels) to
  // the service.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  pid_t pid = -1;
  const int error =
      posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return absl::InternalError(
        absl::StrCat("posix_spawn ", options_.binary, ": ", strerror(error)));
  }
  pid_ = pid;
  GuardChild(pid_);
  return absl::OkStatus();
}

bool ServiceProcess::Exited(std::string* description) {
  if (pid_ <= 0) {
    *description = "is not running";
    return true;
  }
  int status = 0;
  pid_t result;
  do {
    result = waitpid(pid_, &status, WNOHANG);
  } while (result < 0 && errno == EINTR);
  if (result == 0) return false;
  *description =
      result == pid_ ? DescribeWaitStatus(status) : ErrnoText("waitpid");
  UnguardChild(pid_);
  pid_ = -1;
  return true;
}

void ServiceProcess::ConnectBriefly() {
  // A failed call does not wait for the channel to reconnect, and nothing
  // else drives the connection attempt forward in this process (gRPC's
  // backup poller runs every 5 s). WaitForConnected does, for a moment.
  channel_->WaitForConnected(absl::ToChronoTime(absl::Now() + kPollInterval));
}

absl::Status ServiceProcess::WaitReady() {
  const absl::Time deadline = absl::Now() + options_.start_timeout;
  std::string last = "no answer yet";
  while (absl::Now() < deadline) {
    std::string how;
    if (Exited(&how)) {
      return absl::InternalError(absl::StrCat(options_.binary, " ", how,
                                              " during start-up on ", address(),
                                              ". Log tail:\n", LogTail()));
    }
    ConnectBriefly();
    absl::StatusOr<bool> serving = IsServing(channel_, "");
    if (serving.ok() && *serving) return absl::OkStatus();
    last = serving.ok() ? "NOT_SERVING (is Redis reachable?)"
                        : serving.status().ToString();
    absl::SleepFor(kPollInterval);
  }
  return absl::DeadlineExceededError(absl::StrCat(
      options_.binary, " on ", address(), " was not ready within ",
      absl::FormatDuration(options_.start_timeout),
      " (last health answer: ", last, "). Log tail:\n", LogTail()));
}

absl::Status ServiceProcess::WaitForHealth(const std::string& service_name,
                                           bool serving,
                                           absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string last = "no answer yet";
  while (true) {
    ConnectBriefly();
    absl::StatusOr<bool> answer = IsServing(channel_, service_name);
    // A failed call (e.g. UNAVAILABLE while nothing listens) is no answer
    // either way: only a reported status counts.
    if (answer.ok() && *answer == serving) return absl::OkStatus();
    last = !answer.ok() ? answer.status().ToString()
                        : (*answer ? "SERVING" : "not SERVING");
    if (absl::Now() >= deadline) break;
    absl::SleepFor(kPollInterval);
  }
  return absl::DeadlineExceededError(
      absl::StrCat("health of \"", service_name, "\" on ", address(),
                   " was not ", serving ? "SERVING" : "NOT_SERVING", " within ",
                   absl::FormatDuration(timeout), " (last: ", last,
                   "). Log tail:\n", LogTail()));
}

absl::Status ServiceProcess::Kill9() {
  if (pid_ <= 0) {
    return absl::FailedPreconditionError("the service is not running");
  }
  kill(pid_, SIGKILL);
  int status = 0;
  pid_t result;
  do {
    result = waitpid(pid_, &status, 0);
  } while (result < 0 && errno == EINTR);
  UnguardChild(pid_);
  pid_ = -1;
  return absl::OkStatus();
}

absl::StatusOr<int> ServiceProcess::Terminate(absl::Duration timeout) {
  if (pid_ <= 0) {
    return absl::FailedPreconditionError("the service is not running");
  }
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int status = 0;
    pid_t result;
    do {
      result = waitpid(pid_, &status, WNOHANG);
    } while (result < 0 && errno == EINTR);
    if (result == pid_) {
      UnguardChild(pid_);
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return absl::InternalError(
          absl::StrCat(options_.binary, " ", DescribeWaitStatus(status),
                       " after SIGTERM. Log tail:\n", LogTail()));
    }
    if (result < 0) return absl::InternalError(ErrnoText("waitpid"));
    absl::SleepFor(absl::Milliseconds(10));
  }
  Kill9().IgnoreError();
  return absl::DeadlineExceededError(absl::StrCat(
      options_.binary, " did not exit within ", absl::FormatDuration(timeout),
      " after SIGTERM and was killed. Log tail:\n", LogTail()));
}

absl::Status ServiceProcess::Restart() {
  if (pid_ > 0) {
    absl::Status killed = Kill9();
    if (!killed.ok()) return killed;
  }
  absl::Status launched = Launch();
  if (!launched.ok()) return launched;
  return WaitReady();
}

std::string ServiceProcess::LogTail(size_t max_bytes) const {
  std::ifstream in(log_path_);
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  if (text.size() > max_bytes) text = text.substr(text.size() - max_bytes);
  return text;
}

}  // namespace brobygger::test
