#include "common/server/service_host.h"

#include <exception>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/log/log.h"
#include "common/server/readiness_loop.h"
#include "common/server/registered_services.h"
#include "common/server/rpc_interceptor.h"
#include "common/server/rpc_metrics.h"
#include "common/server/shutdown_signal.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/time.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"

namespace brobygger::server {
namespace {

// Sync handlers each hold a thread; beyond this many concurrent calls gRPC
// answers RESOURCE_EXHAUSTED instead of letting threads pile up.
constexpr int kMaxServerThreads = 64;
constexpr int kMinPollers = 4;
// Hard ceiling for max_message_bytes: beyond it a single call could hold
// a large share of a small pod's memory.
constexpr int kMaxMessageBytesCeiling = 64 * 1024 * 1024;

// Infrastructure services the host adds itself; their health status is
// not tied to the readiness probe.
bool IsInfrastructureService(const std::string& name) {
  return name == "grpc.health.v1.Health" ||
         name == "grpc.reflection.v1alpha.ServerReflection";
}

absl::Status Validate(const HostOptions& options) {
  if (options.listen_address.empty()) {
    return absl::InvalidArgumentError(
        "listen address is empty: set --listen (or BROBYGGER_LISTEN), e.g. "
        "0.0.0.0:50051");
  }
  if (options.max_message_bytes <= 0 ||
      options.max_message_bytes > kMaxMessageBytesCeiling) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_message_bytes must be between 1 and ", kMaxMessageBytesCeiling,
        "; got ", options.max_message_bytes));
  }
  if (options.drain_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "drain_timeout must not be negative, e.g. 20s");
  }
  if (options.readiness_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "readiness_interval must be positive, e.g. 1s");
  }
  return absl::OkStatus();
}

void ConfigureTransport(grpc::ServerBuilder& builder) {
  // Two processes silently sharing a port (SO_REUSEPORT) would split the
  // traffic between an old and a new version; fail to start instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Find dead peers (half-open connections behind NAT) within ~1.5 min.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  // Accept client keepalive pings down to every 10 s, also between calls,
  // rather than closing the connection with ENHANCE_YOUR_CALM.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10 * 1000);
  // Behind an L4 load balancer a connection pins a client to one replica;
  // recycling connections lets load spread onto new replicas.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 5 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30 * 1000);
}

void InitGrpcGlobals() {
  static std::once_flag once;
  std::call_once(once, [] {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  });
}

}  // namespace

struct ServiceHost::Impl {
  explicit Impl(HostOptions o) : options(std::move(o)) {}

  HostOptions options;
  std::vector<grpc::Service*> services;
  std::shared_ptr<prometheus::Registry> registry;
  std::unique_ptr<RpcMetrics> metrics;
  std::unique_ptr<prometheus::Exposer> exposer;
  std::vector<std::string> health_names;  // the readiness-driven names
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<ReadinessLoop> readiness;
  // Guarded by internal::ShutdownMutex(), so that Wait() can await "signal
  // or Shutdown()" as one condition.
  bool shutdown_called = false;
  bool shutdown_done = false;
};

ServiceHost::ServiceHost(HostOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  log::SetServiceName(impl_->options.service_name);
  impl_->registry = std::make_shared<prometheus::Registry>();
}

std::shared_ptr<prometheus::Registry> ServiceHost::metrics_registry() const {
  return impl_->registry;
}

ServiceHost::~ServiceHost() { Shutdown(); }

void ServiceHost::AddService(grpc::Service* service) {
  impl_->services.push_back(service);
}

