#include "services/matching/matching_service.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/server/authorized_call.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace brobygger::matching {
namespace {

using auth::Principal;
using server::AuthorizedCall;

// The caller's "authorization" header, forwarded to the catalogue so that
// its own authorisation decides what the caller may read.
std::string AuthorizationOf(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

absl::StatusOr<std::string> MatchingService::Tenant(const Principal& principal,
                                                    const std::string& name,
                                                    absl::string_view field) {
  // "municipalities/{m}" or "municipalities/{m}/..."; the rest of the name
  // is checked by the domain.
  const std::vector<absl::string_view> parts =
      absl::StrSplit(name, absl::MaxSplits('/', 2));
  if (parts.size() < 2 || parts[0] != "municipalities" ||
      !api::IsValidMunicipalityId(parts[1])) {
    return InvalidFieldError(
        field,
        "must start with \"municipalities/{municipality}\", e.g. "
        "\"municipalities/aalborg\"");
  }
  std::string municipality(parts[1]);
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(matching_.follower().Follow(municipality));
  return municipality;
}

grpc::Status MatchingService::CreateVolunteerRequest(
    Context* context, const v1::CreateVolunteerRequestRequest* request,
    v1::VolunteerRequest* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateVolunteerRequest",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(const std::string m,
                         Tenant(principal, request->parent(), "parent"));
        ASSIGN_OR_RETURN(
            *response, matching_.requests().Create(principal, m,
                                                   request->volunteer_request(),
                                                   request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::GetVolunteerRequest(
    Context* context, const v1::GetVolunteerRequestRequest* request,
    v1::VolunteerRequest* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetVolunteerRequest",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response,
                         matching_.requests().Get(principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::ListVolunteerRequests(
    Context* context, const v1::ListVolunteerRequestsRequest* request,
    v1::ListVolunteerRequestsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListVolunteerRequests",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(const std::string m,
                         Tenant(principal, request->parent(), "parent"));
        ASSIGN_OR_RETURN(RequestPage page,
                         matching_.requests().List(
                             principal, m, request->page_size(),
                             request->page_token(), request->filter()));
        for (v1::VolunteerRequest& item : page.requests)
          *response->add_volunteer_requests() = std::move(item);
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::UpdateVolunteerRequest(
    Context* context, const v1::UpdateVolunteerRequestRequest* request,
    v1::VolunteerRequest* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateVolunteerRequest",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->volunteer_request().name(),
                               "volunteer_request.name")
                            .status());
        ASSIGN_OR_RETURN(*response, matching_.requests().Update(
                                        principal, request->volunteer_request(),
                                        request->update_mask()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::CancelVolunteerRequest(
    Context* context, const v1::CancelVolunteerRequestRequest* request,
    v1::VolunteerRequest* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CancelVolunteerRequest",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response, matching_.lifecycle().CancelRequest(
                                        principal, request->name(),
                                        request->reason(), request->etag()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::SuggestMatches(
    Context* context, const v1::SuggestMatchesRequest* request,
    v1::SuggestMatchesResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "SuggestMatches",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->volunteer_request(), "volunteer_request")
                .status());
        ASSIGN_OR_RETURN(*response, matching_.suggestions().Suggest(
                                        principal, request->volunteer_request(),
                                        request->top_k()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::AssignMatches(
    Context* context, const v1::AssignMatchesRequest* request,
    v1::AssignMatchesResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "AssignMatches",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->parent(), "parent").status());
        ASSIGN_OR_RETURN(*response,
                         matching_.batch().Assign(principal, request->parent(),
                                                  request->volunteer_requests(),
                                                  request->validate_only()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::ProposeMatch(
    Context* context, const v1::ProposeMatchRequest* request,
    v1::Match* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ProposeMatch",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->volunteer_request(), "volunteer_request")
                .status());
        ASSIGN_OR_RETURN(*response,
                         matching_.lifecycle().Propose(
                             principal, request->volunteer_request(),
                             request->volunteer(), request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::GetMatch(Context* context,
                                       const v1::GetMatchRequest* request,
                                       v1::Match* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetMatch",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response,
                         matching_.matches().Get(principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::ListMatches(Context* context,
                                          const v1::ListMatchesRequest* request,
                                          v1::ListMatchesResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListMatches",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(const std::string m,
                         Tenant(principal, request->parent(), "parent"));
        ASSIGN_OR_RETURN(
            MatchPage page,
            matching_.matches().List(principal, m, request->page_size(),
                                     request->page_token(), request->filter()));
        for (v1::Match& item : page.matches)
          *response->add_matches() = std::move(item);
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::AcceptMatch(Context* context,
                                          const v1::AcceptMatchRequest* request,
                                          v1::Match* response) {
  return AuthorizedCall(
      *authorizer_, *context, "AcceptMatch",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(
            *response, matching_.lifecycle().Accept(principal, request->name(),
                                                    request->etag()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::DeclineMatch(
    Context* context, const v1::DeclineMatchRequest* request,
    v1::Match* response) {
  return AuthorizedCall(
      *authorizer_, *context, "DeclineMatch",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response, matching_.lifecycle().Decline(
                                        principal, request->name(),
                                        request->reason(), request->etag()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::ActivateMatch(
    Context* context, const v1::ActivateMatchRequest* request,
    v1::Match* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ActivateMatch",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response,
                         matching_.lifecycle().Activate(
                             principal, request->name(), request->etag()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::EndMatch(Context* context,
                                       const v1::EndMatchRequest* request,
                                       v1::Match* response) {
  return AuthorizedCall(
      *authorizer_, *context, "EndMatch",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response,
                         matching_.lifecycle().End(
                             principal, request->name(), request->reason(),
                             request->note(), request->etag()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::GetMatchingSettings(
    Context* context, const v1::GetMatchingSettingsRequest* request,
    v1::MatchingSettings* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetMatchingSettings",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response,
                         matching_.settings().Get(principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::UpdateMatchingSettings(
    Context* context, const v1::UpdateMatchingSettingsRequest* request,
    v1::MatchingSettings* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateMatchingSettings",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->matching_settings().name(),
                               "matching_settings.name")
                            .status());
        ASSIGN_OR_RETURN(*response, matching_.settings().Update(
                                        principal, request->matching_settings(),
                                        request->update_mask()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::GetVolunteerRecord(
    Context* context, const v1::GetVolunteerRecordRequest* request,
    v1::VolunteerRecord* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetVolunteerRecord",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response,
                         matching_.records().Get(principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::ExportVolunteerCertificate(
    Context* context, const v1::ExportVolunteerCertificateRequest* request,
    v1::VolunteerCertificate* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ExportVolunteerCertificate",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response, matching_.records().ExportCertificate(
                                        principal, request->name(),
                                        request->format(), request->issuer()));
        return absl::OkStatus();
      });
}

grpc::Status MatchingService::SuggestActivities(
    Context* context, const v1::SuggestActivitiesRequest* request,
    v1::SuggestActivitiesResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "SuggestActivities",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->newcomer(), "newcomer").status());
        ASSIGN_OR_RETURN(*response,
                         matching_.activities().Suggest(
                             principal, AuthorizationOf(*context), *request));
        return absl::OkStatus();
      });
}

}  // namespace brobygger::matching
