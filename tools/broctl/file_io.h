// Reading and writing the files broctl is given (--file, --out), with a
// size limit on what it reads: a file is held in memory and sent in one
// message.
#ifndef BROBYGGER_TOOLS_BROCTL_FILE_IO_H_
#define BROBYGGER_TOOLS_BROCTL_FILE_IO_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace brobygger::broctl {

// The whole file; NOT_FOUND if it cannot be read, INVALID_ARGUMENT naming
// `what` if it is larger than `max_bytes`.
absl::StatusOr<std::string> ReadFileLimited(const std::string& path,
                                            size_t max_bytes,
                                            absl::string_view what);

// Reads `path` (at most `max_bytes`) as `message`'s proto3 JSON. Unknown
// fields are errors: a misspelt field must not be dropped silently.
absl::Status ReadJsonMessage(const std::string& path, size_t max_bytes,
                             absl::string_view what,
                             google::protobuf::Message* message);

// Writes `data` to `path` (replacing it), or to stdout when `path` is empty
// or "-".
absl::Status WriteOutput(const std::string& path, absl::string_view data);

// Whether WriteOutput(path, ...) writes to stdout.
bool IsStdout(const std::string& path);

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_FILE_IO_H_
