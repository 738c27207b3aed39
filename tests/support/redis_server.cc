#include "tests/support/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace brobygger::test {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(5);
constexpr absl::Duration kStopTimeout = absl::Seconds(5);

std::string ServerBinary() {
  const char* override_path = std::getenv("BROBYGGER_REDIS_SERVER");
  return override_path != nullptr && *override_path != '\0'
             ? override_path
             : "/usr/bin/redis-server";
}

// Binds port 0 on loopback and reports the port the kernel picked. Another
// process may take it before redis-server binds; Start() retries then.
absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string error = strerror(errno);
    close(fd);
    return absl::InternalError(absl::StrCat("finding a free port: ", error));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

absl::StatusOr<std::string> MakeTempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(
      tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/brobygger-redis-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("mkdtemp ", pattern, ": ", strerror(errno)));
  }
  return pattern;
}

// waitpid that survives EINTR; returns true once `pid` was reaped.
bool Reap(pid_t pid, bool block) {
  int status = 0;
  pid_t result;
  do {
    result = waitpid(pid, &status, block ? 0 : WNOHANG);
  } while (result < 0 && errno == EINTR);
  return result == pid || (result < 0 && errno == ECHILD);
}

}  // namespace

RedisServer::RedisServer(Options options, int port, std::string dir)
    : options_(std::move(options)), port_(port), dir_(std::move(dir)) {}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(
    Options options) {
  absl::Status last_error;
  for (int attempt = 0; attempt < 3; ++attempt) {
    absl::StatusOr<int> port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    absl::StatusOr<std::string> dir = MakeTempDir();
    if (!dir.ok()) return dir.status();
    std::unique_ptr<RedisServer> server(new RedisServer(options, *port, *dir));
    last_error = server->Launch();
    if (last_error.ok()) return server;
  }
  return last_error;
}

RedisServer::~RedisServer() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    Reap(pid_, /*block=*/true);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

redis::RedisOptions RedisServer::options() const {
  redis::RedisOptions options;
  options.host = "127.0.0.1";
  options.port = port_;
  options.password = options_.password;
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.command_timeout = std::chrono::milliseconds(2000);
  return options;
}

absl::Status RedisServer::Launch() {
  const std::string binary = ServerBinary();
  // clang-format off
  std::vector<std::string> args = {
      binary,
      "--bind", "127.0.0.1",
      "--port", absl::StrCat(port_),
      "--dir", dir_,
      "--logfile", dir_ + "/redis.log",
      "--appendonly", "yes",
      "--appendfsync", "always",  // an acknowledged write survives SIGKILL
      "--save", "",               // AOF only, no RDB snapshots
      "--daemonize", "no",
      "--protected-mode", "no"};
  // clang-format on
  if (!options_.password.empty()) {
    args.push_back("--requirepass");
    args.push_back(options_.password);
  }
  args.insert(args.end(), options_.extra_args.begin(),
              options_.extra_args.end());
  // Everything the child touches is prepared before fork: between fork and
  // exec only async-signal-safe calls are allowed (other threads may hold
  // the allocator's locks).
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0)
    return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the test died already
    const int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    // Do not keep the test's sockets (e.g. Redis connections) open.
    close_range(3, ~0U, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;
  return WaitReady();
}

absl::Status RedisServer::WaitReady() {
  redis::RedisOptions probe_options = options();
  probe_options.connect_timeout = std::chrono::milliseconds(200);
  probe_options.command_timeout = std::chrono::milliseconds(500);
  probe_options.max_connections = 1;
  redis::RedisPool probe(probe_options);
  const absl::Time deadline = absl::Now() + kStartTimeout;
  std::string last = "no answer";
  while (absl::Now() < deadline) {
    if (Reap(pid_, /*block=*/false)) {
      pid_ = -1;
      return absl::InternalError(
          absl::StrCat(ServerBinary(), " exited during start-up on port ",
                       port_, ". Log tail:\n", LogTail()));
    }
    // PING answers while the AOF is still loading; INFO says when it is done
    // (the newline keeps "async_loading:0" from matching).
    absl::StatusOr<redis::Reply> info = probe.Run({"INFO", "persistence"});
    if (info.ok() && info->is_string() &&
        absl::StrContains(info->str, "\nloading:0\r")) {
      return absl::OkStatus();
    }
    last = info.ok() ? info->str : info.status().ToString();
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(pid_, SIGKILL);
  Reap(pid_, /*block=*/true);
  pid_ = -1;
  return absl::DeadlineExceededError(
      absl::StrCat("redis-server on port ", port_, " was not ready within ",
                   absl::FormatDuration(kStartTimeout), " (last: ", last,
                   "). Log tail:\n", LogTail()));
}

absl::Status RedisServer::Kill9() {
  if (pid_ <= 0)
    return absl::FailedPreconditionError("redis-server is not running");
  kill(pid_, SIGKILL);
  Reap(pid_, /*block=*/true);
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status RedisServer::Stop() {
  if (pid_ <= 0)
    return absl::FailedPreconditionError("redis-server is not running");
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + kStopTimeout;
  while (absl::Now() < deadline) {
    if (Reap(pid_, /*block=*/false)) {
      pid_ = -1;
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  Kill9().IgnoreError();
  return absl::DeadlineExceededError(absl::StrCat(
      "redis-server did not stop within ", absl::FormatDuration(kStopTimeout),
      " after SIGTERM and was killed"));
}

absl::Status RedisServer::Restart() {
  if (pid_ > 0) {
    absl::Status stopped = Stop();
    if (!stopped.ok()) return stopped;
  }
  return Launch();
}

absl::Status RedisServer::FlushAll() {
  redis::RedisPool pool(options());
  absl::StatusOr<redis::Reply> reply = pool.Run({"FLUSHALL"});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::InternalError(reply->str);
  return absl::OkStatus();
}

std::string RedisServer::LogTail() const {
  std::ifstream in(dir_ + "/redis.log");
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  constexpr size_t kTail = 2000;
  return text.size() > kTail ? text.substr(text.size() - kTail) : text;
}

}  // namespace brobygger::test
