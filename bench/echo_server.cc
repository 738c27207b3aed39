// echo_server: brobygger.bench.v1.EchoService in the standard ServiceHost
// bootstrap, the target of the load benchmark. It takes the shared flags
// (--listen, --metrics_listen, --max_message_bytes, --drain_timeout,
// --log_level, or their BROBYGGER_* variables) and is always ready.
#include <cstdio>

#include "absl/status/status.h"
#include "common/bench/echo_service.h"
#include "common/config/flags.h"
#include "common/log/log.h"
#include "common/server/service_host.h"

int main(int argc, char** argv) {
  const std::vector<char*> positional =
      brobygger::config::ParseFlags(argc, argv);
  if (positional.size() > 1) {
    std::fprintf(stderr,
                 "echo_server takes no positional arguments (got \"%s\"); "
                 "see --help\n",
                 positional[1]);
    return 2;
  }
  brobygger::server::InstallSignalHandlers();

  brobygger::server::HostOptions options =
      brobygger::server::HostOptionsFromFlags("echo", "127.0.0.1:50100",
                                              "127.0.0.1:9190");
  options.readiness_probe = [] { return absl::OkStatus(); };

  brobygger::bench::EchoServiceImpl echo;
  brobygger::server::ServiceHost host(std::move(options));
  host.AddService(&echo);
  if (const absl::Status started = host.Start(); !started.ok()) {
    brobygger::log::Error("cannot start", {{"error", started.ToString()}});
    return 1;
  }
  host.Wait();
  return 0;
}
