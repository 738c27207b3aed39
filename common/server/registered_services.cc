#include "common/server/registered_services.h"

#include <utility>

#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/impl/server_initializer.h"

namespace brobygger::server {
namespace {

using Callback = std::function<void(const std::vector<std::string>&)>;

class RegisteredServicesPlugin : public grpc::ServerBuilderPlugin {
 public:
  explicit RegisteredServicesPlugin(Callback callback)
      : callback_(std::move(callback)) {}

  std::string name() override { return "brobygger_registered_services"; }
  void InitServer(grpc::ServerInitializer* initializer) override {
    callback_(*initializer->GetServiceList());
  }
  void Finish(grpc::ServerInitializer*) override {}
  void ChangeArguments(const std::string&, void*) override {}

 private:
  Callback callback_;
};

class RegisteredServicesBuilderOption : public grpc::ServerBuilderOption {
 public:
  explicit RegisteredServicesBuilderOption(Callback callback)
      : callback_(std::move(callback)) {}

  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    plugins->push_back(
        std::make_unique<RegisteredServicesPlugin>(std::move(callback_)));
  }

 private:
  Callback callback_;
};

}  // namespace

std::unique_ptr<grpc::ServerBuilderOption> RegisteredServicesOption(
    Callback on_services) {
  return std::make_unique<RegisteredServicesBuilderOption>(
      std::move(on_services));
}

}  // namespace brobygger::server
