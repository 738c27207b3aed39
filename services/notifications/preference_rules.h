// The rules of an actor's notification preferences: what a valid update
// looks like, which defaults apply until the actor changes them, and how a
// field-masked update is merged into what is stored.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_PREFERENCE_RULES_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_PREFERENCE_RULES_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "brobygger/notifications/v1/preferences.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace brobygger::notifications {

// The defaults of preferences.proto, until the actor first updates them.
inline constexpr int kDefaultQuietHoursStartHour = 21;
inline constexpr int kDefaultQuietHoursEndHour = 8;
inline constexpr int kDefaultMaxPerHour = 10;
inline constexpr int kMaxMaxPerHour = 100;

// OK, or INVALID_ARGUMENT naming every offending field as the client sent
// it in UpdateNotificationPreferencesRequest
// ("notification_preferences.channels[1]",
// "notification_preferences.quiet_hours.start.hours", ...). Checks the
// preferences as they would be stored, i.e. after merging an update:
// channels known and each at most once per list, an e-mail address when
// CHANNEL_EMAIL is chosen in either list, the address plausible and at
// most 254 characters, quiet-hour times on the clock, max_per_hour 0-100,
// a known digest frequency, digest_weekday 0-7 and digest_hour 0-23.
// Output-only fields (name, etag, update_time) are not looked at.
absl::Status ValidatePreferences(const v1::NotificationPreferences& prefs);

// `stored_or_default` (an empty message for an actor who never changed
// them) with every default of preferences.proto spelled out: quiet hours
// 21:00-08:00 when unset, max_per_hour 10 when 0, digest frequency NONE
// when unspecified, digest_weekday 1 (Monday) when 0. Channels stay as they
// are: no channel means inbox only. The delivery policy reads only
// effective preferences.
v1::NotificationPreferences EffectivePreferences(
    const v1::NotificationPreferences& stored_or_default);

// `current` with the fields named by `update_mask` taken from `patch`
// (replaced, not merged: "channels" replaces the whole list, "quiet_hours"
// both times, and an unset quiet_hours in the patch restores the default
// quiet hours). Paths: "channels", "urgent_channels", "email_address",
// "quiet_hours", "max_per_hour", "digest_frequency", "digest_weekday",
// "digest_hour", or "*" alone for all of them. An empty mask, another path
// or an output-only one is INVALID_ARGUMENT naming update_mask; a result
// that breaks the rules is ValidatePreferences' error. Output-only fields
// of the result are `current`'s.
absl::StatusOr<v1::NotificationPreferences> ApplyPreferencesUpdate(
    const v1::NotificationPreferences& current,
    const v1::NotificationPreferences& patch,
    const google::protobuf::FieldMask& update_mask);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_PREFERENCE_RULES_H_
