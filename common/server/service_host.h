// The bootstrap every Brobygger service runs in.
//
// It builds the gRPC server on the configured address with message size
// limits, registers the services, grpc.health.v1 health checking and server
// reflection, serves Prometheus metrics over HTTP, logs every RPC as one JSON
// line, and drains gracefully on SIGTERM/SIGINT.
//
// Health: the "liveness" service name is SERVING while the process runs (it
// never depends on Redis). The overall service "" and each registered
// service's full name are the readiness signal: NOT_SERVING until the
// readiness probe (usually a Redis PING) succeeds, and again whenever it
// fails; the probe runs every `readiness_interval`. On shutdown everything
// turns NOT_SERVING first, so load balancers stop sending new calls, then
// in-flight calls get `drain_timeout` to finish.
#ifndef BROBYGGER_COMMON_SERVER_SERVICE_HOST_H_
#define BROBYGGER_COMMON_SERVER_SERVICE_HOST_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "grpcpp/server.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace brobygger::server {

inline constexpr char kLivenessServiceName[] = "liveness";

struct HostOptions {
  std::string service_name;     // "registry"; used in logs/metrics
  std::string listen_address;   // "127.0.0.1:50051"; port 0 = any
  std::string metrics_address;  // "127.0.0.1:9101"; empty = off
  int max_message_bytes = 4 * 1024 * 1024;
  absl::Duration drain_timeout = absl::Seconds(20);
  absl::Duration readiness_interval = absl::Seconds(1);
  // Called every readiness_interval; OK means ready.
  std::function<absl::Status()> readiness_probe;
  // Called once when draining starts, after health turned NOT_SERVING and
  // before in-flight calls are awaited: the place to end server streams.
  std::function<void()> on_drain;
};

// Fills HostOptions from the shared flags (common/config/flags.h); the
// service gives its own default addresses, used when the flags are empty.
HostOptions HostOptionsFromFlags(std::string service_name,
                                 std::string default_listen,
                                 std::string default_metrics);

class ServiceHost {
 public:
  explicit ServiceHost(HostOptions options);
  ~ServiceHost();

  // Services must outlive the host.
  void AddService(grpc::Service* service);

  // Builds and starts the server; returns once it listens.
  absl::Status Start();
  // The port the server listens on (useful with port 0).
  int port() const { return port_; }
  // The port /metrics is served on after Start() (0 if metrics are off).
  int metrics_port() const { return metrics_port_; }
  // Where the service's own metrics go (served with the RPC metrics on
  // /metrics); available from construction, so that components built
  // before Start() can register theirs.
  std::shared_ptr<prometheus::Registry> metrics_registry() const;
  // Blocks until SIGTERM/SIGINT (or Shutdown()), then drains and stops.
  void Wait();
  // Flips health to NOT_SERVING, drains for up to drain_timeout, stops.
  void Shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  int metrics_port_ = 0;
};

// Installs SIGTERM/SIGINT handlers that make every ServiceHost::Wait() and
// ShutdownRequested() return; safe to call more than once.
void InstallSignalHandlers();
bool ShutdownRequested();

}  // namespace brobygger::server

#endif  // BROBYGGER_COMMON_SERVER_SERVICE_HOST_H_
