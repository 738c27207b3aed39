// Who may call each RPC of brobygger.matching.v1.MatchingService. The
// domain narrows further (own matches, own organisation, municipality).
#ifndef BROBYGGER_SERVICES_MATCHING_METHOD_POLICIES_H_
#define BROBYGGER_SERVICES_MATCHING_METHOD_POLICIES_H_

#include <vector>

#include "common/auth/authorizer.h"

namespace brobygger::matching {

std::vector<auth::MethodPolicy> MatchingMethodPolicies();

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_METHOD_POLICIES_H_
