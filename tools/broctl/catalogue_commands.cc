// broctl catalogue search/get/list/occurrences/cancel-occurrence/report:
// finding activities and their dates, and the coordination report.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "common/status/macros.h"
#include "tools/broctl/catalogue_call.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/paging.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::catalogue::v1;

// The coordination report's "stale" threshold, in days; bounded so that
// the duration stays meaningful.
constexpr int64_t kMaxStaleDays = 3650;

absl::Status Search(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const v1::ActivityQuery query,
                   ActivityQueryFrom(inv.args, /*with_window=*/true));
  ASSIGN_OR_RETURN(PageRequest page, PageRequestFrom(inv.args));
  ASSIGN_OR_RETURN(const bool all, BoolOption(inv.args, "all"));
  if (all && inv.args.Has("page-token")) {
    return absl::InvalidArgumentError(
        "--all fetches every page from the first: drop --page-token");
  }
  // Results come soonest first, so one page (the server's default size
  // unless --page-size) is what a person reads; --all fetches the rest.
  page.single_page = !all;
  if (!all && !inv.args.Has("page-size")) page.page_size = 0;

  auto stub = v1::CatalogueService::NewStub(inv.Channel());
  v1::SearchActivitiesRequest request;
  request.set_parent(MunicipalityName(parent));
  *request.mutable_query() = query;
  request.set_page_size(page.page_size);
  return ListPages<v1::SearchActivitiesResponse>(
      page, inv,
      [&](const std::string& token,
          v1::SearchActivitiesResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->SearchActivities(inv.NewContext().get(), request, out);
      },
      [](v1::SearchActivitiesResponse* all_results,
         v1::SearchActivitiesResponse* page_results) {
        for (auto& result : *page_results->mutable_results()) {
          *all_results->add_results() = std::move(result);
        }
        all_results->set_total_size(page_results->total_size());
        return all_results->results_size();
      });
}

absl::Status Get(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("activity name"));
  v1::GetActivityRequest request;
  request.set_name(name);
  return CallCatalogueAndPrint(inv, &CatalogueStub::GetActivity, request);
}

absl::Status List(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::CatalogueService::NewStub(inv.Channel());
  v1::ListActivitiesRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_filter(inv.args.GetOr("filter", ""));
  request.set_page_size(page.page_size);
  return ListPages<v1::ListActivitiesResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListActivitiesResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListActivities(inv.NewContext().get(), request, out);
      },
      [](v1::ListActivitiesResponse* all, v1::ListActivitiesResponse* page) {
        for (auto& activity : *page->mutable_activities()) {
          *all->add_activities() = std::move(activity);
        }
        return all->activities_size();
      });
}

absl::Status Occurrences(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const TimeWindow window, RequiredWindow(inv.args));
  ASSIGN_OR_RETURN(const v1::ActivityQuery query,
                   ActivityQueryFrom(inv.args, /*with_window=*/false));
  ASSIGN_OR_RETURN(const bool show_cancelled,
                   BoolOption(inv.args, "show-cancelled"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::CatalogueService::NewStub(inv.Channel());
  v1::ListOccurrencesRequest request;
  request.set_parent(MunicipalityName(parent));
  if (auto activity = inv.args.Get("activity"); activity.has_value()) {
    if (activity->empty()) {
      return absl::InvalidArgumentError("--activity: must not be empty");
    }
    request.set_activity(ChildName(parent, "activities", *activity));
  }
  *request.mutable_query() = query;
  *request.mutable_start_time() = ToProtoTimestamp(window.start);
  *request.mutable_end_time() = ToProtoTimestamp(window.end);
  request.set_show_cancelled(show_cancelled);
  request.set_page_size(page.page_size);
  return ListPages<v1::ListOccurrencesResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListOccurrencesResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListOccurrences(inv.NewContext().get(), request, out);
      },
      [](v1::ListOccurrencesResponse* all, v1::ListOccurrencesResponse* page) {
        for (auto& occurrence : *page->mutable_occurrences()) {
          *all->add_occurrences() = std::move(occurrence);
        }
        return all->occurrences_size();
      });
}

