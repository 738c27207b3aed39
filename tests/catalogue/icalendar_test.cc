// The iCalendar feed: exact output, RFC 5545 folding and escaping, and a
// check with an independent parser (Debian's python3-icalendar, with
// python3-dateutil and pytz expanding the rule) that calendar programs
// will read what we mean.
#include "services/catalogue/icalendar.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/catalogue/schedule_test_util.h"

namespace brobygger::catalogue {
namespace {

using ::brobygger::catalogue::testing::Local;
using ::brobygger::catalogue::testing::MakeSchedule;
using ::brobygger::catalogue::testing::Utc;
using ::testing::HasSubstr;

// A weekly communal dinner with one exception date and one cancelled
// occurrence, and a one-off course.
Calendar SmallCalendar() {
  CalendarEvent dinner;
  dinner.uid = "municipalities/aalborg/activities/12@brobygger";
  dinner.summary = "Fællesspisning i Kærby";
  dinner.description = "Mad, kaffe og snak; alle er velkomne.";
  dinner.location = "Kærby Beboerhus, Aalborg";
  dinner.geo = {{57.0488, 9.9217}};
  dinner.url = "https://brobygger.example/a/12";
  dinner.categories = {"communal dining", "meeting place"};
  dinner.schedule = MakeSchedule(Local(2026, 10, 6, 18, 0), absl::Minutes(90),
                                 "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
                                 {absl::CivilDay(2026, 10, 20)});
  dinner.cancelled_occurrences = {Local(2026, 11, 3, 18, 0)};
  dinner.last_modified = Utc(2026, 9, 1, 8, 30);

  CalendarEvent course;
  course.uid = "municipalities/aalborg/activities/7@brobygger";
  course.summary = "Boligkursus";
  course.schedule = MakeSchedule(Local(2026, 11, 12, 9, 0), absl::Hours(3));
  course.last_modified = Utc(2026, 9, 2, 10, 0);
  course.cancelled = true;

  Calendar calendar;
  calendar.name = "Aalborg, Kærby";
  // Out of UID order: the output must not depend on it.
  calendar.events = {dinner, course};
  return calendar;
}

TEST(ICalendarTest, ExactOutputForSmallCalendar) {
  const std::string expected =
      "BEGIN:VCALENDAR\r\n"
      "VERSION:2.0\r\n"
      "PRODID:-//Brobygger//Catalogue//EN\r\n"
      "CALSCALE:GREGORIAN\r\n"
      "METHOD:PUBLISH\r\n"
      "X-WR-CALNAME:Aalborg\\, Kærby\r\n"
      "X-WR-TIMEZONE:Europe/Copenhagen\r\n"
      "BEGIN:VTIMEZONE\r\n"
      "TZID:Europe/Copenhagen\r\n"
      "BEGIN:DAYLIGHT\r\n"
      "TZOFFSETFROM:+0100\r\n"
      "TZOFFSETTO:+0200\r\n"
      "TZNAME:CEST\r\n"
      "DTSTART:19700329T020000\r\n"
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
      "END:DAYLIGHT\r\n"
      "BEGIN:STANDARD\r\n"
      "TZOFFSETFROM:+0200\r\n"
      "TZOFFSETTO:+0100\r\n"
      "TZNAME:CET\r\n"
      "DTSTART:19701025T030000\r\n"
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
      "END:STANDARD\r\n"
      "END:VTIMEZONE\r\n"
      "BEGIN:VEVENT\r\n"
      "UID:municipalities/aalborg/activities/12@brobygger\r\n"
      "DTSTAMP:20260901T083000Z\r\n"
      "LAST-MODIFIED:20260901T083000Z\r\n"
      "DTSTART;TZID=Europe/Copenhagen:20261006T180000\r\n"
      "DURATION:PT1H30M\r\n"
      "RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU\r\n"
      "EXDATE;TZID=Europe/Copenhagen:20261020T180000,20261103T180000\r\n"
      "SUMMARY:Fællesspisning i Kærby\r\n"
      "DESCRIPTION:Mad\\, kaffe og snak\\; alle er velkomne.\r\n"
      "LOCATION:Kærby Beboerhus\\, Aalborg\r\n"
      "GEO:57.048800;9.921700\r\n"
      "URL:https://brobygger.example/a/12\r\n"
      "CATEGORIES:communal dining,meeting place\r\n"
      "END:VEVENT\r\n"
      "BEGIN:VEVENT\r\n"
      "UID:municipalities/aalborg/activities/7@brobygger\r\n"
      "DTSTAMP:20260902T100000Z\r\n"
      "LAST-MODIFIED:20260902T100000Z\r\n"
      "DTSTART;TZID=Europe/Copenhagen:20261112T090000\r\n"
      "DURATION:PT3H\r\n"
      "SUMMARY:Boligkursus\r\n"
      "STATUS:CANCELLED\r\n"
      "END:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  EXPECT_EQ(RenderICalendar(SmallCalendar()), expected);
}

TEST(ICalendarTest, OutputDoesNotDependOnEventOrder) {
  Calendar calendar = SmallCalendar();
  const std::string first = RenderICalendar(calendar);
  std::swap(calendar.events[0], calendar.events[1]);
  EXPECT_EQ(RenderICalendar(calendar), first);
}

TEST(ICalendarTest, EscapesText) {
  EXPECT_EQ(EscapeText("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
  // Other control characters are not allowed in TEXT at all.
  EXPECT_EQ(EscapeText(std::string("bell\a tab\t nul\0!", 17)),
            "bell tab\t nul!");
}

TEST(ICalendarTest, NewlinesInValuesNeverBreakTheLineStructure) {
  Calendar calendar = SmallCalendar();
  calendar.events[0].description = "Første linje\nAnden linje\r\nTredje";
  calendar.events[0].url = "https://x.example/\r\nBEGIN:VEVENT";
  const std::string ics = RenderICalendar(calendar);
  EXPECT_THAT(ics,
              HasSubstr("DESCRIPTION:Første linje\\nAnden linje\\nTredje\r\n"));
  EXPECT_THAT(ics, HasSubstr("URL:https://x.example/BEGIN:VEVENT\r\n"));
  // Every line ends in CRLF: no bare CR or LF anywhere.
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      ASSERT_TRUE(i > 0 && ics[i - 1] == '\r') << "bare LF at " << i;
    } else if (ics[i] == '\r') {
      ASSERT_TRUE(i + 1 < ics.size() && ics[i + 1] == '\n')
          << "bare CR at " << i;
    }
  }
}

bool IsValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int length = c < 0x80           ? 1
                       : (c >> 5) == 0x6  ? 2
                       : (c >> 4) == 0xE  ? 3
                       : (c >> 3) == 0x1E ? 4
                                          : 0;
    if (length == 0 || i + length > s.size()) return false;
    for (int k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

TEST(ICalendarTest, FoldsLongDanishDescriptionOnCharacterBoundaries) {
  // Mostly two-octet letters, so that octet 75 falls inside a character on
  // many lines, whatever the offset.
  std::string description;
  for (int i = 0; i < 12; ++i) {
    absl::StrAppend(&description, "Æblegrød, rødgrøds æøå-ÆØÅ blåbær ", i,
                    "; ");
  }
  Calendar calendar = SmallCalendar();
  calendar.events[0].description = description;
  const std::string ics = RenderICalendar(calendar);

  std::vector<std::string> lines = absl::StrSplit(ics, "\r\n");
  ASSERT_EQ(lines.back(), "");
  lines.pop_back();
  std::string unfolded;  // The DESCRIPTION content line, unfolded.
  bool in_description = false;
  int continuation_lines = 0;
  for (const std::string& line : lines) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_TRUE(IsValidUtf8(line)) << "a character was split: " << line;
    if (absl::StartsWith(line, "DESCRIPTION:")) {
      in_description = true;
      unfolded = line;
    } else if (in_description && absl::StartsWith(line, " ")) {
      unfolded += line.substr(1);
      ++continuation_lines;
    } else {
      in_description = false;
    }
  }
  EXPECT_GE(continuation_lines, 8);
  EXPECT_EQ(unfolded, absl::StrCat("DESCRIPTION:", EscapeText(description)));
}

TEST(ICalendarTest, FoldsAtExactlySeventyFiveOctets) {
  const std::string line(75, 'x');
  EXPECT_EQ(FoldContentLine(line), line + "\r\n");
  EXPECT_EQ(FoldContentLine(line + "yz"), line + "\r\n yz\r\n");
  // 74 ASCII octets then "ø" (2 octets): it may not be split at 75.
  const std::string split = std::string(74, 'x') + "øz";
  EXPECT_EQ(FoldContentLine(split), std::string(74, 'x') + "\r\n øz\r\n");
}

TEST(ICalendarTest, DurationIsElapsedTime) {
  EXPECT_EQ(FormatICalendarDuration(absl::Hours(2)), "PT2H");
  EXPECT_EQ(FormatICalendarDuration(absl::Minutes(90)), "PT1H30M");
  EXPECT_EQ(FormatICalendarDuration(absl::Minutes(45)), "PT45M");
  EXPECT_EQ(FormatICalendarDuration(absl::Hours(26) + absl::Seconds(5)),
            "PT26H5S");
}

// Parses the feed with python3-icalendar and expands each rule with
// dateutil in Europe/Copenhagen (pytz), printing what a calendar program
// would show.
constexpr char kParserScript[] = R"py(
import sys
sys.stdout.reconfigure(encoding="utf-8")
try:
    import icalendar
    import pytz
    from dateutil import rrule
except ImportError as e:
    print("MISSING DEPENDENCY: %s. Install python3-icalendar (listed in "
          "deploy/setup.sh)." % e)
    sys.exit(3)

with open(sys.argv[1], "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
print("calendar", cal["X-WR-CALNAME"], cal["VERSION"], cal["METHOD"])
for tz in cal.walk("VTIMEZONE"):
    print("timezone", tz["TZID"],
          [(c.name, c["TZOFFSETTO"].to_ical()) for c in tz.subcomponents])
# The parser resolves TZID through the tz database; our VTIMEZONE is
# checked against it on every occurrence.
ours = cal.walk("VTIMEZONE")[0].to_tz()
copenhagen = pytz.timezone("Europe/Copenhagen")
for ev in cal.walk("VEVENT"):
    start = ev.decoded("DTSTART")
    print("event", ev["UID"])
    print("  summary", ev["SUMMARY"])
    print("  start", start.isoformat(), start.tzinfo.zone)
    print("  duration", ev.decoded("DURATION"))
    print("  status", ev.get("STATUS", "-"))
    if "GEO" in ev:
        print("  geo", ev["GEO"].latitude, ev["GEO"].longitude)
    if "DESCRIPTION" in ev:
        print("  description", ev["DESCRIPTION"])
    if "RRULE" not in ev:
        continue
    print("  rrule", ev["RRULE"].to_ical().decode())
    exdates = ev.get("EXDATE", [])
    if not isinstance(exdates, list):
        exdates = [exdates]
    excluded = [d.dt for e in exdates for d in e.dts]
    print("  exdate", " ".join(d.isoformat() for d in excluded))
    naive = start.replace(tzinfo=None)
    skip = set(d.astimezone(copenhagen).replace(tzinfo=None) for d in excluded)
    for t in rrule.rrulestr(ev["RRULE"].to_ical().decode(), dtstart=naive):
        if t in skip:
            continue
        a, b = copenhagen.localize(t), ours.localize(t)
        print("  occurrence " + a.isoformat() +
              ("" if a.utcoffset() == b.utcoffset() else
               " but VTIMEZONE says " + b.isoformat()))
)py";

// Runs the script on `ics`; fails the test if Python or its packages are
// missing.
std::string ParseWithPython(const std::string& ics) {
  const std::string python = "/usr/bin/python3";
  if (access(python.c_str(), X_OK) != 0) {
    ADD_FAILURE() << python << " not found: install python3 and "
                  << "python3-icalendar (deploy/setup.sh)";
    return "";
  }
  // A directory of its own: ctest runs the tests of this file in parallel
  // processes, which must not read each other's calendars.
  std::string dir_template = ::testing::TempDir() + "/icalendar-XXXXXX";
  if (mkdtemp(dir_template.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << dir_template;
    return "";
  }
  const std::string dir = dir_template;
  struct RemoveDir {
    std::string path;
    ~RemoveDir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  } remove_dir{dir};
  const std::string script_path = dir + "/icalendar_check.py";
  const std::string ics_path = dir + "/icalendar_check.ics";
  std::ofstream(script_path, std::ios::binary) << kParserScript;
  std::ofstream(ics_path, std::ios::binary) << ics;
  const std::string command =
      absl::StrCat(python, " '", script_path, "' '", ics_path, "' 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return "";
  }
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    output.append(buffer, n);
  }
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << output;
  return output;
}

TEST(ICalendarTest, IndependentParserReadsEventsRulesAndTimeZones) {
  Calendar calendar = SmallCalendar();
  calendar.events[0].description = "Line one\nøæå; \\ done, yes";
  const std::string output = ParseWithPython(RenderICalendar(calendar));
  // The weekly dinner crosses the end of summer time on 2026-10-25: it
  // stays at 18:00 local, the offset changes. 10-20 is an exception date,
  // 11-03 a cancelled occurrence; COUNT=6 still counts them.
  EXPECT_EQ(output,
            "calendar Aalborg, Kærby 2.0 PUBLISH\n"
            "timezone Europe/Copenhagen [('DAYLIGHT', '+0200'), "
            "('STANDARD', '+0100')]\n"
            "event municipalities/aalborg/activities/12@brobygger\n"
            "  summary Fællesspisning i Kærby\n"
            "  start 2026-10-06T18:00:00+02:00 Europe/Copenhagen\n"
            "  duration 1:30:00\n"
            "  status -\n"
            "  geo 57.0488 9.9217\n"
            "  description Line one\nøæå; \\ done, yes\n"
            "  rrule FREQ=WEEKLY;COUNT=6;BYDAY=TU\n"
            "  exdate 2026-10-20T18:00:00+02:00 2026-11-03T18:00:00+01:00\n"
            "  occurrence 2026-10-06T18:00:00+02:00\n"
            "  occurrence 2026-10-13T18:00:00+02:00\n"
            "  occurrence 2026-10-27T18:00:00+01:00\n"
            "  occurrence 2026-11-10T18:00:00+01:00\n"
            "event municipalities/aalborg/activities/7@brobygger\n"
            "  summary Boligkursus\n"
            "  start 2026-11-12T09:00:00+01:00 Europe/Copenhagen\n"
            "  duration 3:00:00\n"
            "  status CANCELLED\n");
}

TEST(ICalendarTest, IndependentParserUnfoldsLongDanishText) {
  std::string description;
  for (int i = 0; i < 20; ++i) description += "Rødgrød med fløde, æøå ÆØÅ. ";
  Calendar calendar = SmallCalendar();
  calendar.events[0].description = description;
  const std::string output = ParseWithPython(RenderICalendar(calendar));
  EXPECT_THAT(output,
              HasSubstr(absl::StrCat("  description ", description, "\n")));
}

}  // namespace
}  // namespace brobygger::catalogue
