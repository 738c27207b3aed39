// The rules of a broadcast that need no store: who may send one, what a
// valid one looks like, how its sendings are spaced, and what each
// sending tells people.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_RULES_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/broadcast.pb.h"
#include "common/auth/principal.h"
#include "common/status/errors.h"
#include "services/notifications/person_notifier.h"

namespace brobygger::notifications {

inline constexpr int kMaxBroadcastTitleLength = 200;
inline constexpr int kMaxBroadcastBodyLength = 5000;
inline constexpr int kMaxBroadcastRepeatCount = 52;
inline constexpr int kMaxBroadcastIntervalDays = 365;
// As the registry's limit on an actor's area names.
inline constexpr int kMaxBroadcastAreaLength = 100;
// How far ahead the first sending may be planned.
inline constexpr absl::Duration kMaxBroadcastLead = absl::Hours(24 * 365);
// A start_time this little in the past is taken as "now" (the client's
// clock, or the request's time in flight); anything older is a mistake.
inline constexpr absl::Duration kBroadcastStartTolerance = absl::Hours(1);

// Caseworkers and coordinators of the municipality; PERMISSION_DENIED for
// everyone else (volunteers and organisations receive broadcasts, they do
// not send them; operators see no municipality's announcements).
absl::Status RequireBroadcastStaff(const auth::Principal& principal,
                                   absl::string_view municipality);

// Trims the title, the body and the area; an unspecified urgency becomes
// URGENCY_NORMAL.
void NormalizeBroadcast(v1::Broadcast* broadcast);

// Adds violations naming "broadcast.<field>" for everything the client
// sets (audience, title, body, urgency, start_time, repeat_count,
// repeat_interval_days) that breaks broadcast.proto's rules. A forum must
// be a forum name of `municipality` (whether it exists is the caller's to
// check).
void CheckBroadcastFields(const v1::Broadcast& broadcast,
                          absl::string_view municipality, absl::Time now,
                          FieldViolations* violations);

// How many sendings the broadcast makes in all (repeat_count 0 or 1: one).
int TotalSendings(const v1::Broadcast& broadcast);

// When the first sending is due: start_time, or `now` when it is unset or
// (within the tolerance) past.
absl::Time FirstSendTime(const v1::Broadcast& broadcast, absl::Time now);

// The sending after the one planned for `planned`: `interval_days` later
// at the same time of day in Denmark (a weekly 09:00 broadcast stays at
// 09:00 across the change to and from summer time), and later still in
// steps of the interval while that is not after `now`, so a scheduler
// that was down sends one late occurrence, not a burst of them, and then
// keeps the original rhythm.
absl::Time NextSendTime(absl::Time planned, int interval_days, absl::Time now);

// "<broadcast name>#<sending>": an actor receives sending k of a
// broadcast once, however often it is handed to the notifier.
std::string BroadcastDedupeKey(absl::string_view broadcast_name, int sending);

// What sending `sending` (1-based) of the broadcast puts in each
// recipient's inbox.
PersonMessage BroadcastMessage(const v1::Broadcast& broadcast, int sending);

// One line for logs and audits: "forum municipalities/aalborg/forums/3",
// "volunteers in Vodskov", "volunteers in the whole municipality", "every
// NGO branch".
std::string DescribeAudience(const v1::Audience& audience);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_RULES_H_
