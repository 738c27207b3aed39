// Instants for the notification policy's tests, written as people read
// them: UTC, or Danish wall-clock time.
#ifndef BROBYGGER_TESTS_NOTIFICATIONS_TIME_TEST_UTIL_H_
#define BROBYGGER_TESTS_NOTIFICATIONS_TIME_TEST_UTIL_H_

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/preferences.pb.h"
#include "common/time/copenhagen_time.h"

namespace brobygger::notifications::testing {

inline absl::Time Utc(int year, int month, int day, int hour, int minute = 0,
                      int second = 0) {
  return absl::FromCivil(
      absl::CivilSecond(year, month, day, hour, minute, second),
      absl::UTCTimeZone());
}

// A Danish wall-clock time that exists once (not on the DST hours).
inline absl::Time Dk(int year, int month, int day, int hour, int minute = 0,
                     int second = 0) {
  return time::CopenhagenToAbsolute(
      absl::CivilSecond(year, month, day, hour, minute, second));
}

inline v1::QuietHours Quiet(int start_hour, int start_minute, int end_hour,
                            int end_minute) {
  v1::QuietHours quiet;
  quiet.mutable_start()->set_hours(start_hour);
  quiet.mutable_start()->set_minutes(start_minute);
  quiet.mutable_end()->set_hours(end_hour);
  quiet.mutable_end()->set_minutes(end_minute);
  return quiet;
}

}  // namespace brobygger::notifications::testing

#endif  // BROBYGGER_TESTS_NOTIFICATIONS_TIME_TEST_UTIL_H_
