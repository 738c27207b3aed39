// Checks of request fields that every service's validation shares.
#ifndef BROBYGGER_COMMON_API_FIELD_CHECKS_H_
#define BROBYGGER_COMMON_API_FIELD_CHECKS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace brobygger::api {

// Adds a violation of `field` when `text` is not UTF-8, is empty though
// `required` (explaining `what` belongs there), or is longer than
// `max_chars` characters.
void CheckText(const std::string& text, int max_chars, bool required,
               const std::string& field, absl::string_view what,
               FieldViolations* violations);

// Tags ("bank", "homework") are lowercase words of at most this many
// characters.
inline constexpr int kMaxTagLength = 64;

// Lowercases, trims and removes empty and repeated tags, keeping order.
void NormalizeTags(google::protobuf::RepeatedPtrField<std::string>* tags);

// Adds a violation of `field` when there are more than `max_count` tags,
// or of `field[i]` for an empty or over-long tag.
void CheckTags(const google::protobuf::RepeatedPtrField<std::string>& tags,
               int max_count, const std::string& field,
               FieldViolations* violations);

// A BCP 47 language tag as people use them: "ar", "ti", "prs", "pt-BR".
bool IsValidLanguageCode(const std::string& code);

}  // namespace brobygger::api

#endif  // BROBYGGER_COMMON_API_FIELD_CHECKS_H_
