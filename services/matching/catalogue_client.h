// Where activity suggestions come from: the catalogue's published
// activities, read through its gRPC API (architecture: a service never
// reads another's keys).
#ifndef BROBYGGER_SERVICES_MATCHING_CATALOGUE_CLIENT_H_
#define BROBYGGER_SERVICES_MATCHING_CATALOGUE_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"

namespace brobygger::matching {

// Published activities matching a query, with their next occurrence.
class ActivitySource {
 public:
  virtual ~ActivitySource() = default;
  // `authorization` is the caller's own "authorization" header value: the
  // catalogue decides what the caller may read, so matching needs no
  // identity of its own to read on a caller's behalf.
  virtual absl::StatusOr<std::vector<catalogue::v1::SearchResult>> Search(
      absl::string_view authorization, absl::string_view municipality,
      const catalogue::v1::ActivityQuery& query, int limit) = 0;
};

struct CatalogueClientOptions {
  std::string address = "127.0.0.1:50052";
  // Deadline of each call.
  absl::Duration deadline = absl::Seconds(3);
};

// The catalogue's SearchActivities over gRPC, paging up to `limit`.
class CatalogueClient : public ActivitySource {
 public:
  explicit CatalogueClient(CatalogueClientOptions options);

  absl::StatusOr<std::vector<catalogue::v1::SearchResult>> Search(
      absl::string_view authorization, absl::string_view municipality,
      const catalogue::v1::ActivityQuery& query, int limit) override;

 private:
  CatalogueClientOptions options_;
  std::unique_ptr<catalogue::v1::CatalogueService::Stub> stub_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_CATALOGUE_CLIENT_H_
