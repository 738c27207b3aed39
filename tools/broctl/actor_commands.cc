// broctl actors list/get/delete. (`actors import` is in import_command.cc.)
#include <string>
#include <vector>

#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "common/status/macros.h"
#include "google/protobuf/empty.pb.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/paging.h"

namespace brobygger::broctl {
namespace {

namespace registry = ::brobygger::registry::v1;

absl::Status List(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = registry::RegistryService::NewStub(inv.Channel());
  registry::ListActorsRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_filter(inv.args.GetOr("filter", ""));
  request.set_page_size(page.page_size);
  return ListPages<registry::ListActorsResponse>(
      page, inv,
      [&](const std::string& token,
          registry::ListActorsResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListActors(inv.NewContext().get(), request, out);
      },
      [](registry::ListActorsResponse* all,
         registry::ListActorsResponse* page) {
        for (auto& actor : *page->mutable_actors()) {
          *all->add_actors() = std::move(actor);
        }
        return all->actors_size();
      });
}

absl::Status Get(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("actor name"));
  registry::GetActorRequest request;
  request.set_name(name);
  auto stub = registry::RegistryService::NewStub(inv.Channel());
  registry::Actor response;
  const grpc::Status status =
      stub->GetActor(inv.NewContext().get(), request, &response);
  if (!status.ok()) return CallStatus(status, inv);
  return PrintJson(response);
}

absl::Status Delete(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("actor name"));
  registry::DeleteActorRequest request;
  request.set_name(name);
  request.set_etag(inv.args.GetOr("etag", ""));
  auto stub = registry::RegistryService::NewStub(inv.Channel());
  google::protobuf::Empty response;
  const grpc::Status status =
      stub->DeleteActor(inv.NewContext().get(), request, &response);
  if (!status.ok()) return CallStatus(status, inv);
  return PrintJson(response);
}

}  // namespace

std::vector<Command> ActorCommands() {
  return {
      {.name = "actors list",
       .synopsis = "--parent municipalities/ID [--filter EXPR] "
                   "[--page-size N] [--page-token T]",
       .summary = "Lists actors, oldest first. Filter example: "
                  "'kind = VOLUNTEER AND area = \"Kærby\" AND "
                  "mother_tongue = \"ar\"' (see docs/registry.md).",
       .options = {"parent", "filter", "page-size", "page-token"},
       .run = List},
      {.name = "actors get",
       .synopsis = "municipalities/ID/actors/N",
       .summary = "Prints an actor (a newcomer in the caller's view; the "
                  "read is audited).",
       .min_positional = 1,
       .max_positional = 1,
       .run = Get},
      {.name = "actors delete",
       .synopsis = "municipalities/ID/actors/N [--etag E]",
       .summary = "Deletes an actor; a newcomer's personal data is erased.",
       .options = {"etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = Delete},
  };
}

}  // namespace brobygger::broctl
