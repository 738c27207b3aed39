// An activity's schedule as an HSDS 3.0 schedule: the native RRULE fields
// as far as HSDS's enums allow, and the exact Brobygger values as
// brobygger-schedule attributes so that an import restores them unchanged
// (see hsds.h).
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time/copenhagen_time.h"
#include "google/protobuf/util/time_util.h"
#include "services/catalogue/hsds.h"
#include "services/catalogue/hsds_internal.h"
#include "services/catalogue/local_time_text.h"
#include "services/catalogue/recurrence_rule.h"
#include "services/catalogue/weekday_code.h"

namespace brobygger::catalogue::hsds_internal {
namespace {

using nlohmann::ordered_json;
using Frequency = RecurrenceRule::Frequency;

constexpr absl::Weekday kAllDays[] = {
    absl::Weekday::monday,   absl::Weekday::tuesday, absl::Weekday::wednesday,
    absl::Weekday::thursday, absl::Weekday::friday,  absl::Weekday::saturday,
    absl::Weekday::sunday};

// The RRULE in HSDS 3.0's fields, which allow only WEEKLY and MONTHLY.
struct NativeRule {
  std::string freq;
  int interval = 1;
  std::string byday;
  std::string bymonthday;
  std::optional<int> count;
  std::optional<absl::CivilDay> until;
  std::optional<absl::Weekday> wkst;
};

std::string ByDayList(const std::vector<RecurrenceRule::ByDay>& days) {
  std::vector<std::string> parts;
  for (const RecurrenceRule::ByDay& day : days) {
    parts.push_back(day.ordinal == 0
                        ? std::string(WeekdayCode(day.day))
                        : absl::StrCat(day.ordinal, WeekdayCode(day.day)));
  }
  return absl::StrJoin(parts, ",");
}

// nullopt if HSDS 3.0 cannot express the rule (FREQ=DAILY other than every
// day or every 7n days without BYDAY).
std::optional<NativeRule> ToNativeRule(const RecurrenceRule& rule,
                                       absl::CivilDay start_day) {
  NativeRule native;
  // A WEEKLY rule without BYDAY repeats on the start's weekday; HSDS
  // readers expect the day spelled out.
  const std::string start_weekday(WeekdayCode(absl::GetWeekday(start_day)));
  switch (rule.frequency) {
    case Frequency::kWeekly:
      native.freq = "WEEKLY";
      native.interval = rule.interval;
      native.byday =
          rule.by_day.empty() ? start_weekday : ByDayList(rule.by_day);
      break;
    case Frequency::kMonthly:
      native.freq = "MONTHLY";
      native.interval = rule.interval;
      native.byday = ByDayList(rule.by_day);
      native.bymonthday = absl::StrJoin(rule.by_month_day, ",");
      break;
    case Frequency::kDaily:
      native.freq = "WEEKLY";
      if (rule.interval == 1) {
        // Every day (of BYDAY's days) is every week on all those days.
        if (rule.by_day.empty()) {
          std::vector<std::string> all;
          for (absl::Weekday day : kAllDays) {
            all.emplace_back(WeekdayCode(day));
          }
          native.byday = absl::StrJoin(all, ",");
        } else {
          native.byday = ByDayList(rule.by_day);
        }
      } else if (rule.interval % 7 == 0 && rule.by_day.empty()) {
        native.interval = rule.interval / 7;
        native.byday = start_weekday;
      } else {
        return std::nullopt;
      }
      break;
  }
  native.count = rule.count;
  if (rule.until.has_value()) {
    native.until = absl::CivilDay(time::AbsoluteToCopenhagen(*rule.until));
  }
  if (rule.week_start != absl::Weekday::monday) native.wkst = rule.week_start;
  return native;
}

// "18:00", or "18:00:30" when there are seconds.
std::string ClockText(absl::CivilSecond time) {
  if (time.second() == 0) {
    return absl::StrFormat("%02d:%02d", time.hour(), time.minute());
  }
  return absl::StrFormat("%02d:%02d:%02d", time.hour(), time.minute(),
                         time.second());
}

// Writes dtstart, timezone, opens_at, closes_at and the RRULE fields, and
// returns the human-readable description.
std::string WriteNativeFields(const v1::Schedule& schedule, ordered_json& out) {
  const absl::StatusOr<absl::CivilSecond> start =
      ParseLocalDateTime(schedule.start_time(), "schedule.start_time");
  if (!start.ok()) return "";  // Only the exact values travel.
  const absl::CivilDay start_day(*start);
  const absl::Time start_instant = time::CopenhagenToAbsolute(*start);
  const absl::Duration duration =
      absl::Seconds(schedule.duration().seconds()) +
      absl::Nanoseconds(schedule.duration().nanos());

  out["dtstart"] = FormatLocalDate(start_day);
  // HSDS 3.0's timezone is a number, the UTC offset in hours; the offset
  // in force at the start (1 in winter, 2 in summer).
  const int offset_seconds =
      time::CopenhagenTimeZone().At(start_instant).offset;
  if (offset_seconds % 3600 == 0) {
    out["timezone"] = offset_seconds / 3600;
  } else {
    out["timezone"] = offset_seconds / 3600.0;
  }
  out["opens_at"] = ClockText(*start);
  if (schedule.has_duration()) {
    out["closes_at"] =
        ClockText(time::AbsoluteToCopenhagen(start_instant + duration));
  }

  std::string description = absl::StrCat(
      "From ", FormatLocalDate(start_day), " ", ClockText(*start),
      " Europe/Copenhagen time, lasting ", absl::FormatDuration(duration));
  std::optional<NativeRule> native;
  if (schedule.rrule().empty()) {
    // A one-off: one weekly occurrence, the start itself.
    native.emplace();
    native->freq = "WEEKLY";
    native->byday = std::string(WeekdayCode(absl::GetWeekday(start_day)));
    native->count = 1;
    absl::StrAppend(&description, ", once.");
  } else if (const absl::StatusOr<RecurrenceRule> rule =
                 ParseRecurrenceRule(schedule.rrule());
             rule.ok()) {
    native = ToNativeRule(*rule, start_day);
    absl::StrAppend(&description, ", repeating by the RFC 5545 rule ",
                    FormatRecurrenceRule(*rule),
                    native.has_value() ? "."
                                       : ", which HSDS 3.0 cannot "
                                         "express in its fields.");
  }
  if (!native.has_value()) return description;
  out["freq"] = native->freq;
  out["interval"] = native->interval;
  if (!native->byday.empty()) out["byday"] = native->byday;
  if (!native->bymonthday.empty()) out["bymonthday"] = native->bymonthday;
  if (native->count.has_value()) out["count"] = *native->count;
  if (native->until.has_value()) out["until"] = FormatLocalDate(*native->until);
  if (native->wkst.has_value()) {
    out["wkst"] = std::string(WeekdayCode(*native->wkst));
  }
  return description;
}

// Exception dates and cancellations, which HSDS has no fields for, in
// words for people reading the schedule.
std::string NotesText(const v1::Activity& activity) {
  std::vector<std::string> sentences;
  const v1::Schedule& schedule = activity.schedule();
  if (schedule.exception_dates_size() > 0) {
    sentences.push_back(
        absl::StrCat("No occurrence on ",
                     absl::StrJoin(schedule.exception_dates(), ", "), "."));
  }
  for (const v1::CancelledOccurrence& cancelled :
       activity.cancelled_occurrences()) {
    sentences.push_back(
        cancelled.reason().empty()
            ? absl::StrCat("Cancelled: ", cancelled.start_time(), ".")
            : absl::StrCat("Cancelled: ", cancelled.start_time(), " (",
                           cancelled.reason(), ")."));
  }
  return absl::StrJoin(sentences, " ");
}

}  // namespace

ordered_json ExportSchedule(const v1::Activity& activity, absl::string_view key,
                            absl::string_view service_id) {
  const v1::Schedule& schedule = activity.schedule();
  const std::string id = NameBasedUuid(absl::StrCat(key, "/schedule"));
  ordered_json out = ordered_json::object();
  out["id"] = id;
  out["service_id"] = std::string(service_id);
  const std::string description = WriteNativeFields(schedule, out);
  if (!description.empty()) out["description"] = description;
  const std::string notes = NotesText(activity);
  if (!notes.empty()) out["notes"] = notes;

  ordered_json attributes = ordered_json::array();
  auto add = [&](absl::string_view code, absl::string_view value) {
    attributes.push_back(
        MakeAttribute(NameBasedUuid(absl::StrCat(key, "/schedule/attributes/",
                                                 attributes.size())),
                      id, "schedule", kScheduleTaxonomy, code, value));
  };
  add(kStartTimeCode, schedule.start_time());
  if (schedule.has_duration()) {
    add(kDurationCode,
        google::protobuf::util::TimeUtil::ToString(schedule.duration()));
  }
  if (!schedule.rrule().empty()) add(kRruleCode, schedule.rrule());
  for (const std::string& date : schedule.exception_dates()) {
    add(kExceptionDateCode, date);
  }
  for (const v1::CancelledOccurrence& cancelled :
       activity.cancelled_occurrences()) {
    ordered_json value = ordered_json::object();
    value["start_time"] = cancelled.start_time();
    value["reason"] = cancelled.reason();
    add(kCancelledOccurrenceCode, DumpJson(value, -1));
  }
  out["attributes"] = std::move(attributes);
  return out;
}

}  // namespace brobygger::catalogue::hsds_internal
