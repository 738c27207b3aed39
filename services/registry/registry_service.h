// The gRPC edge of the registry: authorises, parses names and pages,
// calls the domain, and converts statuses. No rules live here.
#ifndef BROBYGGER_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
#define BROBYGGER_SERVICES_REGISTRY_REGISTRY_SERVICE_H_

#include <memory>

#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "common/auth/authorizer.h"
#include "services/registry/registry.h"

namespace brobygger::registry {

class RegistryService final : public v1::RegistryService::Service {
 public:
  RegistryService(Registry& registry,
                  std::shared_ptr<const auth::Authorizer> authorizer)
      : registry_(registry), authorizer_(std::move(authorizer)) {}

  using Context = grpc::ServerContext;

  grpc::Status CreateMunicipality(Context*,
                                  const v1::CreateMunicipalityRequest*,
                                  v1::Municipality*) override;
  grpc::Status GetMunicipality(Context*, const v1::GetMunicipalityRequest*,
                               v1::Municipality*) override;
  grpc::Status ListMunicipalities(Context*,
                                  const v1::ListMunicipalitiesRequest*,
                                  v1::ListMunicipalitiesResponse*) override;
  grpc::Status UpdateMunicipality(Context*,
                                  const v1::UpdateMunicipalityRequest*,
                                  v1::Municipality*) override;
  grpc::Status DeleteMunicipality(Context*,
                                  const v1::DeleteMunicipalityRequest*,
                                  google::protobuf::Empty*) override;

  grpc::Status CreateActor(Context*, const v1::CreateActorRequest*,
                           v1::Actor*) override;
  grpc::Status GetActor(Context*, const v1::GetActorRequest*,
                        v1::Actor*) override;
  grpc::Status ListActors(Context*, const v1::ListActorsRequest*,
                          v1::ListActorsResponse*) override;
  grpc::Status UpdateActor(Context*, const v1::UpdateActorRequest*,
                           v1::Actor*) override;
  grpc::Status DeleteActor(Context*, const v1::DeleteActorRequest*,
                           google::protobuf::Empty*) override;

  grpc::Status CreateContactPoint(Context*,
                                  const v1::CreateContactPointRequest*,
                                  v1::ContactPoint*) override;
  grpc::Status GetContactPoint(Context*, const v1::GetContactPointRequest*,
                               v1::ContactPoint*) override;
  grpc::Status ListContactPoints(Context*, const v1::ListContactPointsRequest*,
                                 v1::ListContactPointsResponse*) override;
  grpc::Status UpdateContactPoint(Context*,
                                  const v1::UpdateContactPointRequest*,
                                  v1::ContactPoint*) override;
  grpc::Status DeleteContactPoint(Context*,
                                  const v1::DeleteContactPointRequest*,
                                  google::protobuf::Empty*) override;
  grpc::Status ResolveContact(Context*, const v1::ResolveContactRequest*,
                              v1::ResolveContactResponse*) override;

  grpc::Status CreateForum(Context*, const v1::CreateForumRequest*,
                           v1::Forum*) override;
  grpc::Status GetForum(Context*, const v1::GetForumRequest*,
                        v1::Forum*) override;
  grpc::Status ListForums(Context*, const v1::ListForumsRequest*,
                          v1::ListForumsResponse*) override;
  grpc::Status UpdateForum(Context*, const v1::UpdateForumRequest*,
                           v1::Forum*) override;
  grpc::Status DeleteForum(Context*, const v1::DeleteForumRequest*,
                           google::protobuf::Empty*) override;
  grpc::Status DissolveForum(Context*, const v1::DissolveForumRequest*,
                             v1::Forum*) override;

  grpc::Status ListAuditEntries(Context*, const v1::ListAuditEntriesRequest*,
                                v1::ListAuditEntriesResponse*) override;

 private:
  Registry& registry_;
  std::shared_ptr<const auth::Authorizer> authorizer_;
};

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
