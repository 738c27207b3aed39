// The gRPC edge of the matching service: authorises each call, learns the
// municipality it touches, runs the domain and translates its status.
#ifndef BROBYGGER_SERVICES_MATCHING_MATCHING_SERVICE_H_
#define BROBYGGER_SERVICES_MATCHING_MATCHING_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "brobygger/matching/v1/matching_service.grpc.pb.h"
#include "common/auth/authorizer.h"
#include "services/matching/matching.h"

namespace brobygger::matching {

class MatchingService final : public v1::MatchingService::Service {
 public:
  MatchingService(Matching& matching,
                  std::shared_ptr<const auth::Authorizer> authorizer)
      : matching_(matching), authorizer_(std::move(authorizer)) {}

  using Context = grpc::ServerContext;

  grpc::Status CreateVolunteerRequest(Context*,
                                      const v1::CreateVolunteerRequestRequest*,
                                      v1::VolunteerRequest*) override;
  grpc::Status GetVolunteerRequest(Context*,
                                   const v1::GetVolunteerRequestRequest*,
                                   v1::VolunteerRequest*) override;
  grpc::Status ListVolunteerRequests(
      Context*, const v1::ListVolunteerRequestsRequest*,
      v1::ListVolunteerRequestsResponse*) override;
  grpc::Status UpdateVolunteerRequest(Context*,
                                      const v1::UpdateVolunteerRequestRequest*,
                                      v1::VolunteerRequest*) override;
  grpc::Status CancelVolunteerRequest(Context*,
                                      const v1::CancelVolunteerRequestRequest*,
                                      v1::VolunteerRequest*) override;
  grpc::Status SuggestMatches(Context*, const v1::SuggestMatchesRequest*,
                              v1::SuggestMatchesResponse*) override;
  grpc::Status AssignMatches(Context*, const v1::AssignMatchesRequest*,
                             v1::AssignMatchesResponse*) override;
  grpc::Status ProposeMatch(Context*, const v1::ProposeMatchRequest*,
                            v1::Match*) override;
  grpc::Status GetMatch(Context*, const v1::GetMatchRequest*,
                        v1::Match*) override;
  grpc::Status ListMatches(Context*, const v1::ListMatchesRequest*,
                           v1::ListMatchesResponse*) override;
  grpc::Status AcceptMatch(Context*, const v1::AcceptMatchRequest*,
                           v1::Match*) override;
  grpc::Status DeclineMatch(Context*, const v1::DeclineMatchRequest*,
                            v1::Match*) override;
  grpc::Status ActivateMatch(Context*, const v1::ActivateMatchRequest*,
                             v1::Match*) override;
  grpc::Status EndMatch(Context*, const v1::EndMatchRequest*,
                        v1::Match*) override;
  grpc::Status GetMatchingSettings(Context*,
                                   const v1::GetMatchingSettingsRequest*,
                                   v1::MatchingSettings*) override;
  grpc::Status UpdateMatchingSettings(Context*,
                                      const v1::UpdateMatchingSettingsRequest*,
                                      v1::MatchingSettings*) override;
  grpc::Status GetVolunteerRecord(Context*,
                                  const v1::GetVolunteerRecordRequest*,
                                  v1::VolunteerRecord*) override;
  grpc::Status ExportVolunteerCertificate(
      Context*, const v1::ExportVolunteerCertificateRequest*,
      v1::VolunteerCertificate*) override;
  grpc::Status SuggestActivities(Context*, const v1::SuggestActivitiesRequest*,
                                 v1::SuggestActivitiesResponse*) override;

 private:
  // The municipality `name` (a resource name or parent) belongs to, once
  // the caller may act there; only then does matching follow that
  // municipality's registry events (so made-up names leave no trace).
  absl::StatusOr<std::string> Tenant(const auth::Principal& principal,
                                     const std::string& name,
                                     absl::string_view field);

  Matching& matching_;
  std::shared_ptr<const auth::Authorizer> authorizer_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCHING_SERVICE_H_
