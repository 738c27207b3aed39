// Whether, when and how one message reaches one recipient on one
// interrupting channel (today e-mail). The inbox is not governed by this:
// it receives every message at once and is the complete record.
//
// The rules, in this order (the first that applies decides):
//  1. The channel is not in the recipient's list for the message's urgency
//     (`urgent_channels` for URGENCY_URGENT, `channels` otherwise): kSkip.
//  2. Urgent: kSendAt now, at night too, never rate-limited.
//  3. The recipient chose a daily or weekly digest: kDigest at the next
//     digest time.
//  4. Quiet hours: kSendAt their end. The worker decides again at that
//     time (with the rate limit then), so a night's backlog does not all
//     go out at 08:00.
//  5. The hourly rate limit is used up: kDigest at the next daily digest.
//  6. Otherwise kSendAt now.
// The rate limiter is asked only when rules 1-4 leave the decision to it
// (NeedsRateLimit), so messages bound for a digest or the morning do not
// use up the hour's allowance:
//
//   bool allowed = true;
//   if (NeedsRateLimit(prefs, channel, urgency, now)) {
//     ASSIGN_OR_RETURN(allowed, limiter.TryAcquire(
//         RecipientRateKey(municipality, actor), prefs.max_per_hour(),
//         kRateLimitWindow, now));
//   }
//   DeliveryDecision decision =
//       DecideDelivery(prefs, channel, urgency, now, allowed);
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_POLICY_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_POLICY_H_

#include <string>

#include "absl/time/time.h"
#include "brobygger/notifications/v1/notification.pb.h"
#include "brobygger/notifications/v1/preferences.pb.h"

namespace brobygger::notifications {

// The window of `max_per_hour`.
inline constexpr absl::Duration kRateLimitWindow = absl::Hours(1);

struct DeliveryDecision {
  enum Kind {
    kSkip,    // the recipient did not choose this channel for this urgency
    kSendAt,  // send on the channel at `send_at` (now, or quiet hours' end)
    kDigest,  // add to the recipient's digest, due at `send_at`
  };
  Kind kind = kSkip;
  absl::Time send_at;
  // For logs and delivery records, e.g. "quiet hours until 08:00".
  std::string reason;
};

// True if the decision for this message depends on the rate limit, i.e.
// rules 1-4 above do not decide it. `effective` is EffectivePreferences.
bool NeedsRateLimit(const v1::NotificationPreferences& effective,
                    v1::Channel channel, v1::Urgency urgency, absl::Time now);

// The decision by the rules above. `rate_limit_allows` is read only when
// NeedsRateLimit is true (pass true otherwise). URGENCY_UNSPECIFIED counts
// as normal.
DeliveryDecision DecideDelivery(const v1::NotificationPreferences& effective,
                                v1::Channel channel, v1::Urgency urgency,
                                absl::Time now, bool rate_limit_allows);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_DELIVERY_POLICY_H_
