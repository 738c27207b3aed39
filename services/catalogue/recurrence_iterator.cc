#include "services/catalogue/recurrence_iterator.h"

#include "common/time/copenhagen_time.h"

namespace brobygger::catalogue {
namespace {

using Frequency = RecurrenceRule::Frequency;

// The first day of the week holding `day`, weeks starting on `week_start`.
absl::CivilDay WeekStart(absl::CivilDay day, absl::Weekday week_start) {
  return absl::PrevWeekday(day + 1, week_start);
}

bool ListsWeekday(const std::vector<RecurrenceRule::ByDay>& by_day,
                  absl::Weekday weekday) {
  for (const RecurrenceRule::ByDay& entry : by_day) {
    if (entry.day == weekday) return true;
  }
  return false;
}

}  // namespace

RecurrenceIterator::RecurrenceIterator(absl::CivilSecond dtstart,
                                       const RecurrenceRule* rule,
                                       absl::CivilDay first_day,
                                       absl::CivilDay last_day)
    : dtstart_(dtstart), rule_(rule), last_day_(last_day) {
  const absl::CivilDay dtstart_day(dtstart);
  // With COUNT every instance from DTSTART counts, so no skipping.
  const bool can_skip =
      rule != nullptr && !rule->count.has_value() && first_day > dtstart_day;
  dtstart_pending_ = !can_skip;
  if (!can_skip) return;
  // The period holding first_day, rounded down to a whole INTERVAL step;
  // earlier periods cannot hold a start the caller needs.
  int64_t periods = 0;
  switch (rule->frequency) {
    case Frequency::kDaily:
      periods = first_day - dtstart_day;
      break;
    case Frequency::kWeekly:
      periods = (WeekStart(first_day, rule->week_start) -
                 WeekStart(dtstart_day, rule->week_start)) /
                7;
      break;
    case Frequency::kMonthly:
      periods = absl::CivilMonth(first_day) - absl::CivilMonth(dtstart_day);
      break;
  }
  next_period_ = periods / rule->interval;
}

absl::CivilDay RecurrenceIterator::PeriodStart(int64_t index) const {
  const absl::CivilDay dtstart_day(dtstart_);
  const int64_t steps = index * rule_->interval;
  switch (rule_->frequency) {
    case Frequency::kDaily:
      return dtstart_day + steps;
    case Frequency::kWeekly:
      return WeekStart(dtstart_day, rule_->week_start) + steps * 7;
    case Frequency::kMonthly:
      return absl::CivilDay(absl::CivilMonth(dtstart_day) + steps);
  }
  return dtstart_day;
}

bool RecurrenceIterator::MonthlyMatches(absl::CivilDay day,
                                        int days_in_month) const {
  // Without BYDAY or BYMONTHDAY a monthly rule repeats DTSTART's day of
  // the month (RFC 5545 takes missing BY* values from DTSTART).
  if (rule_->by_day.empty() && rule_->by_month_day.empty()) {
    return day.day() == dtstart_.day();
  }
  if (!rule_->by_month_day.empty()) {
    bool listed = false;
    for (int month_day : rule_->by_month_day) {
      const int wanted =
          month_day > 0 ? month_day : days_in_month + month_day + 1;
      listed = listed || day.day() == wanted;
    }
    if (!listed) return false;
  }
  // BYDAY expands to the month's matching weekdays, or, next to
  // BYMONTHDAY, limits those days (RFC 5545 section 3.3.10, the table's
  // note 1): "FR;BYMONTHDAY=13" is every Friday the 13th.
  if (rule_->by_day.empty()) return true;
  const absl::Weekday weekday = absl::GetWeekday(day);
  const int from_start = (day.day() - 1) / 7 + 1;
  const int from_end = -((days_in_month - day.day()) / 7 + 1);
  for (const RecurrenceRule::ByDay& entry : rule_->by_day) {
    if (entry.day == weekday &&
        (entry.ordinal == 0 || entry.ordinal == from_start ||
         entry.ordinal == from_end)) {
      return true;
    }
  }
  return false;
}

void RecurrenceIterator::FillCandidates(int64_t index) {
  candidates_.clear();
  next_candidate_ = 0;
  const absl::CivilDay start = PeriodStart(index);
  switch (rule_->frequency) {
    case Frequency::kDaily:
      // BYDAY limits a daily rule to the listed weekdays.
      if (rule_->by_day.empty() ||
          ListsWeekday(rule_->by_day, absl::GetWeekday(start))) {
        candidates_.push_back(start);
      }
      break;
    case Frequency::kWeekly:
      for (int offset = 0; offset < 7; ++offset) {
        const absl::CivilDay day = start + offset;
        const absl::Weekday weekday = absl::GetWeekday(day);
        if (rule_->by_day.empty()
                ? weekday == absl::GetWeekday(absl::CivilDay(dtstart_))
                : ListsWeekday(rule_->by_day, weekday)) {
          candidates_.push_back(day);
        }
      }
      break;
    case Frequency::kMonthly: {
      const int days_in_month =
          static_cast<int>(absl::CivilDay(absl::CivilMonth(start) + 1) - start);
      for (int offset = 0; offset < days_in_month; ++offset) {
        if (MonthlyMatches(start + offset, days_in_month)) {
          candidates_.push_back(start + offset);
        }
      }
      break;
    }
  }
}

absl::CivilSecond RecurrenceIterator::AtStartTime(absl::CivilDay day) const {
  return absl::CivilSecond(day.year(), day.month(), day.day(), dtstart_.hour(),
                           dtstart_.minute(), dtstart_.second());
}

std::optional<absl::CivilSecond> RecurrenceIterator::Emit(
    absl::CivilSecond start) {
  ++emitted_;
  if (rule_ != nullptr && rule_->count.has_value() &&
      emitted_ >= *rule_->count) {
    exhausted_ = true;
  }
  return start;
}

std::optional<absl::CivilSecond> RecurrenceIterator::Next() {
  if (exhausted_) return std::nullopt;
  const absl::CivilDay dtstart_day(dtstart_);
  if (dtstart_pending_) {
    // DTSTART is always the first instance and counts toward COUNT, even
    // when the rule would not produce it (RFC 5545 section 3.8.5.3).
    dtstart_pending_ = false;
    if (dtstart_day > last_day_) {
      exhausted_ = true;
      return std::nullopt;
    }
    if (rule_ == nullptr) exhausted_ = true;
    return Emit(dtstart_);
  }
  if (rule_ == nullptr) {
    exhausted_ = true;
    return std::nullopt;
  }
  while (true) {
    while (next_candidate_ < candidates_.size()) {
      const absl::CivilDay day = candidates_[next_candidate_++];
      // Instances on or before DTSTART's day are not part of the set: the
      // time of day is DTSTART's, so they would be at or before DTSTART,
      // which was already emitted.
      if (day <= dtstart_day) continue;
      if (day > last_day_) {
        exhausted_ = true;
        return std::nullopt;
      }
      const absl::CivilSecond start = AtStartTime(day);
      if (rule_->until.has_value() &&
          time::CopenhagenToAbsolute(start) > *rule_->until) {
        exhausted_ = true;
        return std::nullopt;
      }
      return Emit(start);
    }
    if (PeriodStart(next_period_) > last_day_) {
      exhausted_ = true;
      return std::nullopt;
    }
    FillCandidates(next_period_++);
  }
}

}  // namespace brobygger::catalogue
