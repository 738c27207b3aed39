// When a recipient's digest goes out: the newsletter that collects the
// non-urgent messages of a digest subscriber and the messages held back by
// the hourly rate limit.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_H_

#include "absl/time/time.h"
#include "brobygger/notifications/v1/preferences.pb.h"

namespace brobygger::notifications {

// The first digest strictly after `now` (Danish local time), for
// EffectivePreferences:
// - DIGEST_FREQUENCY_WEEKLY: on digest_weekday (1 Monday .. 7 Sunday; 0 is
//   Monday) at digest_hour:00;
// - DIGEST_FREQUENCY_DAILY, and NONE for messages over the rate limit:
//   every day at digest_hour:00.
// A digest time inside quiet hours moves to their end, so a 23:00 digest
// with quiet hours 21:00-08:00 goes at 08:00 the next morning (and, asked
// at 23:30, that 08:00 is the answer). An hour that does not exist (02:00
// on the last Sunday of March) means the moment the clocks jump; an hour
// that occurs twice, its first instance; there is one digest a day either
// way.
absl::Time NextDigestTime(const v1::NotificationPreferences& effective,
                          absl::Time now);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_H_
