#include "services/notifications/digest.h"

#include "absl/time/civil_time.h"
#include "common/time/copenhagen_time.h"
#include "services/notifications/quiet_hours.h"

namespace brobygger::notifications {
namespace {

absl::Weekday DigestWeekday(int digest_weekday) {
  constexpr absl::Weekday kWeekdays[] = {
      absl::Weekday::monday,   absl::Weekday::tuesday, absl::Weekday::wednesday,
      absl::Weekday::thursday, absl::Weekday::friday,  absl::Weekday::saturday,
      absl::Weekday::sunday};
  if (digest_weekday < 1 || digest_weekday > 7) return absl::Weekday::monday;
  return kWeekdays[digest_weekday - 1];
}

}  // namespace

absl::Time NextDigestTime(const v1::NotificationPreferences& effective,
                          absl::Time now) {
  const bool weekly =
      effective.digest_frequency() == v1::DIGEST_FREQUENCY_WEEKLY;
  const absl::Weekday weekday = DigestWeekday(effective.digest_weekday());
  const int hour = effective.digest_hour();
  const absl::CivilDay today(time::AbsoluteToCopenhagen(now));
  // Yesterday's digest may have been moved past `now` by quiet hours (they
  // last less than a day), so the search starts there. Slots only move
  // later, never past the next one, so the first slot after `now` is the
  // answer; eight days ahead always hold a weekly slot.
  for (absl::CivilDay day = today - 1; day <= today + 8; ++day) {
    if (weekly && absl::GetWeekday(day) != weekday) continue;
    const absl::Time slot =
        QuietHoursEnd(effective.quiet_hours(),
                      time::CopenhagenFirstReached(absl::CivilSecond(
                          day.year(), day.month(), day.day(), hour, 0, 0)));
    if (slot > now) return slot;
  }
  // Unreachable for valid preferences; a day later is a safe answer.
  return now + absl::Hours(24);
}

}  // namespace brobygger::notifications
