#include "services/matching/proposal_expiry.h"

#include <chrono>

#include "common/log/log.h"
#include "common/status/macros.h"

namespace brobygger::matching {

absl::Status ProposalExpiry::SweepOnce(absl::Time now) {
  ASSIGN_OR_RETURN(redis::Reply tenants,
                   ctx_.pool.Run({"SMEMBERS", ctx_.keys.Tenants()}));
  if (tenants.is_error()) return absl::InternalError(tenants.str);
  absl::Status first_error;
  for (const redis::Reply& tenant : tenants.elements) {
    // Each call handles a bounded batch; a backlog drains over sweeps.
    auto expired = lifecycle_.ExpireDue(tenant.str, now);
    if (!expired.ok()) {
      first_error.Update(expired.status());
    } else if (*expired > 0) {
      log::Info("proposals expired",
                {{"municipality", tenant.str},
                 {"count", static_cast<int64_t>(*expired)}});
    }
  }
  return first_error;
}

void ProposalExpiry::Start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = false;
  }
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      lock.unlock();
      if (absl::Status status = SweepOnce(absl::Now()); !status.ok()) {
        log::Warning("expiring proposals failed",
                     {{"error", status.ToString()}});
      }
      lock.lock();
      wake_.wait_for(lock, absl::ToChronoMilliseconds(interval_),
                     [this] { return stop_; });
    }
  });
}

void ProposalExpiry::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace brobygger::matching
