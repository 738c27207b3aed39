#include "services/catalogue/icalendar.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/catalogue/recurrence_rule.h"

namespace brobygger::catalogue {
namespace {

constexpr absl::string_view kTzid = "Europe/Copenhagen";
constexpr size_t kMaxLineOctets = 75;

// The rules in force since 1996 (EU summer time: last Sunday of March
// 02:00 to last Sunday of October 03:00). Earlier history is irrelevant for
// activities, and a short VTIMEZONE keeps feeds small.
constexpr absl::string_view kCopenhagenTimeZone[] = {
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Copenhagen",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
};

bool IsUtf8Continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool IsDroppedControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7F;
}

// For values that are not TEXT (URI, PRODID): there is no escape for a
// line break or control character, and either would break the line
// structure, so they are removed.
std::string WithoutControls(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (!IsDroppedControl(c)) out.push_back(c);
  }
  return out;
}

std::string LocalDateTime(absl::CivilSecond t) {
  return absl::StrFormat("%04d%02d%02dT%02d%02d%02d",
                         static_cast<int64_t>(t.year()), t.month(), t.day(),
                         t.hour(), t.minute(), t.second());
}

std::string UtcDateTime(absl::Time time) {
  // An unset or absurd time would format as "infinite-past"; the epoch is
  // a valid stand-in that says "unknown".
  const absl::CivilSecond utc = absl::ToCivilSecond(time, absl::UTCTimeZone());
  if (utc.year() < 1970 || utc.year() > 9999) {
    return "19700101T000000Z";
  }
  return absl::StrCat(LocalDateTime(utc), "Z");
}

// Every local start to exclude: the schedule's exception dates at its
// start time, and the cancelled single occurrences. Sorted and unique so
// the feed does not change with the order they were recorded in.
std::vector<absl::CivilSecond> ExcludedStarts(const CalendarEvent& event) {
  const absl::CivilSecond start = event.schedule.start;
  std::vector<absl::CivilSecond> out;
  for (absl::CivilDay day : event.schedule.exception_dates) {
    out.push_back(absl::CivilSecond(day.year(), day.month(), day.day(),
                                    start.hour(), start.minute(),
                                    start.second()));
  }
  out.insert(out.end(), event.cancelled_occurrences.begin(),
             event.cancelled_occurrences.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool ValidGeo(const std::pair<double, double>& geo) {
  return std::isfinite(geo.first) && std::isfinite(geo.second) &&
         std::abs(geo.first) <= 90 && std::abs(geo.second) <= 180;
}

void AddLine(std::string& out, absl::string_view line) {
  out += FoldContentLine(line);
}

void AddText(std::string& out, absl::string_view name,
             absl::string_view value) {
  if (value.empty()) return;
  AddLine(out, absl::StrCat(name, ":", EscapeText(value)));
}

void AddEvent(std::string& out, const CalendarEvent& event) {
  const Schedule& schedule = event.schedule;
  AddLine(out, "BEGIN:VEVENT");
  AddText(out, "UID", event.uid);
  AddLine(out, absl::StrCat("DTSTAMP:", UtcDateTime(event.last_modified)));
  AddLine(out,
          absl::StrCat("LAST-MODIFIED:", UtcDateTime(event.last_modified)));
  AddLine(out, absl::StrCat("DTSTART;TZID=", kTzid, ":",
                            LocalDateTime(schedule.start)));
  AddLine(out, absl::StrCat("DURATION:",
                            FormatICalendarDuration(schedule.duration)));
  const std::vector<absl::CivilSecond> excluded = ExcludedStarts(event);
  bool cancelled = event.cancelled;
  if (schedule.rule.has_value()) {
    AddLine(out, absl::StrCat("RRULE:", FormatRecurrenceRule(*schedule.rule)));
    if (!excluded.empty()) {
      std::vector<std::string> values;
      for (absl::CivilSecond t : excluded) values.push_back(LocalDateTime(t));
      AddLine(out, absl::StrCat("EXDATE;TZID=", kTzid, ":",
                                absl::StrJoin(values, ",")));
    }
  } else if (!excluded.empty()) {
    // A one-off event has nothing to exclude but itself, and an EXDATE
    // without RRULE is ignored by some clients: say it outright.
    const absl::CivilDay start_day(schedule.start);
    for (absl::CivilSecond t : excluded) {
      if (t == schedule.start || absl::CivilDay(t) == start_day) {
        cancelled = true;
      }
    }
  }
  AddText(out, "SUMMARY", event.summary);
  AddText(out, "DESCRIPTION", event.description);
  AddText(out, "LOCATION", event.location);
  if (event.geo.has_value() && ValidGeo(*event.geo)) {
    AddLine(out, absl::StrFormat("GEO:%.6f;%.6f", event.geo->first,
                                 event.geo->second));
  }
  if (!event.url.empty()) {
    AddLine(out, absl::StrCat("URL:", WithoutControls(event.url)));
  }
  std::vector<std::string> categories;
  for (const std::string& category : event.categories) {
    if (!category.empty()) categories.push_back(EscapeText(category));
  }
  if (!categories.empty()) {
    AddLine(out, absl::StrCat("CATEGORIES:", absl::StrJoin(categories, ",")));
  }
  if (cancelled) AddLine(out, "STATUS:CANCELLED");
  AddLine(out, "END:VEVENT");
}

}  // namespace

std::string EscapeText(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (!IsDroppedControl(c)) out.push_back(c);
    }
  }
  return out;
}

