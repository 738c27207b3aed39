// The catalogue API's Schedule message and the schedule engine's Schedule
// struct (schedule.h), in both directions, and the other small conversions
// between activities and the pure analyses.
#ifndef BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_SCHEDULE_H_
#define BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_SCHEDULE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "services/catalogue/coordination_analysis.h"
#include "services/catalogue/schedule.h"

namespace brobygger::catalogue {

// Parses and validates (ValidateSchedule) a schedule. INVALID_ARGUMENT
// naming fields relative to the message: "schedule.start_time",
// "schedule.duration", "schedule.rrule", "schedule.exception_dates[2]".
absl::StatusOr<Schedule> ScheduleFromProto(const v1::Schedule& proto);

// The canonical form stored and returned: start with seconds, the rule in
// canonical RFC 5545 text, exception dates sorted and unique, the time
// zone named.
v1::Schedule ScheduleToProto(const Schedule& schedule);

// The target groups of the coordination analysis.
std::vector<TargetGroup> TargetGroupsFromProto(
    const google::protobuf::RepeatedPtrField<v1::TargetGroup>& groups);

// The API's view of one occurrence of `activity`.
v1::Occurrence OccurrenceToProto(const v1::Activity& activity,
                                 const Occurrence& occurrence);

// Lower-case snake name of a category, e.g. "language_cafe"; used for
// calendar CATEGORIES, HSDS taxonomy codes and the coordination report.
std::string CategoryCode(v1::Category category);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_SCHEDULE_H_
