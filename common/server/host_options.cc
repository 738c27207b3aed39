#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "common/config/flags.h"
#include "common/server/service_host.h"

namespace brobygger::server {

HostOptions HostOptionsFromFlags(std::string service_name,
                                 std::string default_listen,
                                 std::string default_metrics) {
  HostOptions options;
  options.service_name = std::move(service_name);
  options.listen_address = absl::GetFlag(FLAGS_listen);
  if (options.listen_address.empty()) {
    options.listen_address = std::move(default_listen);
  }
  options.metrics_address = absl::GetFlag(FLAGS_metrics_listen);
  if (options.metrics_address.empty()) {
    options.metrics_address = std::move(default_metrics);
  }
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.drain_timeout = absl::GetFlag(FLAGS_drain_timeout);
  return options;
}

}  // namespace brobygger::server
