#include "services/notifications/quiet_hours.h"

#include <optional>

#include "absl/time/civil_time.h"
#include "common/time/copenhagen_time.h"

namespace brobygger::notifications {
namespace {

struct Window {
  absl::Time open;
  absl::Time close;
};

absl::CivilSecond At(absl::CivilDay day, const v1::LocalTime& time) {
  return absl::CivilSecond(day.year(), day.month(), day.day(), time.hours(),
                           time.minutes(), 0);
}

int MinuteOfDay(const v1::LocalTime& time) {
  return time.hours() * 60 + time.minutes();
}

// The window that opens on local day `day`.
Window WindowOpeningOn(const v1::QuietHours& quiet, absl::CivilDay day) {
  const bool spans_midnight =
      MinuteOfDay(quiet.start()) > MinuteOfDay(quiet.end());
  return Window{time::CopenhagenFirstReached(At(day, quiet.start())),
                time::CopenhagenFirstReached(
                    At(spans_midnight ? day + 1 : day, quiet.end()))};
}

// The window containing `now`, if any. Only windows opening the day before,
// on or after `now`'s local day can contain it.
std::optional<Window> WindowAround(const v1::QuietHours& quiet,
                                   absl::Time now) {
  if (MinuteOfDay(quiet.start()) == MinuteOfDay(quiet.end())) {
    return std::nullopt;
  }
  const absl::CivilDay today(time::AbsoluteToCopenhagen(now));
  for (absl::CivilDay day = today - 1; day <= today + 1; ++day) {
    const Window window = WindowOpeningOn(quiet, day);
    if (window.open <= now && now < window.close) return window;
  }
  return std::nullopt;
}

}  // namespace

bool InQuietHours(const v1::QuietHours& quiet_hours, absl::Time now) {
  return WindowAround(quiet_hours, now).has_value();
}

absl::Time QuietHoursEnd(const v1::QuietHours& quiet_hours, absl::Time now) {
  // When the one free hour of a long window does not exist (free 02:00-03:00
  // on the last Sunday of March), one window closes at the instant the next
  // opens; follow on to the next close. Two steps always suffice, four are
  // a safe bound.
  for (int step = 0; step < 4; ++step) {
    const std::optional<Window> window = WindowAround(quiet_hours, now);
    if (!window.has_value()) return now;
    now = window->close;
  }
  return now;
}

}  // namespace brobygger::notifications
