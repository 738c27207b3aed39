#include "tools/broctl/file_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "google/protobuf/util/json_util.h"

namespace brobygger::broctl {

absl::StatusOr<std::string> ReadFileLimited(const std::string& path,
                                            size_t max_bytes,
                                            absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path,
                                            ": ", std::strerror(errno)));
  }
  // One byte more than allowed tells an oversized file from a full one.
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    return absl::DataLossError(
        absl::StrCat("reading ", what, " ", path, " failed"));
  }
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " ", path, " is larger than ", max_bytes, " bytes"));
  }
  return text;
}

absl::Status ReadJsonMessage(const std::string& path, size_t max_bytes,
                             absl::string_view what,
                             google::protobuf::Message* message) {
  ASSIGN_OR_RETURN(const std::string text,
                   ReadFileLimited(path, max_bytes, what));
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status =
      google::protobuf::util::JsonStringToMessage(text, message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " ", path, " is not a valid ", message->GetDescriptor()->name(),
        " (proto3 JSON): ", status.message().as_string()));
  }
  return absl::OkStatus();
}

bool IsStdout(const std::string& path) { return path.empty() || path == "-"; }

absl::Status WriteOutput(const std::string& path, absl::string_view data) {
  if (IsStdout(path)) {
    std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
    std::cout.flush();
    if (!std::cout) return absl::DataLossError("writing to stdout failed");
    return absl::OkStatus();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) {
    return absl::DataLossError(absl::StrCat("writing ", path, " failed"));
  }
  return absl::OkStatus();
}

}  // namespace brobygger::broctl
