// Rules shared by the registry records a municipality keeps for itself
// (contact points, fora): who may change them, and how their free-text
// fields are checked.
#ifndef BROBYGGER_SERVICES_REGISTRY_RECORD_RULES_H_
#define BROBYGGER_SERVICES_REGISTRY_RECORD_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
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

// Adds a violation of `field` when `text` is not UTF-8, is empty though
// `required` (explaining `what` belongs there), or is longer than
// `max_chars` characters.
inline void CheckText(const std::string& text, int max_chars, bool required,
                      const std::string& field, absl::string_view what,
                      FieldViolations* violations) {
  const int length = text::Utf8Length(text);
  if (length < 0) {
    violations->Add(field, "must be valid UTF-8");
  } else if (required && length == 0) {
    violations->Add(field, absl::StrCat("is required: ", std::string(what)));
  } else if (length > max_chars) {
    violations->Add(field, absl::StrCat("must be at most ", max_chars,
                                        " characters (has ", length, ")"));
  }
}

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_RECORD_RULES_H_
