#include "common/server/readiness_loop.h"

#include <utility>

#include "common/log/log.h"

namespace brobygger::server {

ReadinessLoop::ReadinessLoop(grpc::HealthCheckServiceInterface* health,
                             std::vector<std::string> service_names,
                             std::function<absl::Status()> probe,
                             absl::Duration interval)
    : health_(health),
      service_names_(std::move(service_names)),
      probe_(std::move(probe)),
      interval_(interval) {}

ReadinessLoop::~ReadinessLoop() { Stop(); }

void ReadinessLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ReadinessLoop::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ReadinessLoop::Run() {
  while (true) {
    const absl::Status status = probe_ ? probe_() : absl::OkStatus();
    absl::MutexLock lock(&mu_);
    // Checked after the probe, which may have blocked past a Stop(): a late
    // result must not flip the health status back once shutdown began.
    if (stop_) return;
    Publish(status.ok(), status);
    if (mu_.AwaitWithTimeout(absl::Condition(&stop_), interval_)) return;
  }
}

void ReadinessLoop::Publish(bool ready, const absl::Status& probe_status) {
  if (static_cast<int>(ready) == last_ready_) return;
  last_ready_ = static_cast<int>(ready);
  health_->SetServingStatus("", ready);
  for (const std::string& name : service_names_) {
    health_->SetServingStatus(name, ready);
  }
  if (ready) {
    log::Info("ready: serving traffic");
  } else {
    log::Warning("not ready: readiness probe failed",
                 {{"error", probe_status.ToString()}});
  }
}

}  // namespace brobygger::server
