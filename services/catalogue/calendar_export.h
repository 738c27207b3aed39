// Activities as an iCalendar file: one VEVENT per activity with its
// recurrence rule, exception dates and cancelled occurrences, so calendar
// programs expand the series themselves and show changes on their next
// poll.
#ifndef BROBYGGER_SERVICES_CATALOGUE_CALENDAR_EXPORT_H_
#define BROBYGGER_SERVICES_CATALOGUE_CALENDAR_EXPORT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "services/catalogue/icalendar.h"

namespace brobygger::catalogue {

// A paused activity is written as STATUS:CANCELLED (it does not take place
// until resumed); the description carries organiser, price, sign-up,
// contact and accessibility, since calendar programs show little else.
CalendarEvent ActivityToCalendarEvent(const v1::Activity& activity);

std::string RenderActivitiesCalendar(absl::string_view calendar_name,
                                     const std::vector<v1::Activity>& activities);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_CALENDAR_EXPORT_H_
