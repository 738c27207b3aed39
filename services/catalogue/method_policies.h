// Who may call which CatalogueService method (role level; finer rules,
// e.g. "its own organisation's activities", are in the domain).
#ifndef BROBYGGER_SERVICES_CATALOGUE_METHOD_POLICIES_H_
#define BROBYGGER_SERVICES_CATALOGUE_METHOD_POLICIES_H_

#include <vector>

#include "common/auth/authorizer.h"

namespace brobygger::catalogue {

std::vector<auth::MethodPolicy> CatalogueMethodPolicies();

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_METHOD_POLICIES_H_
