// Rules shared by the registry records a municipality keeps for itself
// (contact points, fora): who may change them, and how their free-text
// fields are checked.
#ifndef BROBYGGER_SERVICES_REGISTRY_RECORD_RULES_H_
#define BROBYGGER_SERVICES_REGISTRY_RECORD_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/api/field_checks.h"
#include "common/auth/principal.h"
#include "common/status/errors.h"
#include "common/text/fold.h"

namespace brobygger::registry {

// Only the municipality's caseworkers and coordinators change its
// `records` ("fora", "contact points"); others are told whom to ask.
inline absl::Status RequireEditor(const auth::Principal& principal,
                                  absl::string_view records) {
  if (principal.role == auth::Role::kCaseworker ||
      principal.role == auth::Role::kCoordinator) {
    return absl::OkStatus();
  }
  return PermissionDeniedError(
      "ROLE", absl::StrCat(records,
                           " are kept by the municipality's caseworkers and "
                           "coordinators; ask one of them to make the change"));
}

using api::CheckText;

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_RECORD_RULES_H_
