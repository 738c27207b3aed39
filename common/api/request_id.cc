#include "common/api/request_id.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "common/status/errors.h"

namespace brobygger::api {

absl::Status ValidateRequestId(absl::string_view request_id) {
  const bool valid =
      request_id.size() <= 64 &&
      std::all_of(request_id.begin(), request_id.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
               c == '_';
      });
  if (valid) return absl::OkStatus();
  return InvalidFieldError("request_id",
                           "must be at most 64 letters, digits, '-' or '_'; "
                           "a UUID is recommended");
}

}  // namespace brobygger::api
