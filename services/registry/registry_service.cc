#include "services/registry/registry_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/api/filter.h"
#include "common/api/pagination.h"
#include "common/api/request_id.h"
#include "common/api/resource_name.h"
#include "common/server/authorized_call.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace brobygger::registry {
namespace {

using auth::Principal;
using server::AuthorizedCall;

struct PageRequest {
  int size = 0;
  std::string cursor;
  std::string fingerprint;

  std::string NextToken(const std::string& next_cursor) const {
    return next_cursor.empty() ? ""
                               : api::EncodePageToken(next_cursor, fingerprint);
  }
};

// A page token is only valid for the query that produced it.
absl::StatusOr<PageRequest> ReadPage(
    int32_t page_size, const std::string& token,
    std::initializer_list<absl::string_view> query) {
  PageRequest page;
  page.fingerprint = absl::StrJoin(query, "\n");
  ASSIGN_OR_RETURN(page.size, api::ResolvePageSize(page_size));
  ASSIGN_OR_RETURN(page.cursor, api::DecodePageToken(token, page.fingerprint));
  return page;
}

// The municipality id of a "municipalities/{municipality}" parent.
absl::StatusOr<std::string> ParentMunicipality(const std::string& parent) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(
                       parent, "municipalities/{municipality}", "parent"));
  return parts[0];
}

}  // namespace

// Municipalities.

