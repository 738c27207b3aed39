// broctl contact resolve: "whom do I contact about TOPIC in AREA?"
#include <string>
#include <vector>

#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "common/status/macros.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {
namespace {

namespace registry = ::brobygger::registry::v1;

absl::Status Resolve(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const std::string topic, inv.args.Require("topic"));
  registry::ResolveContactRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_topic(topic);
  request.set_area(inv.args.GetOr("area", ""));
  auto stub = registry::RegistryService::NewStub(inv.Channel());
  registry::ResolveContactResponse response;
  const grpc::Status status =
      stub->ResolveContact(inv.NewContext().get(), request, &response);
  if (!status.ok()) return CallStatus(status, inv);
  return PrintJson(response);
}

}  // namespace

std::vector<Command> ContactCommands() {
  return {
      {.name = "contact resolve",
       .synopsis = "--parent municipalities/ID --topic TOPIC [--area AREA]",
       .summary = "Answers whom to contact about a topic (housing, "
                  "benefits, volunteering, ...) in an area, falling back to "
                  "the municipality's coordinator.",
       .options = {"parent", "topic", "area"},
       .run = Resolve},
  };
}

}  // namespace brobygger::broctl
