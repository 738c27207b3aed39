#include "services/catalogue/calendar_export.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/store/resource_io.h"
#include "services/catalogue/activity_schedule.h"
#include "services/catalogue/local_time_text.h"

namespace brobygger::catalogue {
namespace {

std::string PriceText(const v1::Price& price) {
  std::string text;
  if (price.kind() == v1::Price::KIND_FREE) {
    text = "Free";
  } else {
    text = absl::StrFormat("%d.%02d kr", price.amount_ore() / 100,
                           price.amount_ore() % 100);
  }
  if (!price.note().empty()) absl::StrAppend(&text, " (", price.note(), ")");
  return text;
}

std::string Description(const v1::Activity& activity) {
  std::vector<std::string> lines;
  if (!activity.description().empty()) lines.push_back(activity.description());
  if (!activity.organiser_display_name().empty()) {
    lines.push_back(absl::StrCat("Organiser: ",
                                 activity.organiser_display_name()));
  }
  lines.push_back(absl::StrCat("Price: ", PriceText(activity.price())));
  if (!activity.languages().empty()) {
    lines.push_back(
        absl::StrCat("Languages: ", absl::StrJoin(activity.languages(), ", ")));
  }
  if (activity.capacity().signup_required()) {
    lines.push_back(absl::StrCat("Sign-up required. ",
                                 activity.capacity().signup_instructions()));
  }
  const v1::Contact& contact = activity.contact();
  std::vector<std::string> contact_parts;
  for (const std::string* part :
       {&contact.name(), &contact.phone(), &contact.email()}) {
    if (!part->empty()) contact_parts.push_back(*part);
  }
  if (!contact_parts.empty()) {
    lines.push_back(absl::StrCat("Contact: ", absl::StrJoin(contact_parts, ", ")));
  }
  if (!activity.accessibility_notes().empty()) {
    lines.push_back(
        absl::StrCat("Accessibility: ", activity.accessibility_notes()));
  }
  if (activity.state() == v1::ACTIVITY_STATE_PAUSED) {
    lines.push_back("Paused: does not take place until further notice.");
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace

CalendarEvent ActivityToCalendarEvent(const v1::Activity& activity) {
  CalendarEvent event;
  event.uid = absl::StrCat(activity.name(), "@brobygger");
  event.summary = activity.display_name();
  event.description = Description(activity);
  const v1::Place& place = activity.place();
  std::vector<std::string> location;
  for (const std::string* part : {&place.venue(), &place.address(), &place.area()}) {
    if (!part->empty()) location.push_back(*part);
  }
  event.location = absl::StrJoin(location, ", ");
  if (place.has_coordinates()) {
    event.geo = std::make_pair(place.coordinates().latitude(),
                               place.coordinates().longitude());
  }
  event.url = activity.contact().url();
  event.categories.push_back(CategoryCode(activity.category()));
  if (auto schedule = ScheduleFromProto(activity.schedule()); schedule.ok()) {
    event.schedule = std::move(*schedule);
  }
  event.last_modified = store::FromTimestamp(activity.update_time());
  event.cancelled = activity.state() == v1::ACTIVITY_STATE_PAUSED ||
                    activity.state() == v1::ACTIVITY_STATE_ENDED;
  for (const auto& cancelled : activity.cancelled_occurrences()) {
    if (auto local = ParseLocalDateTime(cancelled.start_time(), "");
        local.ok()) {
      event.cancelled_occurrences.push_back(*local);
    }
  }
  return event;
}

std::string RenderActivitiesCalendar(
    absl::string_view calendar_name,
    const std::vector<v1::Activity>& activities) {
  Calendar calendar;
  calendar.name = std::string(calendar_name);
  calendar.events.reserve(activities.size());
  for (const v1::Activity& activity : activities) {
    calendar.events.push_back(ActivityToCalendarEvent(activity));
  }
  return RenderICalendar(calendar);
}

}  // namespace brobygger::catalogue
