// AIP-158 paging for broctl's list commands: by default every page is
// fetched and printed as one response; with --page-size or --page-token
// exactly one page is printed, with its nextPageToken.
#ifndef BROBYGGER_TOOLS_BROCTL_PAGING_H_
#define BROBYGGER_TOOLS_BROCTL_PAGING_H_

#include <functional>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/support/status.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {

// A listing never runs away: a server that kept returning tokens would
// otherwise keep broctl busy forever.
inline constexpr int kMaxListedItems = 1'000'000;
// The largest page the registry serves; used when fetching every page.
inline constexpr int kAllPagesPageSize = 1000;

struct PageRequest {
  int page_size = kAllPagesPageSize;
  std::string page_token;
  bool single_page = false;
};

absl::StatusOr<PageRequest> PageRequestFrom(const Args& args);

// `fetch(token, page)` calls the List method for one page; `merge(all,
// page)` moves the page's items into `all` and returns how many `all`
// holds. Prints the result as JSON (`with_defaults`: see PrintJson).
template <typename Response>
absl::Status ListPages(
    const PageRequest& request, const Invocation& inv,
    const std::function<grpc::Status(const std::string&, Response*)>& fetch,
    const std::function<int(Response*, Response*)>& merge,
    bool with_defaults = false) {
  if (request.single_page) {
    Response page;
    const grpc::Status status = fetch(request.page_token, &page);
    if (!status.ok()) return CallStatus(status, inv);
    return PrintJson(page, with_defaults);
  }
  Response all;
  std::string token;
  std::set<std::string> seen_tokens;
  while (true) {
    Response page;
    const grpc::Status status = fetch(token, &page);
    if (!status.ok()) return CallStatus(status, inv);
    const int count = merge(&all, &page);
    token = page.next_page_token();
    if (token.empty()) break;
    if (count > kMaxListedItems || !seen_tokens.insert(token).second) {
      return absl::OutOfRangeError(absl::StrCat(
          "stopped after ", count,
          " items: the listing does not end; narrow it with --filter or "
          "page with --page-size and --page-token"));
    }
  }
  return PrintJson(all, with_defaults);
}

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_PAGING_H_
