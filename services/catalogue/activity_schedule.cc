#include "services/catalogue/activity_schedule.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "common/time/copenhagen_time.h"
#include "google/protobuf/util/time_util.h"
#include "services/catalogue/local_time_text.h"
#include "services/catalogue/recurrence_rule.h"

namespace brobygger::catalogue {

absl::StatusOr<Schedule> ScheduleFromProto(const v1::Schedule& proto) {
  FieldViolations violations;
  Schedule schedule;
  if (proto.start_time().empty()) {
    violations.Add("schedule.start_time",
                   "required: the first occurrence's local start, e.g. "
                   "\"2026-12-01T18:00\"");
  } else if (auto start =
                 ParseLocalDateTime(proto.start_time(), "schedule.start_time");
             start.ok()) {
    schedule.start = *start;
  } else {
    for (auto& v : FieldViolationsOf(start.status())) {
      violations.Add(v.field, v.description);
    }
  }
  if (!proto.has_duration()) {
    violations.Add("schedule.duration",
                   "required: how long one occurrence lasts, e.g. \"7200s\"");
  } else {
    schedule.duration = absl::Seconds(proto.duration().seconds()) +
                        absl::Nanoseconds(proto.duration().nanos());
  }
  if (!proto.rrule().empty()) {
    if (auto rule = ParseRecurrenceRule(proto.rrule()); rule.ok()) {
      schedule.rule = *rule;
    } else {
      for (auto& v : FieldViolationsOf(rule.status())) {
        violations.Add(v.field, v.description);
      }
    }
  }
  if (proto.exception_dates_size() > kMaxExceptionDates) {
    violations.Add("schedule.exception_dates",
                   absl::StrCat("at most ", kMaxExceptionDates,
                                " exception dates"));
  } else {
    for (int i = 0; i < proto.exception_dates_size(); ++i) {
      auto day = ParseLocalDate(proto.exception_dates(i),
                                absl::StrCat("schedule.exception_dates[", i, "]"));
      if (day.ok()) {
        schedule.exception_dates.push_back(*day);
      } else {
        for (auto& v : FieldViolationsOf(day.status())) {
          violations.Add(v.field, v.description);
        }
      }
    }
  }
  if (!proto.time_zone().empty() && proto.time_zone() != "Europe/Copenhagen") {
    violations.Add("schedule.time_zone",
                   "every schedule is in Europe/Copenhagen; leave it empty");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  std::sort(schedule.exception_dates.begin(), schedule.exception_dates.end());
  schedule.exception_dates.erase(std::unique(schedule.exception_dates.begin(),
                                             schedule.exception_dates.end()),
                                 schedule.exception_dates.end());
  RETURN_IF_ERROR(ValidateSchedule(schedule));
  return schedule;
}

v1::Schedule ScheduleToProto(const Schedule& schedule) {
  v1::Schedule proto;
  proto.set_start_time(FormatLocalDateTime(schedule.start));
  const int64_t nanos = absl::ToInt64Nanoseconds(schedule.duration);
  *proto.mutable_duration() =
      google::protobuf::util::TimeUtil::NanosecondsToDuration(nanos);
  if (schedule.rule.has_value()) {
    proto.set_rrule(FormatRecurrenceRule(*schedule.rule));
  }
  for (const absl::CivilDay& day : schedule.exception_dates) {
    proto.add_exception_dates(FormatLocalDate(day));
  }
  proto.set_time_zone("Europe/Copenhagen");
  return proto;
}

std::vector<TargetGroup> TargetGroupsFromProto(
    const google::protobuf::RepeatedPtrField<v1::TargetGroup>& groups) {
  std::vector<TargetGroup> out;
  for (const v1::TargetGroup& group : groups) {
    TargetGroup converted;
    switch (group.kind()) {
      case v1::TargetGroup::KIND_CHILDREN:
        converted.kind = TargetGroup::Kind::kChildren;
        converted.min_age = group.min_age();
        converted.max_age = group.max_age();
        break;
      case v1::TargetGroup::KIND_YOUTH:
        converted.kind = TargetGroup::Kind::kYouth;
        break;
      case v1::TargetGroup::KIND_WOMEN:
        converted.kind = TargetGroup::Kind::kWomen;
        break;
      case v1::TargetGroup::KIND_MEN:
        converted.kind = TargetGroup::Kind::kMen;
        break;
      case v1::TargetGroup::KIND_FAMILIES:
        converted.kind = TargetGroup::Kind::kFamilies;
        break;
      default:
        converted.kind = TargetGroup::Kind::kEveryone;
        break;
    }
    out.push_back(converted);
  }
  return out;
}

v1::Occurrence OccurrenceToProto(const v1::Activity& activity,
                                 const Occurrence& occurrence) {
  v1::Occurrence proto;
  proto.set_activity(activity.name());
  proto.set_display_name(activity.display_name());
  proto.set_local_start_time(FormatLocalDateTime(occurrence.local_start));
  *proto.mutable_start_time() = store::ToTimestamp(occurrence.start);
  *proto.mutable_end_time() = store::ToTimestamp(occurrence.end);
  proto.set_category(activity.category());
  proto.set_area(activity.place().area());
  for (const v1::CancelledOccurrence& cancelled :
       activity.cancelled_occurrences()) {
    if (cancelled.start_time() == proto.local_start_time()) {
      proto.set_cancelled(true);
      proto.set_cancel_reason(cancelled.reason());
    }
  }
  return proto;
}

std::string CategoryCode(v1::Category category) {
  std::string name = v1::Category_Name(category);
  absl::string_view code = name;
  absl::ConsumePrefix(&code, "CATEGORY_");
  return absl::AsciiStrToLower(code);
}

}  // namespace brobygger::catalogue
