// An RFC 5545 iCalendar writer for calendar feeds of the catalogue: people
// subscribe to a municipality's, a town's or a category's activities in
// their own calendar program.
//
// The output is deterministic (events ordered by UID, DTSTAMP taken from
// the event's last modification rather than the clock), so a feed that is
// polled every hour only changes when the activities do, and calendar
// programs do not re-import unchanged events.
#ifndef BROBYGGER_SERVICES_CATALOGUE_ICALENDAR_H_
#define BROBYGGER_SERVICES_CATALOGUE_ICALENDAR_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/catalogue/schedule.h"

namespace brobygger::catalogue {

struct CalendarEvent {
  // Stable across feeds and renders, e.g.
  // "municipalities/aalborg/activities/12@brobygger".
  std::string uid;
  std::string summary;
  std::string description;  // Optional.
  std::string location;     // Optional.
  // Latitude, longitude in degrees. Left out of the output if out of range.
  std::optional<std::pair<double, double>> geo;
  std::string url;                      // Optional.
  std::vector<std::string> categories;  // Written in the given order.
  // DTSTART;TZID=Europe/Copenhagen, DURATION, RRULE and EXDATE.
  Schedule schedule;
  absl::Time last_modified;  // DTSTAMP and LAST-MODIFIED.
  bool cancelled = false;    // STATUS:CANCELLED for the whole event.
  // Local (Copenhagen) starts of single cancelled occurrences; written as
  // EXDATE together with the schedule's exception dates.
  std::vector<absl::CivilSecond> cancelled_occurrences;
};

struct Calendar {
  std::string name;  // X-WR-CALNAME, shown by calendar programs.
  std::string product_id = "-//Brobygger//Catalogue//EN";
  std::vector<CalendarEvent> events;
};

// The calendar as an iCalendar stream: CRLF line endings, lines folded at
// 75 octets on UTF-8 character boundaries, TEXT values escaped, one
// VTIMEZONE for Europe/Copenhagen. Control characters other than newlines
// (which become "\n") are dropped from values, since RFC 5545 forbids them.
std::string RenderICalendar(const Calendar& calendar);

// Helpers of RenderICalendar, exposed for tests.

// TEXT escaping (RFC 5545 section 3.3.11): backslash, ';', ',' and
// newlines (LF, CRLF or CR all become "\n").
std::string EscapeText(absl::string_view text);

// One content line, folded (section 3.1) and terminated by CRLF.
std::string FoldContentLine(absl::string_view line);

// A DURATION value in elapsed time (section 3.3.6): "PT2H", "PT1H30M",
// "PT26H". Days are written as hours, because "P1D" is a nominal day that
// lasts 23 or 25 hours across a daylight-saving change, whereas a
// schedule's duration is elapsed time. Sub-second parts are dropped.
std::string FormatICalendarDuration(absl::Duration duration);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_ICALENDAR_H_
