// Drives the readiness half of grpc.health.v1: a background thread runs the
// probe every interval and sets the overall service "" and every listed
// service name SERVING or NOT_SERVING accordingly, logging each transition.
#ifndef BROBYGGER_COMMON_SERVER_READINESS_LOOP_H_
#define BROBYGGER_COMMON_SERVER_READINESS_LOOP_H_

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/health_check_service_interface.h"

namespace brobygger::server {

class ReadinessLoop {
 public:
  // `health` must outlive the loop. An empty probe means always ready.
  ReadinessLoop(grpc::HealthCheckServiceInterface* health,
                std::vector<std::string> service_names,
                std::function<absl::Status()> probe, absl::Duration interval);
  ~ReadinessLoop();  // stops the thread

  ReadinessLoop(const ReadinessLoop&) = delete;
  ReadinessLoop& operator=(const ReadinessLoop&) = delete;

  // Starts probing at once, then every interval.
  void Start();
  // Returns once the thread has finished; the last status set stays.
  void Stop();

 private:
  void Run();
  void Publish(bool ready, const absl::Status& probe_status);

  grpc::HealthCheckServiceInterface* health_;
  const std::vector<std::string> service_names_;
  const std::function<absl::Status()> probe_;
  const absl::Duration interval_;
  std::thread thread_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // Only touched by the probing thread.
  int last_ready_ = -1;  // -1 unknown, 0 not ready, 1 ready
};

}  // namespace brobygger::server

#endif  // BROBYGGER_COMMON_SERVER_READINESS_LOOP_H_