absl::Status ServiceHost::Start() {
  if (impl_->server != nullptr) {
    return absl::FailedPreconditionError("the server is already started");
  }
  {
    absl::MutexLock lock(&internal::ShutdownMutex());
    if (impl_->shutdown_called) {
      return absl::FailedPreconditionError(
          "the host was shut down; create a new ServiceHost to serve again");
    }
  }
  if (absl::Status valid = Validate(impl_->options); !valid.ok()) return valid;
  const HostOptions& options = impl_->options;
  InitGrpcGlobals();

  impl_->metrics = std::make_unique<RpcMetrics>(impl_->registry);
  if (!options.metrics_address.empty()) {
    try {
      impl_->exposer =
          std::make_unique<prometheus::Exposer>(options.metrics_address, 1);
    } catch (const std::exception& e) {
      return absl::UnavailableError(absl::StrCat(
          "cannot serve metrics on ", options.metrics_address, " (", e.what(),
          "); check --metrics_listen for a free host:port"));
    }
    impl_->exposer->RegisterCollectable(impl_->registry);
    const std::vector<int> ports = impl_->exposer->GetListeningPorts();
    metrics_port_ = ports.empty() ? 0 : ports.front();
  }

  // Debian's Abseil checks every mutex acquisition for lock-order cycles, a
  // debugging aid that costs a few percent of a service's CPU.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  grpc::ResourceQuota quota(absl::StrCat(options.service_name, "_server"));
  quota.SetMaxThreads(kMaxServerThreads);
  builder.SetResourceQuota(quota);
  // The sync server keeps only two idle pollers by default, so handlers
  // that wait on Redis make it create and end a thread for most calls
  // (about a third of the registry's CPU under load, bench/README.md).
  // Keeping a few pollers warm, up to the thread limit, avoids that churn.
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, kMinPollers);
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, kMaxServerThreads);
  ConfigureTransport(builder);

  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<RpcInterceptorFactory>(impl_->metrics.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  builder.SetOption(RegisteredServicesOption(
      [impl = impl_.get()](const std::vector<std::string>& names) {
        for (const std::string& name : names) {
          impl->metrics->DeclareService(name);
          if (!IsInfrastructureService(name)) {
            impl->health_names.push_back(name);
          }
        }
      }));
  for (grpc::Service* service : impl_->services) {
    builder.RegisterService(service);
  }

  impl_->server = builder.BuildAndStart();
  if (impl_->server == nullptr) {
    impl_->exposer.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot serve gRPC on ", options.listen_address,
                     ": the address is invalid or in use; check --listen"));
  }

  grpc::HealthCheckServiceInterface* health =
      impl_->server->GetHealthCheckService();
  // gRPC starts "" as SERVING; nothing is ready until the probe says so.
  health->SetServingStatus(kLivenessServiceName, true);
  health->SetServingStatus("", false);
  for (const std::string& name : impl_->health_names) {
    health->SetServingStatus(name, false);
  }
  log::Info("listening", {{"address", options.listen_address},
                          {"port", static_cast<int64_t>(port_)},
                          {"metrics_address", options.metrics_address},
                          {"metrics_port", static_cast<int64_t>(metrics_port_)},
                          {"max_message_bytes",
                           static_cast<int64_t>(options.max_message_bytes)}});
  impl_->readiness = std::make_unique<ReadinessLoop>(
      health, impl_->health_names, options.readiness_probe,
      options.readiness_interval);
  impl_->readiness->Start();
  return absl::OkStatus();
}

void ServiceHost::Wait() {
  absl::Mutex& mu = internal::ShutdownMutex();
  {
    absl::MutexLock lock(&mu);
    if (impl_->server == nullptr) return;
    mu.Await(absl::Condition(
        +[](Impl* impl) {
          return internal::SignalReceived() || impl->shutdown_called;
        },
        impl_.get()));
  }
  Shutdown();  // drains, or waits for the Shutdown() already under way
}

void ServiceHost::Shutdown() {
  absl::Mutex& mu = internal::ShutdownMutex();
  {
    absl::MutexLock lock(&mu);
    if (impl_->shutdown_called) {
      mu.Await(absl::Condition(&impl_->shutdown_done));
      return;
    }
    impl_->shutdown_called = true;
  }
  if (impl_->server != nullptr) {
    const absl::Duration drain = impl_->options.drain_timeout;
    log::Info("draining", {{"drain_timeout_s", absl::ToDoubleSeconds(drain)}});
    // Health first, so balancers and clients route elsewhere; then stop
    // accepting calls and give in-flight ones the drain timeout.
    impl_->readiness->Stop();
    impl_->server->GetHealthCheckService()->Shutdown();
    // Long-lived streams (a watched inbox) end now instead of holding the
    // drain open until its deadline.
    if (impl_->options.on_drain) impl_->options.on_drain();
    const absl::Time started = absl::Now();
    impl_->server->Shutdown(absl::ToChronoTime(started + drain));
    impl_->server->Wait();
    log::Info("stopped",
              {{"drain_s", absl::ToDoubleSeconds(absl::Now() - started)}});
    // Metrics stay scrapeable during the drain. Stopping the HTTP server
    // can take up to 2 s (civetweb polls its sockets in 2 s quanta).
    impl_->exposer.reset();
  }
  absl::MutexLock lock(&mu);
  impl_->shutdown_done = true;
}

}  // namespace brobygger::server