grpc::Status RegistryService::CreateMunicipality(
    Context* context, const v1::CreateMunicipalityRequest* request,
    v1::Municipality* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateMunicipality",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(api::ValidateRequestId(request->request_id()));
        ASSIGN_OR_RETURN(*response,
                         registry_.municipalities().Create(
                             principal, request->municipality_id(),
                             request->municipality(), request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::GetMunicipality(
    Context* context, const v1::GetMunicipalityRequest* request,
    v1::Municipality* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetMunicipality",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(
            auto parts,
            api::ParseResourceName(request->name(),
                                   "municipalities/{municipality}", "name"));
        ASSIGN_OR_RETURN(*response,
                         registry_.municipalities().Get(principal, parts[0]));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::ListMunicipalities(
    Context* context, const v1::ListMunicipalitiesRequest* request,
    v1::ListMunicipalitiesResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListMunicipalities",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(PageRequest page,
                         ReadPage(request->page_size(), request->page_token(),
                                  {"municipalities"}));
        ASSIGN_OR_RETURN(
            MunicipalityPage result,
            registry_.municipalities().List(principal, page.size, page.cursor));
        for (auto& municipality : result.municipalities) {
          *response->add_municipalities() = std::move(municipality);
        }
        response->set_next_page_token(page.NextToken(result.next_cursor));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::UpdateMunicipality(
    Context* context, const v1::UpdateMunicipalityRequest* request,
    v1::Municipality* response) {
  return AuthorizedCall(*authorizer_, *context, "UpdateMunicipality",
                        [&](const Principal& principal) -> absl::Status {
                          ASSIGN_OR_RETURN(
                              *response, registry_.municipalities().Update(
                                             principal, request->municipality(),
                                             request->update_mask()));
                          return absl::OkStatus();
                        });
}

grpc::Status RegistryService::DeleteMunicipality(
    Context* context, const v1::DeleteMunicipalityRequest* request,
    google::protobuf::Empty*) {
  return AuthorizedCall(
      *authorizer_, *context, "DeleteMunicipality",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(
            auto parts,
            api::ParseResourceName(request->name(),
                                   "municipalities/{municipality}", "name"));
        return registry_.municipalities().Delete(principal, parts[0],
                                                 request->etag());
      });
}

// Actors.

grpc::Status RegistryService::CreateActor(Context* context,
                                          const v1::CreateActorRequest* request,
                                          v1::Actor* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateActor",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string municipality,
                         ParentMunicipality(request->parent()));
        RETURN_IF_ERROR(api::ValidateRequestId(request->request_id()));
        ASSIGN_OR_RETURN(*response,
                         registry_.actors().Create(
                             principal, municipality, request->actor(),
                             {.request_id = request->request_id(),
                              .allow_duplicate = request->allow_duplicate()}));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::GetActor(Context* context,
                                       const v1::GetActorRequest* request,
                                       v1::Actor* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetActor",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(*response,
                         registry_.actors().Get(principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::ListActors(Context* context,
                                         const v1::ListActorsRequest* request,
                                         v1::ListActorsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListActors",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string municipality,
                         ParentMunicipality(request->parent()));
        ASSIGN_OR_RETURN(
            PageRequest page,
            ReadPage(request->page_size(), request->page_token(),
                     {"actors", request->parent(), request->filter()}));
        ASSIGN_OR_RETURN(
            ActorPage result,
            registry_.actors().List(principal, municipality, page.size,
                                    page.cursor, request->filter()));
        for (auto& actor : result.actors)
          *response->add_actors() = std::move(actor);
        response->set_next_page_token(page.NextToken(result.next_cursor));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::UpdateActor(Context* context,
                                          const v1::UpdateActorRequest* request,
                                          v1::Actor* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateActor",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(*response,
                         registry_.actors().Update(principal, request->actor(),
                                                   request->update_mask()));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::DeleteActor(Context* context,
                                          const v1::DeleteActorRequest* request,
                                          google::protobuf::Empty*) {
  return AuthorizedCall(*authorizer_, *context, "DeleteActor",
                        [&](const Principal& principal) -> absl::Status {
                          return registry_.actors().Delete(
                              principal, request->name(), request->etag());
                        });
}

// Contact points.

grpc::Status RegistryService::CreateContactPoint(
    Context* context, const v1::CreateContactPointRequest* request,
    v1::ContactPoint* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateContactPoint",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string municipality,
                         ParentMunicipality(request->parent()));
        RETURN_IF_ERROR(api::ValidateRequestId(request->request_id()));
        ASSIGN_OR_RETURN(*response,
                         registry_.contact_points().Create(
                             principal, municipality, request->contact_point(),
                             request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::GetContactPoint(
    Context* context, const v1::GetContactPointRequest* request,
    v1::ContactPoint* response) {
  return AuthorizedCall(*authorizer_, *context, "GetContactPoint",
                        [&](const Principal& principal) -> absl::Status {
                          ASSIGN_OR_RETURN(*response,
                                           registry_.contact_points().Get(
                                               principal, request->name()));
                          return absl::OkStatus();
                        });
}

grpc::Status RegistryService::ListContactPoints(
    Context* context, const v1::ListContactPointsRequest* request,
    v1::ListContactPointsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListContactPoints",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string municipality,
                         ParentMunicipality(request->parent()));
        ASSIGN_OR_RETURN(
            PageRequest page,
            ReadPage(request->page_size(), request->page_token(),
                     {"contactPoints", request->parent(), request->filter()}));
        ASSIGN_OR_RETURN(
            ContactPointPage result,
            registry_.contact_points().List(principal, municipality, page.size,
                                            page.cursor, request->filter()));
        for (auto& point : result.contact_points) {
          *response->add_contact_points() = std::move(point);
        }
        response->set_next_page_token(page.NextToken(result.next_cursor));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::UpdateContactPoint(
    Context* context, const v1::UpdateContactPointRequest* request,
    v1::ContactPoint* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateContactPoint",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(*response, registry_.contact_points().Update(
                                        principal, request->contact_point(),
                                        request->update_mask()));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::DeleteContactPoint(
    Context* context, const v1::DeleteContactPointRequest* request,
    google::protobuf::Empty*) {
  return AuthorizedCall(*authorizer_, *context, "DeleteContactPoint",
                        [&](const Principal& principal) -> absl::Status {
                          return registry_.contact_points().Delete(
                              principal, request->name(), request->etag());
                        });
}

grpc::Status RegistryService::ResolveContact(
    Context* context, const v1::ResolveContactRequest* request,
    v1::ResolveContactResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ResolveContact",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string municipality,
                         ParentMunicipality(request->parent()));
        if (request->topic().empty()) {
          return InvalidFieldError("topic", "is required, e.g. \"housing\"");
        }
        ASSIGN_OR_RETURN(*response, registry_.contact_points().Resolve(
                                        principal, municipality,
                                        request->topic(), request->area()));
        return absl::OkStatus();
      });
}

// Forums.

grpc::Status RegistryService::CreateForum(Context* context,
                                          const v1::CreateForumRequest* request,
                                          v1::Forum* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateForum",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string municipality,
                         ParentMunicipality(request->parent()));
        RETURN_IF_ERROR(api::ValidateRequestId(request->request_id()));
        ASSIGN_OR_RETURN(
            *response,
            registry_.forums().Create(principal, municipality, request->forum(),
                                      request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::GetForum(Context* context,
                                       const v1::GetForumRequest* request,
                                       v1::Forum* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetForum",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(*response,
                         registry_.forums().Get(principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::ListForums(Context* context,
                                         const v1::ListForumsRequest* request,
                                         v1::ListForumsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListForums",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string municipality,
                         ParentMunicipality(request->parent()));
        ASSIGN_OR_RETURN(
            PageRequest page,
            ReadPage(request->page_size(), request->page_token(),
                     {"forums", request->parent(), request->filter()}));
        ASSIGN_OR_RETURN(
            ForumPage result,
            registry_.forums().List(principal, municipality, page.size,
                                    page.cursor, request->filter()));
        for (auto& forum : result.forums)
          *response->add_forums() = std::move(forum);
        response->set_next_page_token(page.NextToken(result.next_cursor));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::UpdateForum(Context* context,
                                          const v1::UpdateForumRequest* request,
                                          v1::Forum* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateForum",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(*response,
                         registry_.forums().Update(principal, request->forum(),
                                                   request->update_mask()));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::DeleteForum(Context* context,
                                          const v1::DeleteForumRequest* request,
                                          google::protobuf::Empty*) {
  return AuthorizedCall(*authorizer_, *context, "DeleteForum",
                        [&](const Principal& principal) -> absl::Status {
                          return registry_.forums().Delete(
                              principal, request->name(), request->etag());
                        });
}

grpc::Status RegistryService::DissolveForum(
    Context* context, const v1::DissolveForumRequest* request,
    v1::Forum* response) {
  return AuthorizedCall(*authorizer_, *context, "DissolveForum",
                        [&](const Principal& principal) -> absl::Status {
                          ASSIGN_OR_RETURN(
                              *response,
                              registry_.forums().Dissolve(
                                  principal, request->name(), request->etag()));
                          return absl::OkStatus();
                        });
}

// Audit.

grpc::Status RegistryService::ListAuditEntries(
    Context* context, const v1::ListAuditEntriesRequest* request,
    v1::ListAuditEntriesResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListAuditEntries",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(std::string municipality,
                         ParentMunicipality(request->parent()));
        RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
        ASSIGN_OR_RETURN(std::vector<api::Restriction> restrictions,
                         api::ParseFilter(request->filter()));
        std::string newcomer;
        std::string reader;
        for (const api::Restriction& restriction : restrictions) {
          if (restriction.field == "newcomer" && restriction.op == "=") {
            newcomer = restriction.value;
          } else if (restriction.field == "reader" && restriction.op == "=") {
            reader = restriction.value;
          } else {
            return InvalidFieldError(
                "filter",
                absl::StrCat("unsupported restriction on \"", restriction.field,
                             "\"; use newcomer = \"...\" and/or "
                             "reader = \"...\""));
          }
        }
        ASSIGN_OR_RETURN(
            PageRequest page,
            ReadPage(request->page_size(), request->page_token(),
                     {"auditEntries", request->parent(), request->filter()}));
        ASSIGN_OR_RETURN(AuditPage result,
                         registry_.audit().List(municipality, page.cursor,
                                                page.size, newcomer, reader));
        for (auto& entry : result.entries) {
          *response->add_audit_entries() = std::move(entry);
        }
        response->set_next_page_token(page.NextToken(result.next_cursor));
        return absl::OkStatus();
      });
}

}  // namespace brobygger::registry