std::string FoldContentLine(absl::string_view line) {
  std::string out;
  out.reserve(line.size() + 3 * (line.size() / (kMaxLineOctets - 1) + 1));
  // The first physical line holds 75 octets; continuation lines start with
  // a space, leaving 74 for content.
  size_t limit = kMaxLineOctets;
  while (line.size() > limit) {
    size_t cut = limit;
    // Back off to the start of the UTF-8 character that would be split.
    while (cut > 0 && IsUtf8Continuation(line[cut])) --cut;
    // Not UTF-8 at all (a run of continuation bytes): cut anyway rather
    // than loop forever.
    if (cut == 0) cut = limit;
    out.append(line.data(), cut);
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kMaxLineOctets - 1;
  }
  out.append(line.data(), line.size());
  out += "\r\n";
  return out;
}

std::string FormatICalendarDuration(absl::Duration duration) {
  int64_t seconds = absl::ToInt64Seconds(duration);
  if (seconds <= 0) return "PT0S";
  const int64_t hours = seconds / 3600;
  const int64_t minutes = seconds / 60 % 60;
  seconds %= 60;
  std::string out = "PT";
  if (hours > 0) absl::StrAppend(&out, hours, "H");
  if (minutes > 0) absl::StrAppend(&out, minutes, "M");
  if (seconds > 0) absl::StrAppend(&out, seconds, "S");
  return out;
}

std::string RenderICalendar(const Calendar& calendar) {
  std::string out;
  AddLine(out, "BEGIN:VCALENDAR");
  AddLine(out, "VERSION:2.0");
  AddLine(out, absl::StrCat("PRODID:", WithoutControls(calendar.product_id)));
  AddLine(out, "CALSCALE:GREGORIAN");
  AddLine(out, "METHOD:PUBLISH");
  AddText(out, "X-WR-CALNAME", calendar.name);
  // Google Calendar and Outlook use this as the calendar's default zone.
  AddLine(out, absl::StrCat("X-WR-TIMEZONE:", kTzid));
  for (absl::string_view line : kCopenhagenTimeZone) AddLine(out, line);

  std::vector<const CalendarEvent*> events;
  events.reserve(calendar.events.size());
  for (const CalendarEvent& event : calendar.events) events.push_back(&event);
  std::stable_sort(events.begin(), events.end(),
                   [](const CalendarEvent* a, const CalendarEvent* b) {
                     return a->uid < b->uid;
                   });
  for (const CalendarEvent* event : events) AddEvent(out, *event);

  AddLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace brobygger::catalogue
