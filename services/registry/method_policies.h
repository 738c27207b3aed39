// Who may call which registry RPC. The Authorizer refuses to start the
// service if a method of RegistryService is missing here.
#ifndef BROBYGGER_SERVICES_REGISTRY_METHOD_POLICIES_H_
#define BROBYGGER_SERVICES_REGISTRY_METHOD_POLICIES_H_

#include <vector>

#include "common/auth/authorizer.h"

namespace brobygger::registry {

std::vector<auth::MethodPolicy> RegistryMethodPolicies();

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_METHOD_POLICIES_H_
