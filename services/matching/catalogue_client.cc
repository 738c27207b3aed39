#include "services/matching/catalogue_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace brobygger::matching {
namespace {

// The catalogue answers at most this many per page.
constexpr int kPageSize = 200;
// And this client reads at most this many in all.
constexpr int kMaxActivities = 500;

}  // namespace

CatalogueClient::CatalogueClient(CatalogueClientOptions options)
    : options_(std::move(options)),
      stub_(catalogue::v1::CatalogueService::NewStub(grpc::CreateChannel(
          options_.address, grpc::InsecureChannelCredentials()))) {}

absl::StatusOr<std::vector<catalogue::v1::SearchResult>>
CatalogueClient::Search(absl::string_view authorization,
                        absl::string_view municipality,
                        const catalogue::v1::ActivityQuery& query, int limit) {
  limit = std::clamp(limit, 0, kMaxActivities);
  std::vector<catalogue::v1::SearchResult> out;
  catalogue::v1::SearchActivitiesRequest request;
  request.set_parent(absl::StrCat("municipalities/", municipality));
  *request.mutable_query() = query;
  while (static_cast<int>(out.size()) < limit) {
    request.set_page_size(
        std::min(kPageSize, limit - static_cast<int>(out.size())));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.deadline));
    if (!authorization.empty()) {
      context.AddMetadata("authorization", std::string(authorization));
    }
    catalogue::v1::SearchActivitiesResponse response;
    const grpc::Status status =
        stub_->SearchActivities(&context, request, &response);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("catalogue: ", status.error_message()));
    }
    for (catalogue::v1::SearchResult& result : *response.mutable_results()) {
      out.push_back(std::move(result));
    }
    if (response.next_page_token().empty() || response.results().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return out;
}

}  // namespace brobygger::matching
