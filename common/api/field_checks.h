// Checks of request fields that every service's validation shares.
#ifndef BROBYGGER_COMMON_API_FIELD_CHECKS_H_
#define BROBYGGER_COMMON_API_FIELD_CHECKS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace brobygger::api {

// Adds a violation of `field` when `text` is not UTF-8, is empty though
// `required` (explaining `what` belongs there), or is longer than
// `max_chars` characters.
void CheckText(const std::string& text, int max_chars, bool required,
               const std::string& field, absl::string_view what,
               FieldViolations* violations);

// A BCP 47 language tag as people use them: "ar", "ti", "prs", "pt-BR".
bool IsValidLanguageCode(const std::string& code);

}  // namespace brobygger::api

#endif  // BROBYGGER_COMMON_API_FIELD_CHECKS_H_
