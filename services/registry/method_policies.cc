#include "services/registry/method_policies.h"

namespace brobygger::registry {

std::vector<auth::MethodPolicy> RegistryMethodPolicies() {
  using auth::Role;
  const std::vector<Role> everyone = {Role::kOperator, Role::kCaseworker,
                                      Role::kCoordinator, Role::kNgoApp,
                                      Role::kVolunteer};
  const std::vector<Role> people_of_municipality = {
      Role::kCaseworker, Role::kCoordinator, Role::kNgoApp, Role::kVolunteer};
  const std::vector<Role> municipal_staff = {Role::kCaseworker,
                                             Role::kCoordinator};
  return {
      {"CreateMunicipality", {Role::kOperator}},
      {"GetMunicipality", everyone},
      {"ListMunicipalities", everyone},
      {"UpdateMunicipality",
       {Role::kOperator, Role::kCaseworker, Role::kCoordinator}},
      {"DeleteMunicipality", {Role::kOperator}},
      // Operators see actors (not newcomers) to support the tenants.
      {"CreateActor", {Role::kCaseworker, Role::kCoordinator, Role::kNgoApp}},
      {"GetActor", everyone},
      {"ListActors", everyone},
      {"UpdateActor", people_of_municipality},
      {"DeleteActor", people_of_municipality},
      {"CreateContactPoint", municipal_staff},
      {"GetContactPoint", people_of_municipality},
      {"ListContactPoints", people_of_municipality},
      {"UpdateContactPoint", municipal_staff},
      {"DeleteContactPoint", municipal_staff},
      {"ResolveContact", people_of_municipality},
      {"CreateForum", municipal_staff},
      {"GetForum", people_of_municipality},
      {"ListForums", people_of_municipality},
      {"UpdateForum", municipal_staff},
      {"DeleteForum", municipal_staff},
      {"DissolveForum", municipal_staff},
      {"ListAuditEntries", {Role::kOperator}},
  };
}

}  // namespace brobygger::registry
