// The catalogue calls the benchmark makes: SearchActivities and
// ListOccurrences, every answer checked (a wrong answer counts as an
// error). Every call carries the same coordinator token.
#ifndef BROBYGGER_BENCH_CATALOGUE_BENCH_SCENARIOS_H_
#define BROBYGGER_BENCH_CATALOGUE_BENCH_SCENARIOS_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "bench/harness/load.h"
#include "brobygger/catalogue/v1/catalogue_service.pb.h"
#include "grpcpp/channel.h"

namespace brobygger::bench {

// What a scenario's answers held, for the report: the first successful
// answer's counts, e.g. "20 / 31234" (results on the page / total_size).
class ResultNote {
 public:
  void SetOnce(std::string text);
  std::string text() const;

 private:
  mutable absl::Mutex mu_;
  bool set_ ABSL_GUARDED_BY(mu_) = false;
  std::string text_ ABSL_GUARDED_BY(mu_);
};

// SearchActivities with `request` every time. `offset` is the number of
// results on the pages before (0, or page_size for a page 2 request whose
// page_token is set): the page must hold min(page_size, total_size -
// offset) results, all matching the query, in next-occurrence order.
std::unique_ptr<Scenario> SearchScenario(
    std::string name, std::string token,
    catalogue::v1::SearchActivitiesRequest request, int offset,
    std::shared_ptr<ResultNote> note);

// ListOccurrences with `request` every time: at most page_size
// occurrences, all in the window, of the requested activity if one is
// named, in start order, and a next_page_token when the page is full.
std::unique_ptr<Scenario> OccurrencesScenario(
    std::string name, std::string token,
    catalogue::v1::ListOccurrencesRequest request,
    std::shared_ptr<ResultNote> note);

// Page 1 of `request`, synchronously: its next_page_token (empty if there
// is no page 2).
absl::StatusOr<std::string> NextPageToken(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
    const catalogue::v1::SearchActivitiesRequest& request);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_CATALOGUE_BENCH_SCENARIOS_H_
