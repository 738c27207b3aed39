// Expires proposals nobody answered in time, in every municipality
// matching serves, and lets the lifecycle propose the next volunteer.
// Every replica runs one; two replicas expiring the same proposal is
// harmless (the second finds it expired already).
#ifndef BROBYGGER_SERVICES_MATCHING_PROPOSAL_EXPIRY_H_
#define BROBYGGER_SERVICES_MATCHING_PROPOSAL_EXPIRY_H_

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/matching/match_lifecycle.h"
#include "services/matching/matching_context.h"

namespace brobygger::matching {

class ProposalExpiry {
 public:
  ProposalExpiry(MatchingContext& ctx, MatchLifecycle& lifecycle,
                 absl::Duration interval)
      : ctx_(ctx), lifecycle_(lifecycle), interval_(interval) {}
  ~ProposalExpiry() { Stop(); }

  // One sweep over every municipality (exposed for tests).
  absl::Status SweepOnce(absl::Time now);

  void Start();
  void Stop();

 private:
  MatchingContext& ctx_;
  MatchLifecycle& lifecycle_;
  absl::Duration interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_PROPOSAL_EXPIRY_H_
