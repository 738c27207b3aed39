#include "services/notifications/broadcast_scheduler.h"

#include <string>
#include <vector>

#include "common/log/log.h"
#include "services/notifications/followed_municipalities.h"

namespace brobygger::notifications {

absl::StatusOr<int> BroadcastScheduler::RunOnce() {
  absl::StatusOr<std::vector<std::string>> municipalities =
      FollowedMunicipalities(ctx_);
  if (!municipalities.ok()) {
    log::Warning(
        "reading the followed municipalities failed; retried next "
        "tick",
        {{"error", municipalities.status().ToString()}});
    return municipalities.status();
  }
  int sent = 0;
  absl::Status first_error;
  for (const std::string& municipality : *municipalities) {
    for (int batch = 0; batch < options_.max_batches_per_tick; ++batch) {
      if (worker_.stopping()) return sent;
      absl::StatusOr<int> made =
          broadcasts_.SendDue(municipality, options_.batch);
      if (!made.ok()) {
        log::Warning("sending due broadcasts failed; retried next tick",
                     {{"municipality", municipality},
                      {"error", made.status().ToString()}});
        first_error.Update(made.status());
        break;
      }
      sent += *made;
      if (*made < options_.batch) break;
    }
  }
  if (!first_error.ok()) return first_error;
  return sent;
}

}  // namespace brobygger::notifications
