// broctl municipality create/get/list.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "common/status/macros.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/paging.h"

namespace brobygger::broctl {
namespace {

namespace registry = ::brobygger::registry::v1;

absl::Status Create(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string id, inv.OnePositional("municipality id"));
  ASSIGN_OR_RETURN(const std::string display_name,
                   inv.args.Require("display-name"));
  registry::CreateMunicipalityRequest request;
  request.set_municipality_id(id);
  registry::Municipality* municipality = request.mutable_municipality();
  municipality->set_display_name(display_name);
  for (absl::string_view area :
       absl::StrSplit(inv.args.GetOr("areas", ""), ',', absl::SkipEmpty())) {
    municipality->add_areas(std::string(area));
  }
  municipality->set_time_zone(inv.args.GetOr("time-zone", "Europe/Copenhagen"));
  request.set_request_id(inv.args.GetOr("request-id", ""));

  auto stub = registry::RegistryService::NewStub(inv.Channel());
  registry::Municipality response;
  const grpc::Status status =
      stub->CreateMunicipality(inv.NewContext().get(), request, &response);
  if (!status.ok()) return CallStatus(status, inv);
  return PrintJson(response);
}

absl::Status Get(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string id,
                   inv.OnePositional("municipality (id or name)"));
  registry::GetMunicipalityRequest request;
  request.set_name(MunicipalityName(id));
  auto stub = registry::RegistryService::NewStub(inv.Channel());
  registry::Municipality response;
  const grpc::Status status =
      stub->GetMunicipality(inv.NewContext().get(), request, &response);
  if (!status.ok()) return CallStatus(status, inv);
  return PrintJson(response);
}

absl::Status List(const Invocation& inv) {
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = registry::RegistryService::NewStub(inv.Channel());
  registry::ListMunicipalitiesRequest request;
  request.set_page_size(page.page_size);
  request.set_page_token(page.page_token);
  registry::ListMunicipalitiesResponse all;
  return ListPages<registry::ListMunicipalitiesResponse>(
      page, inv,
      [&](const std::string& token,
          registry::ListMunicipalitiesResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListMunicipalities(inv.NewContext().get(), request, out);
      },
      [](registry::ListMunicipalitiesResponse* all,
         registry::ListMunicipalitiesResponse* page) {
        for (auto& m : *page->mutable_municipalities()) {
          *all->add_municipalities() = std::move(m);
        }
        return all->municipalities_size();
      });
}

}  // namespace

std::vector<Command> MunicipalityCommands() {
  return {
      {.name = "municipality create",
       .synopsis = "ID --display-name NAME [--areas A,B,...] "
                   "[--time-zone Europe/Copenhagen] [--request-id UUID]",
       .summary = "Creates a municipality (operators).",
       .options = {"display-name", "areas", "time-zone", "request-id"},
       .min_positional = 1,
       .max_positional = 1,
       .run = Create},
      {.name = "municipality get",
       .synopsis = "ID|municipalities/ID",
       .summary = "Prints a municipality.",
       .min_positional = 1,
       .max_positional = 1,
       .run = Get},
      {.name = "municipality list",
       .synopsis = "[--page-size N] [--page-token T]",
       .summary = "Lists the municipalities the token may act in (every "
                  "page unless --page-size or --page-token is given).",
       .options = {"page-size", "page-token"},
       .run = List},
  };
}

}  // namespace brobygger::broctl
