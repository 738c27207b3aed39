// When an activity takes place: a start in Copenhagen wall-clock time, a
// duration, an optional RFC 5545 recurrence rule and exception dates, and
// the expansion of all that into dated occurrences.
//
// Semantics are those of RFC 5545 for a DTSTART with TZID=Europe/Copenhagen:
// recurrence is computed in local wall-clock time, so a weekly 18:00 event
// stays at 18:00 across daylight-saving changes (its UTC time moves by an
// hour). Each local start becomes an instant by CopenhagenToAbsolute (a
// start in the spring-forward gap moves forward by the gap; an ambiguous
// autumn start is the earlier instance). DTSTART is always the first
// occurrence and counts toward COUNT, even where the rule would not produce
// it; exception dates remove occurrences after COUNT has been applied, so
// they still count. An occurrence lasts `duration` of elapsed time.
#ifndef BROBYGGER_SERVICES_CATALOGUE_SCHEDULE_H_
#define BROBYGGER_SERVICES_CATALOGUE_SCHEDULE_H_

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/catalogue/recurrence_rule.h"

namespace brobygger::catalogue {

// Limits: a schedule describes human activities, and expanding one must
// stay cheap enough to do for every activity of a search.
inline constexpr absl::Duration kMinDuration = absl::Minutes(1);
inline constexpr absl::Duration kMaxDuration = absl::Hours(24 * 31);
inline constexpr absl::Duration kMaxWindow = absl::Hours(24 * 400);
inline constexpr int kMaxExceptionDates = 500;
// NextOccurrence looks this far ahead and no further.
inline constexpr absl::Duration kNextOccurrenceHorizon =
    absl::Hours(24 * (5 * 365 + 2));
// Starts and windows must lie in these years (wall-clock and UTC
// respectively); outside them there is nothing to plan, and the bound
// keeps a walk from DTSTART (needed with COUNT) finite and short.
inline constexpr int kFirstYear = 1970;
inline constexpr int kLastYear = 2399;

struct Schedule {
  absl::CivilSecond start;  // Local wall-clock time in Europe/Copenhagen.
  absl::Duration duration;
  std::optional<RecurrenceRule> rule;  // None: a one-off event.
  // EXDATE: occurrences starting on these local days are skipped.
  std::vector<absl::CivilDay> exception_dates;
};

struct Occurrence {
  absl::Time start;
  absl::Time end;  // start + duration.
  // The wall-clock time at `start`: the rule's time of day, except in the
  // spring-forward gap, where it is the moved time (03:30, not 02:30).
  absl::CivilSecond local_start;

  bool operator==(const Occurrence&) const = default;
};

struct Expansion {
  std::vector<Occurrence> occurrences;  // Ascending by start.
  // True if more occurrences overlap the window than were returned.
  bool truncated = false;
};

// OK if the schedule is within the limits above and its rule is valid and
// does not end before it starts. INVALID_ARGUMENT naming "schedule.start",
// "schedule.duration", "schedule.rrule" or "schedule.exception_dates";
// FAILED_PRECONDITION if the time zone data is missing.
absl::Status ValidateSchedule(const Schedule& schedule);

// The occurrences whose interval [start, end) overlaps [window_start,
// window_end) — including one that began before the window and is still
// going on — in order, at most `max_occurrences` of them. The window may
// span at most kMaxWindow (INVALID_ARGUMENT naming "window");
// `max_occurrences` must be positive (INVALID_ARGUMENT naming
// "max_occurrences"). Invalid schedules are refused as by ValidateSchedule.
absl::StatusOr<Expansion> ExpandOccurrences(const Schedule& schedule,
                                            absl::Time window_start,
                                            absl::Time window_end,
                                            int max_occurrences);

// The first occurrence starting at or after `after`, looking at most
// kNextOccurrenceHorizon ahead. nullopt if there is none in that horizon,
// or if the schedule is invalid (check ValidateSchedule when storing it).
std::optional<Occurrence> NextOccurrence(const Schedule& schedule,
                                         absl::Time after);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_SCHEDULE_H_
