// What erasing a newcomer means here (architecture: consent and erasure are
// real operations): every inbox message about them, their concerns and
// those concerns' events, the digest lines, the waiting e-mails and
// webhook deliveries, and the dead letters about them are deleted. And
// what an actor leaving the registry means: their preferences and pending
// digest go.
//
// Each step is idempotent, so a redelivered NewcomerErased event (after a
// crash part-way) finishes the job.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_ERASURE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_ERASURE_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/notifications/concerns.h"
#include "services/notifications/dead_letters.h"
#include "services/notifications/digest_queue.h"
#include "services/notifications/inbox_store.h"
#include "services/notifications/preferences_store.h"

namespace brobygger::notifications {

class Erasure {
 public:
  // Deletes the outbound queue's waiting deliveries about a newcomer.
  using DeliveryEraser = std::function<absl::Status(
      absl::string_view municipality, absl::string_view newcomer_id)>;

  Erasure(InboxStore& inbox, Concerns& concerns, DigestQueue& digests,
          DeadLetters& dead_letters, PreferencesStore& preferences,
          DeliveryEraser deliveries)
      : inbox_(inbox),
        concerns_(concerns),
        digests_(digests),
        dead_letters_(dead_letters),
        preferences_(preferences),
        deliveries_(std::move(deliveries)) {}

  absl::Status EraseNewcomer(absl::string_view municipality,
                             absl::string_view newcomer_id);
  absl::Status ForgetActor(absl::string_view municipality,
                           absl::string_view actor_id);

 private:
  InboxStore& inbox_;
  Concerns& concerns_;
  DigestQueue& digests_;
  DeadLetters& dead_letters_;
  PreferencesStore& preferences_;
  DeliveryEraser deliveries_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_ERASURE_H_
