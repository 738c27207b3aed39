#include "tools/broctl/import_json.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace brobygger::broctl {

using Json = nlohmann::json;

absl::Status EntryError(absl::string_view where, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", message));
}

bool IsValidRef(absl::string_view ref) {
  if (ref.empty() || ref.size() > kMaxRefLength) return false;
  for (char c : ref) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<Json> ParseJsonObject(absl::string_view text,
                                     absl::string_view what,
                                     size_t max_bytes) {
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " is larger than ", max_bytes, " bytes: split it"));
  }
  Json root = Json::parse(text.begin(), text.end(), /*cb=*/nullptr,
                          /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    // Without exceptions nlohmann does not say where; a second parse that
    // may throw does, and is only paid for broken files.
    std::string detail = "not valid JSON";
    try {
      const Json unused = Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& error) {
      detail = error.what();
    }
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not valid JSON: ", detail));
  }
  return root;
}

absl::Status ParseMessage(const Json& object, absl::string_view where,
                          google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      object.dump(), message, options);
  if (!status.ok()) {
    return EntryError(
        where, absl::StrCat("not a valid ", message->GetDescriptor()->name(),
                            ": ", status.message().as_string()));
  }
  return absl::OkStatus();
}

}  // namespace brobygger::broctl
