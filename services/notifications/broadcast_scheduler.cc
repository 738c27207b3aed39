#include "services/notifications/broadcast_scheduler.h"

#include <string>

#include "common/log/log.h"

namespace brobygger::notifications {

absl::StatusOr<int> BroadcastScheduler::RunOnce() {
  absl::StatusOr<redis::Reply> municipalities =
      ctx_.pool.Run({"ZRANGE", ctx_.keys.Municipalities(), "0", "-1"});
  if (municipalities.ok() && municipalities->is_error()) {
    municipalities = absl::UnavailableError(municipalities->str);
  }
  if (!municipalities.ok()) {
    log::Warning(
        "reading the followed municipalities failed; retried next "
        "tick",
        {{"error", municipalities.status().ToString()}});
    return municipalities.status();
  }
  int sent = 0;
  absl::Status first_error;
  for (const redis::Reply& municipality : municipalities->elements) {
    for (int batch = 0; batch < options_.max_batches_per_tick; ++batch) {
      if (worker_.stopping()) return sent;
      absl::StatusOr<int> made =
          broadcasts_.SendDue(municipality.str, options_.batch);
      if (!made.ok()) {
        log::Warning("sending due broadcasts failed; retried next tick",
                     {{"municipality", municipality.str},
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
