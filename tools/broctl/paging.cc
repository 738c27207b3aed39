#include "tools/broctl/paging.h"

#include "absl/strings/numbers.h"

namespace brobygger::broctl {

absl::StatusOr<PageRequest> PageRequestFrom(const Args& args) {
  PageRequest request;
  if (auto size = args.Get("page-size"); size.has_value()) {
    if (!absl::SimpleAtoi(*size, &request.page_size) || request.page_size < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--page-size must be a number of items (0 for the server's "
          "default), not \"",
          *size, "\""));
    }
    request.single_page = true;
  }
  if (auto token = args.Get("page-token"); token.has_value()) {
    request.page_token = *token;
    request.single_page = true;
    if (!args.Has("page-size")) request.page_size = 0;
  }
  return request;
}

}  // namespace brobygger::broctl
