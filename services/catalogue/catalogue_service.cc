#include "services/catalogue/catalogue_service.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/request_id.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/server/authorized_call.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "services/catalogue/calendar_export.h"

namespace brobygger::catalogue {
namespace {

using auth::Principal;
using server::AuthorizedCall;

constexpr char kCalendarContentType[] = "text/calendar; charset=utf-8";

// A resource name split into municipality and id.
struct Named {
  std::string municipality;
  std::string id;
};

absl::StatusOr<Named> ParseNamed(const std::string& name,
                                 absl::string_view collection,
                                 absl::string_view field) {
  ASSIGN_OR_RETURN(
      auto parts,
      api::ParseResourceName(
          name, absl::StrCat("municipalities/{municipality}/", collection, "/{id}"),
          field));
  if (!api::IsValidNumericId(parts[1])) {
    return InvalidFieldError(field, absl::StrCat("\"", parts[1],
                                                 "\" is not an id of ",
                                                 collection));
  }
  return Named{parts[0], parts[1]};
}

// The municipality of a singleton "municipalities/{m}/timelineTemplate".
absl::StatusOr<std::string> TemplateMunicipality(const std::string& name,
                                                 absl::string_view field) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(
                       name, "municipalities/{municipality}/timelineTemplate",
                       field));
  return parts[0];
}

// VEVENTs in an iCalendar text (content lines end in CRLF).
int CountEvents(absl::string_view ics) {
  int count = 0;
  for (size_t at = ics.find("BEGIN:VEVENT\r\n"); at != absl::string_view::npos;
       at = ics.find("BEGIN:VEVENT\r\n", at + 1)) {
    ++count;
  }
  return count;
}

std::optional<absl::Time> OptionalTime(
    bool present, const google::protobuf::Timestamp& timestamp) {
  if (!present) return std::nullopt;
  return store::FromTimestamp(timestamp);
}

}  // namespace

// Every handler first names the municipality it touches and checks that
// the caller may act there; only then does the catalogue follow that
// municipality's registry events (so made-up names leave no trace).
#define BROBYGGER_CATALOGUE_PARENT(var, parent)                             \
  ASSIGN_OR_RETURN(auto var##_parts,                                        \
                   api::ParseResourceName(                                  \
                       parent, "municipalities/{municipality}", "parent")); \
  const std::string var = var##_parts[0];                                   \
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, var));               \
  RETURN_IF_ERROR(catalogue_.follower().Follow(var))

#define BROBYGGER_CATALOGUE_NAMED(var, name, collection, field)          \
  ASSIGN_OR_RETURN(Named var, ParseNamed(name, collection, field));       \
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, var.municipality)); \
  RETURN_IF_ERROR(catalogue_.follower().Follow(var.municipality))

