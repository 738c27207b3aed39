// Learns the full names of the services a grpc::ServerBuilder registers
// ("brobygger.registry.v1.RegistryService"). grpc::Service does not expose
// its name, but the builder hands it to plugins after registration and
// before the server starts, which is exactly when health statuses and
// metric labels must be prepared.
#ifndef BROBYGGER_COMMON_SERVER_REGISTERED_SERVICES_H_
#define BROBYGGER_COMMON_SERVER_REGISTERED_SERVICES_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/impl/server_builder_option.h"

namespace brobygger::server {

// Pass to ServerBuilder::SetOption(); `on_services` runs once inside
// BuildAndStart(), before the server accepts calls.
std::unique_ptr<grpc::ServerBuilderOption> RegisteredServicesOption(
    std::function<void(const std::vector<std::string>&)> on_services);

}  // namespace brobygger::server

#endif  // BROBYGGER_COMMON_SERVER_REGISTERED_SERVICES_H_
