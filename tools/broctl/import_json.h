// JSON reading shared by broctl's import files (`actors import`,
// `catalogue import`): the document itself, refs, and entries parsed as
// proto3 JSON.
#ifndef BROBYGGER_TOOLS_BROCTL_IMPORT_JSON_H_
#define BROBYGGER_TOOLS_BROCTL_IMPORT_JSON_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "nlohmann/json.hpp"

namespace brobygger::broctl {

// Refs name entries of a file and become part of request ids.
inline constexpr size_t kMaxRefLength = 64;

// INVALID_ARGUMENT "<where>: <message>".
absl::Status EntryError(absl::string_view where, absl::string_view message);

// 1-64 letters, digits, '-', '_' or '.'.
bool IsValidRef(absl::string_view ref);

// The JSON object in `text` (at most `max_bytes`); INVALID_ARGUMENT naming
// `what` ("the import file") and where the JSON breaks.
absl::StatusOr<nlohmann::json> ParseJsonObject(absl::string_view text,
                                               absl::string_view what,
                                               size_t max_bytes);

// Parses what is left of an entry as proto3 JSON. Unknown fields are
// errors: a typo must not silently drop data.
absl::Status ParseMessage(const nlohmann::json& object,
                          absl::string_view where,
                          google::protobuf::Message* message);

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_IMPORT_JSON_H_
