// Walks the recurrence set of a schedule in Copenhagen wall-clock time, in
// order: DTSTART first, then the rule's instances. Used by the schedule
// engine (schedule.h); it knows nothing of durations, windows or EXDATE.
#ifndef BROBYGGER_SERVICES_CATALOGUE_RECURRENCE_ITERATOR_H_
#define BROBYGGER_SERVICES_CATALOGUE_RECURRENCE_ITERATOR_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/catalogue/recurrence_rule.h"

namespace brobygger::catalogue {

class RecurrenceIterator {
 public:
  // `rule` (null for a one-off event) must be valid and outlive the
  // iterator. The caller needs no starts before `first_day`: a rule without
  // COUNT jumps straight to the period holding it, while a rule with COUNT
  // walks every period from DTSTART because earlier instances count.
  // Periods starting after `last_day` are never examined, which bounds the
  // work for rules that rarely or never match.
  RecurrenceIterator(absl::CivilSecond dtstart, const RecurrenceRule* rule,
                     absl::CivilDay first_day, absl::CivilDay last_day);

  // The next local start, or nullopt once the set is exhausted (COUNT,
  // UNTIL) or the walk passed `last_day`. Starts strictly increase, and so
  // do their instants (DST shifts are shorter than the one-day spacing).
  std::optional<absl::CivilSecond> Next();

 private:
  // The first day of period number `index` (counted in INTERVAL steps
  // from the period holding DTSTART).
  absl::CivilDay PeriodStart(int64_t index) const;
  // The instance days of period `index`, ascending.
  void FillCandidates(int64_t index);
  bool MonthlyMatches(absl::CivilDay day, int days_in_month) const;
  absl::CivilSecond AtStartTime(absl::CivilDay day) const;
  std::optional<absl::CivilSecond> Emit(absl::CivilSecond start);

  absl::CivilSecond dtstart_;
  const RecurrenceRule* rule_;
  absl::CivilDay last_day_;
  bool dtstart_pending_;
  int64_t next_period_ = 0;
  std::vector<absl::CivilDay> candidates_;
  size_t next_candidate_ = 0;
  int emitted_ = 0;
  bool exhausted_ = false;
};

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_RECURRENCE_ITERATOR_H_