grpc::Status CatalogueService::CreateActivity(
    Context* context, const v1::CreateActivityRequest* request,
    v1::Activity* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateActivity",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        RETURN_IF_ERROR(api::ValidateRequestId(request->request_id()));
        ASSIGN_OR_RETURN(*response, catalogue_.activities().Create(
                                        principal, m, request->activity(),
                                        request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::GetActivity(
    Context* context, const v1::GetActivityRequest* request,
    v1::Activity* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetActivity",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_NAMED(named, request->name(), "activities", "name");
        ASSIGN_OR_RETURN(*response,
                         catalogue_.activities().Get(
                             principal, named.municipality, named.id));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::ListActivities(
    Context* context, const v1::ListActivitiesRequest* request,
    v1::ListActivitiesResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListActivities",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        ASSIGN_OR_RETURN(ActivityPage page,
                         catalogue_.activities().List(
                             principal, m, request->page_size(),
                             request->page_token(), request->filter()));
        for (v1::Activity& activity : page.activities) {
          *response->add_activities() = std::move(activity);
        }
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::UpdateActivity(
    Context* context, const v1::UpdateActivityRequest* request,
    v1::Activity* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateActivity",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_NAMED(named, request->activity().name(),
                                  "activities", "activity.name");
        ASSIGN_OR_RETURN(*response, catalogue_.activities().Update(
                                        principal, named.municipality,
                                        request->activity(),
                                        request->update_mask()));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::DeleteActivity(
    Context* context, const v1::DeleteActivityRequest* request,
    google::protobuf::Empty*) {
  return AuthorizedCall(
      *authorizer_, *context, "DeleteActivity",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_NAMED(named, request->name(), "activities", "name");
        return catalogue_.activities().Delete(principal, named.municipality,
                                              named.id, request->etag());
      });
}

grpc::Status CatalogueService::SearchActivities(
    Context* context, const v1::SearchActivitiesRequest* request,
    v1::SearchActivitiesResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "SearchActivities",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        ASSIGN_OR_RETURN(SearchPage page,
                         catalogue_.index().Search(
                             principal, m, request->query(),
                             request->page_size(), request->page_token()));
        for (v1::SearchResult& result : page.results) {
          *response->add_results() = std::move(result);
        }
        response->set_next_page_token(page.next_page_token);
        response->set_total_size(page.total_size);
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::ListOccurrences(
    Context* context, const v1::ListOccurrencesRequest* request,
    v1::ListOccurrencesResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListOccurrences",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        std::string activity_id;
        if (!request->activity().empty()) {
          ASSIGN_OR_RETURN(Named named, ParseNamed(request->activity(),
                                                   "activities", "activity"));
          if (named.municipality != m) {
            return InvalidFieldError("activity",
                                     "must be an activity of the parent");
          }
          activity_id = named.id;
        }
        FieldViolations violations;
        if (!request->has_start_time()) {
          violations.Add("start_time", "required: the window's start");
        }
        if (!request->has_end_time()) {
          violations.Add("end_time",
                         "required: the window's end, at most 400 days on");
        }
        RETURN_IF_ERROR(violations.ToStatus());
        ASSIGN_OR_RETURN(
            OccurrencePage page,
            catalogue_.index().ListOccurrences(
                principal, m, activity_id, request->query(),
                store::FromTimestamp(request->start_time()),
                store::FromTimestamp(request->end_time()),
                request->page_size(), request->page_token(),
                request->show_cancelled()));
        for (v1::Occurrence& occurrence : page.occurrences) {
          *response->add_occurrences() = std::move(occurrence);
        }
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::CancelOccurrence(
    Context* context, const v1::CancelOccurrenceRequest* request,
    v1::Activity* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CancelOccurrence",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_NAMED(named, request->name(), "activities", "name");
        ASSIGN_OR_RETURN(*response, catalogue_.activities().CancelOccurrence(
                                        principal, named.municipality,
                                        named.id, request->start_time(),
                                        request->reason(), request->etag()));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::ExportCalendar(
    Context* context, const v1::ExportCalendarRequest* request,
    v1::CalendarFile* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ExportCalendar",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        ASSIGN_OR_RETURN(CompiledQuery query,
                         CompileQuery(request->query(), "query"));
        ASSIGN_OR_RETURN(std::vector<v1::Activity> activities,
                         catalogue_.index().Matching(m, query));
        const std::string name = request->calendar_name().empty()
                                     ? absl::StrCat("Brobygger: ", m)
                                     : request->calendar_name();
        if (name.size() > 200) {
          return InvalidFieldError("calendar_name", "at most 200 characters");
        }
        response->set_content_type(kCalendarContentType);
        response->set_data(RenderActivitiesCalendar(name, activities));
        response->set_event_count(static_cast<int>(activities.size()));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::CreateCalendarFeed(
    Context* context, const v1::CreateCalendarFeedRequest* request,
    v1::CalendarFeed* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateCalendarFeed",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        RETURN_IF_ERROR(api::ValidateRequestId(request->request_id()));
        ASSIGN_OR_RETURN(*response, catalogue_.feeds().Create(
                                        principal, m, request->calendar_feed(),
                                        request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::GetCalendarFeed(
    Context* context, const v1::GetCalendarFeedRequest* request,
    v1::CalendarFeed* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetCalendarFeed",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_NAMED(named, request->name(), "calendarFeeds",
                                  "name");
        ASSIGN_OR_RETURN(*response, catalogue_.feeds().Get(
                                        principal, named.municipality,
                                        named.id));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::ListCalendarFeeds(
    Context* context, const v1::ListCalendarFeedsRequest* request,
    v1::ListCalendarFeedsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListCalendarFeeds",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        ASSIGN_OR_RETURN(FeedPage page, catalogue_.feeds().List(
                                            principal, m, request->page_size(),
                                            request->page_token()));
        for (v1::CalendarFeed& feed : page.feeds) {
          *response->add_calendar_feeds() = std::move(feed);
        }
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::DeleteCalendarFeed(
    Context* context, const v1::DeleteCalendarFeedRequest* request,
    google::protobuf::Empty*) {
  return AuthorizedCall(
      *authorizer_, *context, "DeleteCalendarFeed",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_NAMED(named, request->name(), "calendarFeeds",
                                  "name");
        return catalogue_.feeds().Delete(principal, named.municipality,
                                         named.id);
      });
}

grpc::Status CatalogueService::GetCoordinationReport(
    Context* context, const v1::GetCoordinationReportRequest* request,
    v1::CoordinationReport* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetCoordinationReport",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        if (request->has_window_start_time() !=
            request->has_window_end_time()) {
          return InvalidFieldError("window_end_time",
                                   "send both ends of the window or neither");
        }
        std::optional<absl::Duration> stale_after;
        if (request->has_stale_after()) {
          stale_after = absl::Seconds(request->stale_after().seconds());
        }
        ASSIGN_OR_RETURN(
            *response,
            catalogue_.reports().Build(
                principal, m,
                OptionalTime(request->has_window_start_time(),
                             request->window_start_time()),
                OptionalTime(request->has_window_end_time(),
                             request->window_end_time()),
                stale_after));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::GetTimelineTemplate(
    Context* context, const v1::GetTimelineTemplateRequest* request,
    v1::TimelineTemplate* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetTimelineTemplate",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string m,
                         TemplateMunicipality(request->name(), "name"));
        ASSIGN_OR_RETURN(*response, catalogue_.templates().Get(principal, m));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::UpdateTimelineTemplate(
    Context* context, const v1::UpdateTimelineTemplateRequest* request,
    v1::TimelineTemplate* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateTimelineTemplate",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string m,
                         TemplateMunicipality(
                             request->timeline_template().name(),
                             "timeline_template.name"));
        ASSIGN_OR_RETURN(*response, catalogue_.templates().Update(
                                        principal, m,
                                        request->timeline_template(),
                                        request->update_mask()));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::AnalyzeTimelineTemplate(
    Context* context, const v1::AnalyzeTimelineTemplateRequest* request,
    v1::TimelineAnalysis* response) {
  return AuthorizedCall(
      *authorizer_, *context, "AnalyzeTimelineTemplate",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string m,
                         TemplateMunicipality(request->name(), "name"));
        ASSIGN_OR_RETURN(*response,
                         catalogue_.templates().Analyze(
                             principal, m,
                             request->has_proposed() ? &request->proposed()
                                                     : nullptr,
                             request->min_empty_weeks()));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::CreatePersonalPlan(
    Context* context, const v1::CreatePersonalPlanRequest* request,
    v1::PersonalPlan* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreatePersonalPlan",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        RETURN_IF_ERROR(api::ValidateRequestId(request->request_id()));
        ASSIGN_OR_RETURN(*response, catalogue_.plans().Create(
                                        principal, m, request->personal_plan(),
                                        request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::GetPersonalPlan(
    Context* context, const v1::GetPersonalPlanRequest* request,
    v1::PersonalPlan* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetPersonalPlan",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_NAMED(named, request->name(), "personalPlans",
                                  "name");
        ASSIGN_OR_RETURN(*response, catalogue_.plans().Get(
                                        principal, named.municipality,
                                        named.id));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::ListPersonalPlans(
    Context* context, const v1::ListPersonalPlansRequest* request,
    v1::ListPersonalPlansResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListPersonalPlans",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        ASSIGN_OR_RETURN(PersonalPlanPage page,
                         catalogue_.plans().List(
                             principal, m, request->page_size(),
                             request->page_token(), request->newcomer()));
        for (v1::PersonalPlan& plan : page.plans) {
          *response->add_personal_plans() = std::move(plan);
        }
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::DeletePersonalPlan(
    Context* context, const v1::DeletePersonalPlanRequest* request,
    google::protobuf::Empty*) {
  return AuthorizedCall(
      *authorizer_, *context, "DeletePersonalPlan",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_NAMED(named, request->name(), "personalPlans",
                                  "name");
        return catalogue_.plans().Delete(principal, named.municipality,
                                         named.id);
      });
}

grpc::Status CatalogueService::ExportPersonalPlanCalendar(
    Context* context, const v1::ExportPersonalPlanCalendarRequest* request,
    v1::CalendarFile* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ExportPersonalPlanCalendar",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_NAMED(named, request->name(), "personalPlans",
                                  "name");
        ASSIGN_OR_RETURN(std::string ics,
                         catalogue_.plans().ExportCalendar(
                             principal, named.municipality, named.id));
        response->set_content_type(kCalendarContentType);
        response->set_event_count(CountEvents(ics));
        response->set_data(std::move(ics));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::ExportHsds(Context* context,
                                          const v1::ExportHsdsRequest* request,
                                          v1::HsdsDocument* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ExportHsds",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        ASSIGN_OR_RETURN(*response, catalogue_.hsds().Export(principal, m));
        return absl::OkStatus();
      });
}

grpc::Status CatalogueService::ImportHsds(Context* context,
                                          const v1::ImportHsdsRequest* request,
                                          v1::ImportHsdsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ImportHsds",
      [&](const Principal& principal) -> absl::Status {
        BROBYGGER_CATALOGUE_PARENT(m, request->parent());
        ASSIGN_OR_RETURN(*response,
                         catalogue_.hsds().Import(principal, m, request->json(),
                                                  request->validate_only(),
                                                  request->publish()));
        return absl::OkStatus();
      });
}

#undef BROBYGGER_CATALOGUE_PARENT
#undef BROBYGGER_CATALOGUE_NAMED

}  // namespace brobygger::catalogue
