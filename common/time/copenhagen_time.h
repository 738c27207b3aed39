// Europe/Copenhagen wall-clock time, the time zone of every Brobygger
// municipality (catalogue schedules, notification quiet hours and digests),
// and the RFC 5545 rules for wall-clock times that occur twice or not at
// all around daylight-saving changes.
#ifndef BROBYGGER_COMMON_TIME_COPENHAGEN_TIME_H_
#define BROBYGGER_COMMON_TIME_COPENHAGEN_TIME_H_

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace brobygger::time {

// OK if the Europe/Copenhagen rules could be loaded from tzdata; otherwise
// FAILED_PRECONDITION. There is deliberately no fixed-offset fallback: it
// would put every summer occurrence an hour off without anyone noticing.
absl::Status CheckCopenhagenTimeZone();

// The zone (UTC if tzdata is missing; callers check
// CheckCopenhagenTimeZone() first).
const absl::TimeZone& CopenhagenTimeZone();

// The instant of a Copenhagen wall-clock time, per RFC 5545 section 3.3.5:
// a time that occurs twice (autumn fall-back) means the first, earlier
// instance; a time that does not exist (spring-forward gap) is read with
// the UTC offset before the gap, so it lands one gap length later
// (02:30 on the last Sunday of March is 03:30 summer time).
absl::Time CopenhagenToAbsolute(absl::CivilSecond local);

// The first instant at which Copenhagen clocks show `local` or later. It
// differs from CopenhagenToAbsolute only for a time that does not exist:
// 02:30 on the last Sunday of March is first reached at the jump itself
// (03:00 summer time), not an hour after it. A repeated time is its first
// instance. For deadlines read off the wall clock ("quiet until 02:30").
absl::Time CopenhagenFirstReached(absl::CivilSecond local);

// The Copenhagen wall-clock time of an instant.
absl::CivilSecond AbsoluteToCopenhagen(absl::Time time);

}  // namespace brobygger::time

#endif  // BROBYGGER_COMMON_TIME_COPENHAGEN_TIME_H_
