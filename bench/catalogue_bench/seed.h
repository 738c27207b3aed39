// Loads the activity mix into a running catalogue over gRPC as a
// coordinator, many creates in flight: with appendfsync always every
// create waits for its fsync, and Redis fsyncs once for all writes that
// arrived meanwhile, so the rate grows with the creates in flight.
#ifndef BROBYGGER_BENCH_CATALOGUE_BENCH_SEED_H_
#define BROBYGGER_BENCH_CATALOGUE_BENCH_SEED_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "grpcpp/channel.h"

namespace brobygger::bench {

struct ActivitySeedOptions {
  std::string parent;  // "municipalities/aalborg"
  std::string token;
  int concurrency = 48;
  absl::Duration call_deadline = absl::Seconds(30);
  // Attempts per create while an organiser may still be unknown to the
  // catalogue (each refused attempt waited up to 2 s in the catalogue for
  // the registry's event); 1 = an unknown organiser is an error.
  int organiser_attempts = 1;
  // Told every `progress_every` creates how many are done.
  int progress_every = 10000;
  std::function<void(int done)> progress;
};

struct ActivitySeedRun {
  absl::Duration took;
  int retries = 0;
};

// Creates activities[begin, end), each with request_id
// "bench-activity-<i>" (a retry after a timeout is safe), and stores the
// created names in (*names)[i]. Transient failures are retried a few
// times; the first other failure stops the run and is returned.
absl::StatusOr<ActivitySeedRun> CreateActivities(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::vector<catalogue::v1::Activity>& activities, int begin, int end,
    const ActivitySeedOptions& options, std::vector<std::string>* names);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_CATALOGUE_BENCH_SEED_H_
