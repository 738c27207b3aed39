// The PersonNotifier of the service: the inbox first, then e-mail for the
// few who chose it, by the delivery policy (delivery_policy.h):
// - sent now: an e-mail queued for the delivery worker;
// - quiet hours, a chosen digest, or the hourly limit used up: the message
//   joins the recipient's digest, due at the end of quiet hours or at the
//   digest time, so a night's messages arrive as one e-mail in the
//   morning and an hour's flood as one later, never as a burst.
//
// Idempotent per dedupe key: the inbox and the e-mail queue refuse a
// second copy themselves; a digest entry is guarded by a marker written
// after it, so only a crash between the two can put a message into a
// digest twice (and never into an inbox twice).
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_PERSON_NOTIFIER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_PERSON_NOTIFIER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/notifications/digest_queue.h"
#include "services/notifications/inbox_store.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/person_notifier.h"
#include "services/notifications/preferences_store.h"
#include "services/notifications/rate_limiter.h"
#include "services/notifications/registry_projection.h"

namespace brobygger::notifications {

// One e-mail for the outbound queue.
struct OutgoingEmail {
  std::string to_address;
  std::string to_name;
  std::string subject;
  std::string text_body;
  // The same key makes the same e-mail, however often it is queued.
  std::string dedupe_key;
  std::string about_newcomer;
};

// Queues an e-mail for an actor (the outbound queue's EnqueueEmail).
using EmailSender = std::function<absl::Status(absl::string_view municipality,
                                               absl::string_view actor_id,
                                               const OutgoingEmail& email)>;

// The text every e-mail ends with.
std::string EmailFooter();

class InboxPersonNotifier : public PersonNotifier {
 public:
  using Clock = std::function<absl::Time()>;

  InboxPersonNotifier(NotificationsContext& ctx, InboxStore& inbox,
                      PreferencesStore& preferences, DigestQueue& digests,
                      RegistryProjection& projection, EmailSender email,
                      Clock clock = absl::Now)
      : ctx_(ctx),
        inbox_(inbox),
        preferences_(preferences),
        digests_(digests),
        projection_(projection),
        limiter_(ctx.pool),
        email_(std::move(email)),
        clock_(std::move(clock)) {}

  absl::Status Notify(absl::string_view municipality,
                      const std::vector<std::string>& actor_ids,
                      const PersonMessage& message) override;

 private:
  absl::Status EmailOne(absl::string_view municipality,
                        const std::string& actor_id,
                        const v1::NotificationPreferences& prefs,
                        const PersonMessage& message, absl::Time now);

  NotificationsContext& ctx_;
  InboxStore& inbox_;
  PreferencesStore& preferences_;
  DigestQueue& digests_;
  RegistryProjection& projection_;
  RateLimiter limiter_;
  EmailSender email_;
  Clock clock_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_PERSON_NOTIFIER_H_
