// Sends the digests that are due: for every followed municipality, claims
// the recipients whose digest is due (DigestQueue leases them, so replicas
// never send one twice), renders their newsletter and queues it as one
// e-mail, then removes exactly the lines it carried.
//
// A recipient who meanwhile dropped e-mail gets no digest; the lines are
// removed (their inbox has every message).
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_SENDER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_SENDER_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/notifications/digest_queue.h"
#include "services/notifications/inbox_person_notifier.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/periodic_worker.h"
#include "services/notifications/preferences_store.h"
#include "services/notifications/registry_projection.h"

namespace brobygger::notifications {

struct DigestSenderOptions {
  absl::Duration interval = absl::Seconds(30);
  // Recipients claimed per round, and how long a claim lasts.
  int batch = 100;
  absl::Duration lease = absl::Minutes(5);
};

class DigestSender {
 public:
  using Clock = std::function<absl::Time()>;

  DigestSender(NotificationsContext& ctx, DigestQueue& digests,
               PreferencesStore& preferences, RegistryProjection& projection,
               EmailSender email, DigestSenderOptions options = {},
               Clock clock = absl::Now);

  // Sends what is due in one municipality; returns how many digests.
  absl::StatusOr<int> SendDue(absl::string_view municipality);
  // SendDue for every followed municipality (errors logged).
  void RunOnce();

  void Start() { worker_.Start(); }
  void Stop() { worker_.Stop(); }

 private:
  NotificationsContext& ctx_;
  DigestQueue& digests_;
  PreferencesStore& preferences_;
  RegistryProjection& projection_;
  EmailSender email_;
  DigestSenderOptions options_;
  Clock clock_;
  PeriodicWorker worker_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_SENDER_H_
