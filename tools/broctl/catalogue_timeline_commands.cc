// broctl catalogue timeline get/set/analyze and catalogue plan
// create/get/list/delete/calendar: the reception timeline (the reception
// workshop's template) and the personal plans made from it.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "common/status/macros.h"
#include "google/protobuf/empty.pb.h"
#include "tools/broctl/catalogue_call.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/file_io.h"
#include "tools/broctl/paging.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::catalogue::v1;

// A template holds at most 500 items and 100 rules: far below this.
constexpr size_t kMaxTemplateFileBytes = 1024 * 1024;
constexpr int64_t kMaxMinEmptyWeeks = 34;
// Week offsets are printed even when 0: that is the arrival week.
constexpr bool kWithDefaults = true;

// The template in --file, for the municipality of --parent.
absl::StatusOr<v1::TimelineTemplate> TemplateFromFile(
    const Invocation& inv, const std::string& parent) {
  ASSIGN_OR_RETURN(const std::string path, inv.args.Require("file"));
  v1::TimelineTemplate timeline;
  RETURN_IF_ERROR(ReadJsonMessage(path, kMaxTemplateFileBytes,
                                  "the timeline template", &timeline));
  const std::string name = TimelineTemplateName(parent);
  if (!timeline.name().empty() && timeline.name() != name) {
    return absl::InvalidArgumentError(
        absl::StrCat("the template in ", path, " is ", timeline.name(),
                     ", not ", name, ": fix \"name\" or --parent"));
  }
  timeline.set_name(name);
  return timeline;
}

absl::Status TimelineGet(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  v1::GetTimelineTemplateRequest request;
  request.set_name(TimelineTemplateName(parent));
  return CallCatalogueAndPrint(inv, &CatalogueStub::GetTimelineTemplate,
                               request, kWithDefaults);
}

absl::Status TimelineSet(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  v1::UpdateTimelineTemplateRequest request;
  ASSIGN_OR_RETURN(*request.mutable_timeline_template(),
                   TemplateFromFile(inv, parent));
  if (auto etag = inv.args.Get("etag"); etag.has_value()) {
    request.mutable_timeline_template()->set_etag(*etag);
  }
  // The file is the whole template: items, order rules and the weekly
  // limit are replaced together.
  // A std::string: GCC 12 misreports -Wrestrict for the one-character
  // literal.
  request.mutable_update_mask()->add_paths(std::string("*"));
  return CallCatalogueAndPrint(inv, &CatalogueStub::UpdateTimelineTemplate,
                               request, kWithDefaults);
}

absl::Status TimelineAnalyze(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(
      const std::optional<int64_t> min_empty_weeks,
      IntOption(inv.args, "min-empty-weeks", 1, kMaxMinEmptyWeeks));
  v1::AnalyzeTimelineTemplateRequest request;
  request.set_name(TimelineTemplateName(parent));
  if (inv.args.Has("file")) {
    ASSIGN_OR_RETURN(*request.mutable_proposed(),
                     TemplateFromFile(inv, parent));
  }
  if (min_empty_weeks.has_value()) {
    request.set_min_empty_weeks(static_cast<int32_t>(*min_empty_weeks));
  }
  return CallCatalogueAndPrint(inv, &CatalogueStub::AnalyzeTimelineTemplate,
                               request, kWithDefaults);
}

absl::Status PlanCreate(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const std::string newcomer, inv.args.Require("newcomer"));
  ASSIGN_OR_RETURN(const std::string arrival, inv.args.Require("arrival"));
  v1::CreatePersonalPlanRequest request;
  request.set_parent(MunicipalityName(parent));
  request.mutable_personal_plan()->set_newcomer(
      ChildName(parent, "actors", newcomer));
  request.mutable_personal_plan()->set_arrival_date(arrival);
  request.set_request_id(inv.args.GetOr("request-id", ""));
  return CallCatalogueAndPrint(inv, &CatalogueStub::CreatePersonalPlan, request,
                               kWithDefaults);
}

absl::Status PlanGet(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("plan name"));
  v1::GetPersonalPlanRequest request;
  request.set_name(name);
  return CallCatalogueAndPrint(inv, &CatalogueStub::GetPersonalPlan, request,
                               kWithDefaults);
}

