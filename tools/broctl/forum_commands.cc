// broctl forums list/get: the coordination fora, network groups and
// working groups, with their representation balance.
#include <string>
#include <vector>

#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "common/status/macros.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/paging.h"

namespace brobygger::broctl {
namespace {

namespace registry = ::brobygger::registry::v1;

absl::Status List(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = registry::RegistryService::NewStub(inv.Channel());
  registry::ListForumsRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_filter(inv.args.GetOr("filter", ""));
  request.set_page_size(page.page_size);
  return ListPages<registry::ListForumsResponse>(
      page, inv,
      [&](const std::string& token,
          registry::ListForumsResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListForums(inv.NewContext().get(), request, out);
      },
      [](registry::ListForumsResponse* all,
         registry::ListForumsResponse* page) {
        for (auto& forum : *page->mutable_forums()) {
          *all->add_forums() = std::move(forum);
        }
        return all->forums_size();
      });
}

absl::Status Get(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("forum name"));
  registry::GetForumRequest request;
  request.set_name(name);
  auto stub = registry::RegistryService::NewStub(inv.Channel());
  registry::Forum response;
  const grpc::Status status =
      stub->GetForum(inv.NewContext().get(), request, &response);
  if (!status.ok()) return CallStatus(status, inv);
  return PrintJson(response);
}

}  // namespace

std::vector<Command> ForumCommands() {
  return {
      {.name = "forums list",
       .synopsis = "--parent municipalities/ID [--filter EXPR] "
                   "[--page-size N] [--page-token T]",
       .summary = "Lists fora. Filter fields: kind (COORDINATION_FORUM, "
                  "NETWORK_GROUP, WORKING_GROUP), state (ACTIVE, DISSOLVED), "
                  "member (an actor name).",
       .options = {"parent", "filter", "page-size", "page-token"},
       .run = List},
      {.name = "forums get",
       .synopsis = "municipalities/ID/forums/N",
       .summary = "Prints a forum with its representation balance between "
                  "municipality and civil society.",
       .min_positional = 1,
       .max_positional = 1,
       .run = Get},
  };
}

}  // namespace brobygger::broctl
