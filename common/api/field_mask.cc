#include "common/api/field_mask.h"

#include <algorithm>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/field_mask_util.h"

namespace brobygger::api {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;

// True if `path` equals `prefix` or lies below it ("a.b" is below "a").
bool IsAtOrBelow(const std::string& path, const std::string& prefix) {
  return path == prefix || absl::StartsWith(path, absl::StrCat(prefix, "."));
}

bool IsListed(const std::string& path, const std::vector<std::string>& list) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& entry) {
    return IsAtOrBelow(path, entry);
  });
}

}  // namespace

bool MaskCovers(const FieldMask& mask, const std::string& path) {
  return std::any_of(
      mask.paths().begin(), mask.paths().end(),
      [&](const std::string& entry) { return IsAtOrBelow(path, entry); });
}

absl::Status ApplyFieldMask(const FieldMask& mask, const Message& patch,
                            const FieldMaskRules& rules, Message* target) {
  if (mask.paths().empty()) {
    return InvalidFieldError(
        "update_mask",
        "is required: list the fields to change, e.g. \"display_name\", or "
        "\"*\" to replace every mutable field");
  }
  const google::protobuf::Descriptor* descriptor = patch.GetDescriptor();
  FieldMask effective;
  if (mask.paths_size() == 1 && mask.paths(0) == "*") {
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const std::string& name = descriptor->field(i)->name();
      if (!IsListed(name, rules.output_only) &&
          !IsListed(name, rules.immutable)) {
        effective.add_paths(name);
      }
    }
  } else {
    FieldViolations violations;
    for (const std::string& path : mask.paths()) {
      if (path == "*") {
        violations.Add("update_mask", "\"*\" must be the only path");
      } else if (!FieldMaskUtil::GetFieldDescriptors(descriptor, path,
                                                     nullptr)) {
        violations.Add("update_mask",
                       absl::StrCat("unknown field \"", path, "\" of ",
                                    descriptor->name()));
      } else if (IsListed(path, rules.output_only)) {
        violations.Add(
            "update_mask",
            absl::StrCat("\"", path, "\" is output only and cannot be set"));
      } else if (IsListed(path, rules.immutable)) {
        violations.Add("update_mask",
                       absl::StrCat("\"", path,
                                    "\" is immutable: delete and recreate "
                                    "the resource to change it"));
      } else {
        effective.add_paths(path);
      }
    }
    if (!violations.empty()) return violations.ToStatus();
  }
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, effective, options, target);
  return absl::OkStatus();
}

}  // namespace brobygger::api
