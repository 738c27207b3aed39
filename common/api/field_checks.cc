#include "common/api/field_checks.h"

#include <regex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
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

void NormalizeTags(google::protobuf::RepeatedPtrField<std::string>* tags) {
  std::set<std::string> seen;
  google::protobuf::RepeatedPtrField<std::string> out;
  for (std::string tag : *tags) {
    tag = absl::AsciiStrToLower(absl::StripAsciiWhitespace(tag));
    if (!tag.empty() && seen.insert(tag).second) *out.Add() = tag;
  }
  tags->Swap(&out);
}

void CheckTags(const google::protobuf::RepeatedPtrField<std::string>& tags,
               int max_count, const std::string& field,
               FieldViolations* violations) {
  if (tags.size() > max_count) {
    violations->Add(field, absl::StrCat("at most ", max_count, " entries (has ",
                                        tags.size(), ")"));
    return;
  }
  for (int i = 0; i < tags.size(); ++i) {
    CheckText(tags[i], kMaxTagLength, true, absl::StrCat(field, "[", i, "]"),
              "a tag such as \"bank\"", violations);
  }
}

bool IsValidLanguageCode(const std::string& code) {
  static const std::regex* pattern =
      new std::regex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$");
  return code.size() <= 35 && std::regex_match(code, *pattern);
}

}  // namespace brobygger::api