absl::Status PlanList(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::CatalogueService::NewStub(inv.Channel());
  v1::ListPersonalPlansRequest request;
  request.set_parent(MunicipalityName(parent));
  if (auto newcomer = inv.args.Get("newcomer"); newcomer.has_value()) {
    request.set_newcomer(ChildName(parent, "actors", *newcomer));
  }
  request.set_page_size(page.page_size);
  return ListPages<v1::ListPersonalPlansResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListPersonalPlansResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListPersonalPlans(inv.NewContext().get(), request, out);
      },
      [](v1::ListPersonalPlansResponse* all,
         v1::ListPersonalPlansResponse* page) {
        for (auto& plan : *page->mutable_personal_plans()) {
          *all->add_personal_plans() = std::move(plan);
        }
        return all->personal_plans_size();
      },
      kWithDefaults);
}

absl::Status PlanDelete(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("plan name"));
  v1::DeletePersonalPlanRequest request;
  request.set_name(name);
  return CallCatalogueAndPrint(inv, &CatalogueStub::DeletePersonalPlan,
                               request);
}

absl::Status PlanCalendar(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("plan name"));
  v1::ExportPersonalPlanCalendarRequest request;
  request.set_name(name);
  ASSIGN_OR_RETURN(
      const v1::CalendarFile calendar,
      CallCatalogue(inv, &CatalogueStub::ExportPersonalPlanCalendar, request));
  return WriteCalendarFile(inv.args.GetOr("out", ""), calendar);
}

}  // namespace

std::vector<Command> CatalogueTimelineCommands() {
  return {
      {.name = "catalogue timeline get",
       .synopsis = "--parent municipalities/ID",
       .summary = "Prints the reception timeline template (empty until "
                  "first set).",
       .options = {"parent"},
       .run = TimelineGet,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue timeline set",
       .synopsis = "--parent municipalities/ID --file TEMPLATE.json [--etag E]",
       .summary = "Replaces the template with a TimelineTemplate in proto3 "
                  "JSON (items, orderRules, maxNewItemsPerWeek).",
       .options = {"parent", "file", "etag"},
       .run = TimelineSet,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue timeline analyze",
       .synopsis = "--parent municipalities/ID [--file PROPOSED.json] "
                   "[--min-empty-weeks N]",
       .summary = "Overloaded weeks, empty stretches and broken order rules "
                  "of the stored template, or of a proposed one (not "
                  "stored).",
       .options = {"parent", "file", "min-empty-weeks"},
       .run = TimelineAnalyze,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue plan create",
       .synopsis = "--parent municipalities/ID --newcomer ACTOR "
                   "--arrival 2027-01-04 [--request-id ID]",
       .summary = "Applies the timeline to a newcomer's arrival date and "
                  "stores the personal plan (ACTOR: a name or an actor id).",
       .options = {"parent", "newcomer", "arrival", "request-id"},
       .run = PlanCreate,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue plan get",
       .synopsis = "municipalities/ID/personalPlans/N",
       .summary = "Prints a personal plan.",
       .min_positional = 1,
       .max_positional = 1,
       .run = PlanGet,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue plan list",
       .synopsis = "--parent municipalities/ID [--newcomer ACTOR] "
                   "[--page-size N] [--page-token T]",
       .summary = "Lists personal plans, of one newcomer with --newcomer.",
       .options = {"parent", "newcomer", "page-size", "page-token"},
       .run = PlanList,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue plan delete",
       .synopsis = "municipalities/ID/personalPlans/N",
       .summary = "Deletes a personal plan.",
       .min_positional = 1,
       .max_positional = 1,
       .run = PlanDelete,
       .default_address = kDefaultCatalogueAddress},
      {.name = "catalogue plan calendar",
       .synopsis = "municipalities/ID/personalPlans/N [--out FILE.ics]",
       .summary = "The plan as an iCalendar file, one all-week event per "
                  "item (stdout without --out).",
       .options = {"out"},
       .min_positional = 1,
       .max_positional = 1,
       .run = PlanCalendar,
       .default_address = kDefaultCatalogueAddress},
  };
}

}  // namespace brobygger::broctl
