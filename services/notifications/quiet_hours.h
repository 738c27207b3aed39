// Quiet hours: the nightly window (Danish local time) in which nothing
// non-urgent interrupts a person.
//
// A window is a span of instants: it opens at the first instant Copenhagen
// clocks show `start` and closes at the first instant they show `end` (on
// the next day when start is after end). On the daylight-saving days this
// makes the night an hour shorter or longer, as the person lives it:
// - last Sunday of March (02:00-03:00 does not exist): an end at 02:30 is
//   reached at the jump, 03:00 summer time;
// - last Sunday of October (02:00-03:00 occurs twice): an end at 02:30 is
//   its first instance, and quiet hours do not open again when the clocks
//   go back through 02:00-02:30.
// Equal start and end mean no quiet hours.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_QUIET_HOURS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_QUIET_HOURS_H_

#include "absl/time/time.h"
#include "brobygger/notifications/v1/preferences.pb.h"

namespace brobygger::notifications {

// True if `now` lies in a quiet-hours window.
bool InQuietHours(const v1::QuietHours& quiet_hours, absl::Time now);

// The first instant at or after `now` outside quiet hours: `now` itself
// when it is outside, otherwise the close of its window.
absl::Time QuietHoursEnd(const v1::QuietHours& quiet_hours, absl::Time now);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_QUIET_HOURS_H_
