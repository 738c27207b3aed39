// broctl catalogue calendar, catalogue feed create/list/get/delete and
// catalogue hsds export/import: the catalogue for calendar programs and for
// other directories (Open Referral HSDS 3.0).
#include <iostream>
#include <string>
#include <vector>

#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "common/status/macros.h"
#include "nlohmann/json.hpp"
#include "tools/broctl/catalogue_call.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/file_io.h"
#include "tools/broctl/paging.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::catalogue::v1;

// ImportHsdsRequest.json: at most 8 MiB.
constexpr size_t kMaxHsdsFileBytes = 8 * 1024 * 1024;

absl::Status Calendar(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  v1::ExportCalendarRequest request;
  request.set_parent(MunicipalityName(parent));
  ASSIGN_OR_RETURN(*request.mutable_query(),
                   ActivityQueryFrom(inv.args, /*with_window=*/true));
  request.set_calendar_name(inv.args.GetOr("name", ""));
  ASSIGN_OR_RETURN(const v1::CalendarFile calendar,
                   CallCatalogue(inv, &CatalogueStub::ExportCalendar, request));
  return WriteCalendarFile(inv.args.GetOr("out", ""), calendar);
}

absl::Status FeedCreate(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const std::string display_name,
                   inv.args.Require("display-name"));
  v1::CreateCalendarFeedRequest request;
  request.set_parent(MunicipalityName(parent));
  request.mutable_calendar_feed()->set_display_name(display_name);
  ASSIGN_OR_RETURN(*request.mutable_calendar_feed()->mutable_query(),
                   ActivityQueryFrom(inv.args, /*with_window=*/true));
  request.set_request_id(inv.args.GetOr("request-id", ""));
  return CallCatalogueAndPrint(inv, &CatalogueStub::CreateCalendarFeed,
                               request);
}

absl::Status FeedGet(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("feed name"));
  v1::GetCalendarFeedRequest request;
  request.set_name(name);
  return CallCatalogueAndPrint(inv, &CatalogueStub::GetCalendarFeed, request);
}

absl::Status FeedList(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::CatalogueService::NewStub(inv.Channel());
  v1::ListCalendarFeedsRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_page_size(page.page_size);
  return ListPages<v1::ListCalendarFeedsResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListCalendarFeedsResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListCalendarFeeds(inv.NewContext().get(), request, out);
      },
      [](v1::ListCalendarFeedsResponse* all,
         v1::ListCalendarFeedsResponse* page) {
        for (auto& feed : *page->mutable_calendar_feeds()) {
          *all->add_calendar_feeds() = std::move(feed);
        }
        return all->calendar_feeds_size();
      });
}

absl::Status FeedDelete(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("feed name"));
  v1::DeleteCalendarFeedRequest request;
  request.set_name(name);
  return CallCatalogueAndPrint(inv, &CatalogueStub::DeleteCalendarFeed,
                               request);
}

absl::Status HsdsExport(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  v1::ExportHsdsRequest request;
  request.set_parent(MunicipalityName(parent));
  ASSIGN_OR_RETURN(const v1::HsdsDocument document,
                   CallCatalogue(inv, &CatalogueStub::ExportHsds, request));
  const std::string out = inv.args.GetOr("out", "");
  RETURN_IF_ERROR(WriteOutput(out, document.json()));
  if (IsStdout(out)) {
    if (!document.json().empty() && document.json().back() != '\n') {
      std::cout << "\n";
    }
    return absl::OkStatus();
  }
  const nlohmann::ordered_json summary = {
      {"file", out}, {"serviceCount", document.service_count()}};
  std::cout << summary.dump(2) << "\n";
  return absl::OkStatus();
}

absl::Status HsdsImport(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const std::string path, inv.args.Require("file"));
  ASSIGN_OR_RETURN(const bool validate_only,
                   BoolOption(inv.args, "validate-only"));
  ASSIGN_OR_RETURN(const bool publish, BoolOption(inv.args, "publish"));
  v1::ImportHsdsRequest request;
  request.set_parent(MunicipalityName(parent));
  ASSIGN_OR_RETURN(*request.mutable_json(),
                   ReadFileLimited(path, kMaxHsdsFileBytes, "the HSDS file"));
  request.set_validate_only(validate_only);
  request.set_publish(publish);
  return CallCatalogueAndPrint(inv, &CatalogueStub::ImportHsds, request);
}

}  // namespace

std::vector<Command> CatalogueExportCommands() {
  return {
      {.name = "catalogue calendar",
       .synopsis = "--parent municipalities/ID [query options of search] "
                   "[--name CALENDAR] [--out FILE.ics]",
       .summary = "The activities matching the query as an iCalendar file "
                  "(stdout without --out).",
       .options = WithQueryOptions({"parent", "name", "out"},
                                   /*with_window=*/true),
       .run = Calendar,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue feed create",
       .synopsis = "--parent municipalities/ID --display-name NAME "
                   "[query options of search] [--request-id ID]",
       .summary = "Saves the query as a calendar feed and prints its path "
                  "and url: anyone with the url can subscribe without a "
                  "token, so hand it out with care.",
       .options = WithQueryOptions({"parent", "display-name", "request-id"},
                                   /*with_window=*/true),
       .run = FeedCreate,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue feed get",
       .synopsis = "municipalities/ID/calendarFeeds/F",
       .summary = "Prints a calendar feed.",
       .min_positional = 1,
       .max_positional = 1,
       .run = FeedGet,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue feed list",
       .synopsis = "--parent municipalities/ID [--page-size N] "
                   "[--page-token T]",
       .summary = "Lists the calendar feeds.",
       .options = {"parent", "page-size", "page-token"},
       .run = FeedList,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue feed delete",
       .synopsis = "municipalities/ID/calendarFeeds/F",
       .summary = "Revokes a calendar feed: its url answers 404 from then "
                  "on.",
       .min_positional = 1,
       .max_positional = 1,
       .run = FeedDelete,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue hsds export",
       .synopsis = "--parent municipalities/ID [--out FILE.json]",
       .summary = "The published catalogue as Open Referral HSDS 3.0 JSON "
                  "(stdout without --out).",
       .options = {"parent", "out"},
       .run = HsdsExport,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue hsds import",
       .synopsis = "--parent municipalities/ID --file FILE.json "
                   "[--validate-only] [--publish]",
       .summary = "Creates or updates activities from HSDS 3.0 JSON "
                  "(coordinators). --validate-only checks and writes "
                  "nothing; --publish publishes created activities.",
       .options = {"parent", "file", "validate-only", "publish"},
       .run = HsdsImport,
       .default_address = kDefaultCatalogueAddress},
  };
}

}  // namespace brobygger::broctl