absl::Status CancelOccurrence(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("activity name"));
  ASSIGN_OR_RETURN(const std::string start, inv.args.Require("start"));
  ASSIGN_OR_RETURN(const std::string reason, inv.args.Require("reason"));
  v1::CancelOccurrenceRequest request;
  request.set_name(name);
  request.set_start_time(start);
  request.set_reason(reason);
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallCatalogueAndPrint(inv, &CatalogueStub::CancelOccurrence, request);
}

absl::Status Report(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const std::optional<TimeWindow> window,
                   OptionalWindow(inv.args));
  ASSIGN_OR_RETURN(const std::optional<int64_t> stale_days,
                   IntOption(inv.args, "stale-days", 1, kMaxStaleDays));
  v1::GetCoordinationReportRequest request;
  request.set_parent(MunicipalityName(parent));
  if (window.has_value()) {
    *request.mutable_window_start_time() = ToProtoTimestamp(window->start);
    *request.mutable_window_end_time() = ToProtoTimestamp(window->end);
  }
  if (stale_days.has_value()) {
    request.mutable_stale_after()->set_seconds(*stale_days * 86400);
  }
  return CallCatalogueAndPrint(inv, &CatalogueStub::GetCoordinationReport,
                               request);
}

}  // namespace

std::vector<Command> CatalogueCommands() {
  return {
      {.name = "catalogue search",
       .synopsis = "--parent municipalities/ID [--area A] "
                   "[--category LANGUAGE_CAFE,...] [--target CHILDREN] "
                   "[--child-age N] [--language ar] [--from T --to T] "
                   "[--free] [--max-price-ore N] [--text \"words\"] "
                   "[--kind CIVIL_OFFER|MUNICIPAL_TASK] [--organiser ACTOR] "
                   "[--page-size N] [--page-token T] [--all]",
       .summary = "Published activities matching a query, soonest first (one "
                  "page; --all for every page). Times are RFC 3339 or "
                  "Copenhagen local (2026-12-01T18:00, 2026-12-01).",
       .options = WithQueryOptions({"parent", "page-size", "page-token", "all"},
                                   /*with_window=*/true),
       .run = Search,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue get",
       .synopsis = "municipalities/ID/activities/N",
       .summary = "Prints an activity.",
       .min_positional = 1,
       .max_positional = 1,
       .run = Get,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue list",
       .synopsis = "--parent municipalities/ID [--filter EXPR] "
                   "[--page-size N] [--page-token T]",
       .summary = "Lists the activities the caller may see, drafts included. "
                  "Filter fields: state, kind, category, organiser, area.",
       .options = {"parent", "filter", "page-size", "page-token"},
       .run = List,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue occurrences",
       .synopsis = "--parent municipalities/ID [--activity NAME] --from T "
                   "--to T [--show-cancelled] [query options of search] "
                   "[--page-size N] [--page-token T]",
       .summary = "The dated occurrences of one activity or of those "
                  "matching the query, in a window of at most 400 days.",
       .options =
           WithQueryOptions({"parent", "activity", "from", "to",
                             "show-cancelled", "page-size", "page-token"},
                            /*with_window=*/false),
       .run = Occurrences,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue cancel-occurrence",
       .synopsis = "municipalities/ID/activities/N --start 2026-12-01T18:00 "
                   "--reason TEXT [--etag E]",
       .summary = "Cancels one occurrence (its local start, as occurrences "
                  "prints it); participants see the reason.",
       .options = {"start", "reason", "etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = CancelOccurrence,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue report",
       .synopsis = "--parent municipalities/ID [--from T --to T] "
                   "[--stale-days N]",
       .summary = "The coordination report: overlapping offers, gaps in "
                  "areas, stale activities (coordinators, caseworkers).",
       .options = {"parent", "from", "to", "stale-days"},
       .run = Report,
       .default_address = kDefaultCatalogueAddress},
  };
}

}  // namespace brobygger::broctl
