#include "common/store/etag.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"

namespace brobygger::store {

std::string EtagOf(int64_t version) {
  return absl::StrCat("\"", version, "\"");
}

absl::Status CheckEtag(absl::string_view etag, int64_t version,
                       absl::string_view resource_name,
                       absl::string_view field) {
  if (etag.empty()) return absl::OkStatus();
  absl::string_view inner = etag;
  int64_t parsed = 0;
  if (!absl::ConsumePrefix(&inner, "\"") ||
      !absl::ConsumeSuffix(&inner, "\"") || !absl::SimpleAtoi(inner, &parsed)) {
    return InvalidFieldError(
        field,
        "is not an etag of this service: send back the etag of the "
        "resource as you read it, or leave it empty");
  }
  if (parsed != version) return EtagMismatchError(resource_name);
  return absl::OkStatus();
}

}  // namespace brobygger::store
