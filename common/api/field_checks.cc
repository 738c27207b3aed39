#include "common/api/field_checks.h"

#include <regex>

#include "absl/strings/str_cat.h"
#include "common/text/fold.h"

namespace brobygger::api {

void CheckText(const std::string& text, int max_chars, bool required,
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

bool IsValidLanguageCode(const std::string& code) {
  static const std::regex* pattern =
      new std::regex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$");
  return code.size() <= 35 && std::regex_match(code, *pattern);
}

}  // namespace brobygger::api
