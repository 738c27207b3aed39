// The gRPC edge of the catalogue: authorises each call, parses resource
// names and request fields, calls the domain, translates statuses.
#ifndef BROBYGGER_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
#define BROBYGGER_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_

#include <memory>

#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "common/auth/authorizer.h"
#include "services/catalogue/catalogue.h"

namespace brobygger::catalogue {

class CatalogueService final : public v1::CatalogueService::Service {
 public:
  CatalogueService(Catalogue& catalogue,
                   std::shared_ptr<const auth::Authorizer> authorizer)
      : catalogue_(catalogue), authorizer_(std::move(authorizer)) {}

  using Context = grpc::ServerContext;

  grpc::Status CreateActivity(Context*, const v1::CreateActivityRequest*,
                              v1::Activity*) override;
  grpc::Status GetActivity(Context*, const v1::GetActivityRequest*,
                           v1::Activity*) override;
  grpc::Status ListActivities(Context*, const v1::ListActivitiesRequest*,
                              v1::ListActivitiesResponse*) override;
  grpc::Status UpdateActivity(Context*, const v1::UpdateActivityRequest*,
                              v1::Activity*) override;
  grpc::Status DeleteActivity(Context*, const v1::DeleteActivityRequest*,
                              google::protobuf::Empty*) override;
  grpc::Status SearchActivities(Context*, const v1::SearchActivitiesRequest*,
                                v1::SearchActivitiesResponse*) override;
  grpc::Status ListOccurrences(Context*, const v1::ListOccurrencesRequest*,
                               v1::ListOccurrencesResponse*) override;
  grpc::Status CancelOccurrence(Context*, const v1::CancelOccurrenceRequest*,
                                v1::Activity*) override;
  grpc::Status ExportCalendar(Context*, const v1::ExportCalendarRequest*,
                              v1::CalendarFile*) override;
  grpc::Status CreateCalendarFeed(Context*,
                                  const v1::CreateCalendarFeedRequest*,
                                  v1::CalendarFeed*) override;
  grpc::Status GetCalendarFeed(Context*, const v1::GetCalendarFeedRequest*,
                               v1::CalendarFeed*) override;
  grpc::Status ListCalendarFeeds(Context*, const v1::ListCalendarFeedsRequest*,
                                 v1::ListCalendarFeedsResponse*) override;
  grpc::Status DeleteCalendarFeed(Context*,
                                  const v1::DeleteCalendarFeedRequest*,
                                  google::protobuf::Empty*) override;
  grpc::Status GetCoordinationReport(Context*,
                                     const v1::GetCoordinationReportRequest*,
                                     v1::CoordinationReport*) override;
  grpc::Status GetTimelineTemplate(Context*,
                                   const v1::GetTimelineTemplateRequest*,
                                   v1::TimelineTemplate*) override;
  grpc::Status UpdateTimelineTemplate(Context*,
                                      const v1::UpdateTimelineTemplateRequest*,
                                      v1::TimelineTemplate*) override;
  grpc::Status AnalyzeTimelineTemplate(
      Context*, const v1::AnalyzeTimelineTemplateRequest*,
      v1::TimelineAnalysis*) override;
  grpc::Status CreatePersonalPlan(Context*,
                                  const v1::CreatePersonalPlanRequest*,
                                  v1::PersonalPlan*) override;
  grpc::Status GetPersonalPlan(Context*, const v1::GetPersonalPlanRequest*,
                               v1::PersonalPlan*) override;
  grpc::Status ListPersonalPlans(Context*, const v1::ListPersonalPlansRequest*,
                                 v1::ListPersonalPlansResponse*) override;
  grpc::Status DeletePersonalPlan(Context*,
                                  const v1::DeletePersonalPlanRequest*,
                                  google::protobuf::Empty*) override;
  grpc::Status ExportPersonalPlanCalendar(
      Context*, const v1::ExportPersonalPlanCalendarRequest*,
      v1::CalendarFile*) override;
  grpc::Status ExportHsds(Context*, const v1::ExportHsdsRequest*,
                          v1::HsdsDocument*) override;
  grpc::Status ImportHsds(Context*, const v1::ImportHsdsRequest*,
                          v1::ImportHsdsResponse*) override;

 private:
  Catalogue& catalogue_;
  std::shared_ptr<const auth::Authorizer> authorizer_;
};

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
