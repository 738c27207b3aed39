#include "common/server/rpc_metrics.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace brobygger::server {
namespace {

// Taken when the library is loaded, i.e. at process start for all purposes
// of a dashboard (restarts show up as jumps).
const absl::Time kProcessStart = absl::Now();

// From 0.5 ms (a cached read) to 10 s (beyond any deadline we set).
const prometheus::Histogram::BucketBoundaries& Buckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return *buckets;
}

constexpr char kHealthService[] = "grpc.health.v1.Health";

}  // namespace

RpcMetrics::Method::Method(RpcMetrics* owner, std::string service,
                           std::string method)
    : owner_(owner),
      service_(std::move(service)),
      method_(std::move(method)),
      started_(&owner->started_family_.Add(
          {{"service", service_}, {"method", method_}})),
      seconds_(&owner->seconds_family_.Add(
          {{"service", service_}, {"method", method_}}, Buckets())) {}

void RpcMetrics::Method::Handled(grpc::StatusCode code, double seconds) {
  seconds_->Observe(seconds);
  int index = static_cast<int>(code);
  if (index < 0 || index >= kGrpcCodeCount) {
    index = static_cast<int>(grpc::StatusCode::UNKNOWN);
  }
  prometheus::Counter* counter =
      handled_[index].load(std::memory_order_acquire);
  if (counter == nullptr) {
    absl::MutexLock lock(&owner_->handled_mu_);
    counter = handled_[index].load(std::memory_order_relaxed);
    if (counter == nullptr) {
      counter = &owner_->handled_family_.Add(
          {{"service", service_},
           {"method", method_},
           {"code",
            std::string(GrpcCodeName(static_cast<grpc::StatusCode>(index)))}});
      handled_[index].store(counter, std::memory_order_release);
    }
  }
  counter->Increment();
}

RpcMetrics::RpcMetrics(std::shared_ptr<prometheus::Registry> registry)
    : registry_(std::move(registry)),
      started_family_(prometheus::BuildCounter()
                          .Name("grpc_server_started_total")
                          .Help("RPCs started on the server.")
                          .Register(*registry_)),
      handled_family_(prometheus::BuildCounter()
                          .Name("grpc_server_handled_total")
                          .Help("RPCs completed on the server, by status code.")
                          .Register(*registry_)),
      seconds_family_(prometheus::BuildHistogram()
                          .Name("grpc_server_handling_seconds")
                          .Help("Time from receiving an RPC to sending its "
                                "status, in seconds.")
                          .Register(*registry_)) {
  prometheus::BuildGauge()
      .Name("process_start_time_seconds")
      .Help("Start time of the process since the Unix epoch, in seconds.")
      .Register(*registry_)
      .Add({})
      .Set(absl::ToDoubleSeconds(kProcessStart - absl::UnixEpoch()));
  unknown_.reset(new Method(this, "unknown", "unknown"));
  // Served by gRPC itself, not generated from a .proto we link.
  DeclareMethod(kHealthService, "Check");
  DeclareMethod(kHealthService, "Watch");
}

void RpcMetrics::DeclareMethod(absl::string_view service,
                               absl::string_view method) {
  std::string path = absl::StrCat("/", service, "/", method);
  if (methods_.contains(path)) return;
  methods_.emplace(std::move(path),
                   std::unique_ptr<Method>(new Method(
                       this, std::string(service), std::string(method))));
}

void RpcMetrics::DeclareService(absl::string_view full_service_name) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(full_service_name));
  if (service == nullptr) return;  // counted as "unknown"
  for (int i = 0; i < service->method_count(); ++i) {
    DeclareMethod(service->full_name(), service->method(i)->name());
  }
}

RpcMetrics::Method* RpcMetrics::ForPath(absl::string_view path) {
  const auto it = methods_.find(path);
  return it == methods_.end() ? unknown_.get() : it->second.get();
}

}  // namespace brobygger::server
