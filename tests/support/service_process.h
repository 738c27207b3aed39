// A real Brobygger service binary, started by a test: the end-to-end tests
// call it over gRPC exactly as clients do.
//
// ServiceProcess spawns the binary (posix_spawn, no shell) on a free
// loopback port with a free metrics port, points it at a Redis and at the
// test token keys, sends its stdout and stderr to a log file in a private
// temporary directory, and waits until grpc.health.v1 reports the whole
// server ("") SERVING, i.e. until the service has reached Redis. Tests can
// crash it (Kill9), stop it gracefully (Terminate) and start it again on the
// same ports (Restart). The destructor kills and reaps it; if the test
// process dies of a fatal signal, the child is killed too (see
// child_guard.h).
//
//   ServiceProcess::Options options;
//   options.binary = ServiceProcess::BinaryPath("registry");
//   options.redis_port = redis->port();
//   auto service = ServiceProcess::Start(options);
//   ASSERT_TRUE(service.ok()) << service.status();
//   auto stub = (*service)->NewStub<registry::v1::RegistryService>();
#ifndef BROBYGGER_TESTS_SUPPORT_SERVICE_PROCESS_H_
#define BROBYGGER_TESTS_SUPPORT_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace brobygger::test {

class ServiceProcess {
 public:
  struct Options {
    // Path of the binary; BinaryPath("registry") for a service of this tree.
    std::string binary;
    std::string redis_host = "127.0.0.1";
    int redis_port = 6379;
    // Directory of "<kid>.pem" keys; empty = PublicKeysDir() of
    // test_tokens.h, so tokens from MintTestToken() are accepted.
    std::string jwt_public_keys_dir;
    // Empty = the binary's default issuer (the one test tokens use).
    std::string jwt_issuer;
    std::string log_level = "info";
    // Further "--flag=value" arguments, e.g. "--drain_timeout=3s".
    std::vector<std::string> extra_args;
    // Further listen flags that each get a free loopback port, e.g.
    // {"feed_listen"}: the service is started with
    // "--feed_listen=127.0.0.1:<port>", and extra_port("feed_listen") tells
    // the port (kept across Restart()).
    std::vector<std::string> extra_listen_flags;
    // How long Start() and Restart() wait for readiness.
    absl::Duration start_timeout = absl::Seconds(15);
  };

  // BROBYGGER_BINARY_DIR "/services/<service>/<service>".
  static std::string BinaryPath(absl::string_view service);

  // Starts the binary and waits until it is ready. On failure the error
  // says why, with the tail of the service's log.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(Options options);

  ~ServiceProcess();  // SIGKILL if running, reap, remove the log directory
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // "127.0.0.1:<port>".
  std::string address() const;
  int port() const { return port_; }
  int metrics_port() const { return metrics_port_; }
  // The port given to one of Options::extra_listen_flags; -1 for another
  // flag.
  int extra_port(absl::string_view flag) const;
  // The process id, or -1 when not running.
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  const std::string& log_path() const { return log_path_; }

  // One channel to the service for the whole lifetime of this object. It
  // reconnects quickly (short backoff) after Kill9()/Restart(), so stubs
  // made before a restart keep working once Restart() has returned.
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // A new, independent channel (e.g. for a second client).
  std::shared_ptr<grpc::Channel> NewChannel() const;

  template <typename Service>
  std::unique_ptr<typename Service::Stub> NewStub() const {
    return Service::NewStub(channel_);
  }

  // Polls grpc.health.v1 until `service_name` ("" for readiness, "liveness")
  // is SERVING (`serving` true) or reported but not SERVING (`serving`
  // false), or `timeout` passes; the error then names the last answer.
  absl::Status WaitForHealth(const std::string& service_name, bool serving,
                             absl::Duration timeout);

  // Crash: SIGKILL and reap. Restart() brings it back.
  absl::Status Kill9();
  // Graceful stop: SIGTERM, then waits up to `timeout` for the exit. Returns
  // the exit code; an error if the process died of a signal or did not exit
  // in time (it is SIGKILLed then).
  absl::StatusOr<int> Terminate(absl::Duration timeout = absl::Seconds(30));
  // Starts the binary again with the same ports and flags (stopping it
  // first with SIGKILL if it runs) and waits until it is ready.
  absl::Status Restart();

  // The last `max_bytes` of the service's log, for failure messages.
  std::string LogTail(size_t max_bytes = 4000) const;

 private:
  ServiceProcess(Options options, std::string dir);
  absl::Status Launch();
  absl::Status WaitReady();
  // Lets the channel (re)connect for up to one poll interval.
  void ConnectBriefly();
  // Non-blocking: true (and pid_ = -1) if the process has exited; fills
  // `description` with how.
  bool Exited(std::string* description);

  Options options_;
  std::string dir_;
  std::string log_path_;
  int port_ = 0;
  int metrics_port_ = 0;
  std::map<std::string, int> extra_ports_;  // by listen flag
  pid_t pid_ = -1;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_SERVICE_PROCESS_H_
