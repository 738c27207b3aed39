// An HSDS schedule -> a Brobygger schedule: from the exact
// brobygger-schedule attributes when present, else from HSDS's native
// fields (rules in hsds.h).
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/time/copenhagen_time.h"
#include "google/protobuf/util/time_util.h"
#include "services/catalogue/hsds.h"
#include "services/catalogue/hsds_internal.h"
#include "services/catalogue/local_time_text.h"
#include "services/catalogue/recurrence_rule.h"
#include "services/catalogue/weekday_code.h"

namespace brobygger::catalogue::hsds_internal {
namespace {

// The description of the first violation of `status` (its message if it
// has none), for re-reporting a nested error under a JSON path.
std::string ReasonOf(const absl::Status& status) {
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (!violations.empty()) return violations.front().description;
  return std::string(status.message());
}

// Whether `node` holds something other than null or "".
bool HasValue(const JsonNode& node) {
  return node.present() &&
         !(node.value().is_string() && node.value().get<std::string>().empty());
}

absl::StatusOr<ImportedSchedule> FromAttributes(
    const std::vector<BrobyggerTerm>& terms, const JsonNode& attributes) {
  ImportedSchedule imported;
  v1::Schedule& schedule = imported.schedule;
  bool has_start = false;
  bool has_duration = false;
  bool has_rrule = false;
  for (const BrobyggerTerm& term : terms) {
    const JsonNode value = term.attribute.Child("value");
    if (term.code == kStartTimeCode) {
      if (has_start) return value.Error("the start is given twice");
      if (auto start = ParseLocalDateTime(term.value, value.path());
          !start.ok()) {
        return start.status();
      }
      schedule.set_start_time(term.value);
      has_start = true;
    } else if (term.code == kDurationCode) {
      if (has_duration) return value.Error("the duration is given twice");
      if (!google::protobuf::util::TimeUtil::FromString(
              term.value, schedule.mutable_duration())) {
        return value.Error(
            "not a duration; give seconds with an \"s\", e.g. \"5400s\"");
      }
      has_duration = true;
    } else if (term.code == kRruleCode) {
      if (has_rrule) return value.Error("the rule is given twice");
      if (auto rule = ParseRecurrenceRule(term.value); !rule.ok()) {
        return value.Error(ReasonOf(rule.status()));
      }
      schedule.set_rrule(term.value);
      has_rrule = true;
    } else if (term.code == kExceptionDateCode) {
      if (auto day = ParseLocalDate(term.value, value.path()); !day.ok()) {
        return day.status();
      }
      schedule.add_exception_dates(term.value);
    } else if (term.code == kCancelledOccurrenceCode) {
      const nlohmann::json parsed = nlohmann::json::parse(
          term.value, nullptr, /*allow_exceptions=*/false);
      const JsonNode object(&parsed, value.path());
      if (parsed.is_discarded() || !parsed.is_object()) {
        return value.Error(
            "must be a JSON object {\"start_time\": ..., \"reason\": ...}");
      }
      v1::CancelledOccurrence cancelled;
      ASSIGN_OR_RETURN(std::string start,
                       object.Child("start_time")
                           .RequiredString("the occurrence's local start"));
      if (auto parsed_start = ParseLocalDateTime(
              start, absl::StrCat(value.path(), ".start_time"));
          !parsed_start.ok()) {
        return parsed_start.status();
      }
      cancelled.set_start_time(start);
      ASSIGN_OR_RETURN(*cancelled.mutable_reason(),
                       object.Child("reason").String());
      imported.cancelled.push_back(std::move(cancelled));
    } else {
      return term.attribute.Child("taxonomy_term")
          .Child("code")
          .Error(absl::StrCat("unknown code in ", kScheduleTaxonomy,
                              "; it has ", kStartTimeCode, ", ", kDurationCode,
                              ", ", kRruleCode, ", ", kExceptionDateCode,
                              " and ", kCancelledOccurrenceCode));
    }
  }
  if (!has_start || !has_duration) {
    return attributes.Error(
        absl::StrCat("the ", kScheduleTaxonomy, " attributes need both ",
                     kStartTimeCode, " and ", kDurationCode));
  }
  return imported;
}

// A time of day with an optional UTC offset, as HSDS's opens_at and
// closes_at: "18:00", "18:00:00", "17:00Z", "18:00+01:00".
struct ClockTime {
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::optional<absl::Duration> offset;
};

bool ParseTwoDigits(absl::string_view text, int max, int* value) {
  if (text.size() != 2 || !absl::ascii_isdigit(text[0]) ||
      !absl::ascii_isdigit(text[1])) {
    return false;
  }
  *value = (text[0] - '0') * 10 + (text[1] - '0');
  return *value <= max;
}

std::optional<ClockTime> ParseClock(absl::string_view text) {
  ClockTime clock;
  absl::string_view time = text;
  if (absl::ConsumeSuffix(&time, "Z") || absl::ConsumeSuffix(&time, "z")) {
    clock.offset = absl::ZeroDuration();
  } else if (const size_t sign = time.find_first_of("+-");
             sign != absl::string_view::npos) {
    // "+01:00", "+0100" or "+01".
    std::string digits =
        absl::StrReplaceAll(time.substr(sign + 1), {{":", ""}});
    int hours = 0;
    int minutes = 0;
    if (!((digits.size() == 2 || digits.size() == 4) &&
          ParseTwoDigits(digits.substr(0, 2), 14, &hours) &&
          (digits.size() == 2 ||
           ParseTwoDigits(digits.substr(2, 2), 59, &minutes)))) {
      return std::nullopt;
    }
    const absl::Duration offset = absl::Hours(hours) + absl::Minutes(minutes);
    clock.offset = time[sign] == '-' ? -offset : offset;
    time = time.substr(0, sign);
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(time, ':');
  if (parts.size() < 2 || parts.size() > 3 ||
      !ParseTwoDigits(parts[0], 23, &clock.hour) ||
      !ParseTwoDigits(parts[1], 59, &clock.minute) ||
      (parts.size() == 3 && !ParseTwoDigits(parts[2], 59, &clock.second))) {
    return std::nullopt;
  }
  return clock;
}

absl::StatusOr<ClockTime> ReadClock(const JsonNode& node,
                                    absl::string_view what) {
  ASSIGN_OR_RETURN(std::string text, node.RequiredString(what));
  std::optional<ClockTime> clock = ParseClock(text);
  if (!clock.has_value()) {
    return node.Error(
        "not a time of day; use \"HH:MM\" or \"HH:MM:SS\", optionally with "
        "\"Z\" or an offset such as \"+01:00\"");
  }
  return *clock;
}

// The instant of `clock` on `day`: at its own offset, else at the
// schedule's, else UTC (HSDS: "Dates are assumed to be UTC otherwise").
absl::Time InstantOf(absl::CivilDay day, const ClockTime& clock,
                     std::optional<absl::Duration> schedule_offset) {
  const absl::Duration offset =
      clock.offset.value_or(schedule_offset.value_or(absl::ZeroDuration()));
  const absl::CivilSecond civil(day.year(), day.month(), day.day(), clock.hour,
                                clock.minute, clock.second);
  return absl::FromCivil(civil, absl::UTCTimeZone()) - offset;
}

// The RRULE of the native fields, "" for a one-off.
absl::StatusOr<std::string> NativeRule(const JsonNode& node) {
  for (absl::string_view unsupported : {"byweekno", "byyearday"}) {
    const JsonNode field = node.Child(unsupported);
    if (HasValue(field)) {
      return field.Error(
          "not supported: Brobygger repeats by weekdays and days of the "
          "month only");
    }
  }
  const JsonNode freq_node = node.Child("freq");
  ASSIGN_OR_RETURN(std::string freq, freq_node.String());
  if (freq.empty()) {
    for (absl::string_view field :
         {"interval", "byday", "bymonthday", "count", "until", "wkst"}) {
      if (HasValue(node.Child(field))) {
        return freq_node.Error(absl::StrCat("required when ", field,
                                            " is given: WEEKLY or MONTHLY"));
      }
    }
    return std::string();  // A one-off.
  }
  if (freq != "WEEKLY" && freq != "MONTHLY") {
    return freq_node.Error(absl::StrCat(
        "\"", freq,
        "\" is not an HSDS 3.0 frequency; use WEEKLY or MONTHLY (a daily "
        "schedule is WEEKLY with byday MO,TU,WE,TH,FR,SA,SU)"));
  }
  std::vector<std::string> parts = {absl::StrCat("FREQ=", freq)};

  const JsonNode interval_node = node.Child("interval");
  ASSIGN_OR_RETURN(std::optional<long long> interval, interval_node.Integer());
  if (interval.has_value()) {
    if (*interval < 1 || *interval > kMaxInterval) {
      return interval_node.Error(absl::StrCat("must be 1 to ", kMaxInterval));
    }
    if (*interval != 1) parts.push_back(absl::StrCat("INTERVAL=", *interval));
  }

  const JsonNode byday_node = node.Child("byday");
  ASSIGN_OR_RETURN(std::string byday, byday_node.String());
  std::vector<std::string> days;
  for (absl::string_view item :
       absl::StrSplit(byday, ',', absl::SkipWhitespace())) {
    std::string day = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(item));
    absl::string_view code = day;
    const absl::string_view weekday =
        code.size() >= 2 ? code.substr(code.size() - 2) : code;
    absl::string_view ordinal = code.substr(0, code.size() - weekday.size());
    int number = 0;
    if (!ParseWeekdayCode(weekday).has_value() ||
        (!ordinal.empty() && !absl::SimpleAtoi(ordinal, &number))) {
      return byday_node.Error(absl::StrCat(
          "\"", item,
          "\" is not a weekday; use MO, TU, WE, TH, FR, SA, SU, with a "
          "number for monthly schedules (2TU, -1FR)"));
    }
    days.push_back(day);
  }
  if (!days.empty())
    parts.push_back(absl::StrCat("BYDAY=", absl::StrJoin(days, ",")));

  // A comma-separated string in HSDS 3.0, a number in its drafts.
  const JsonNode bymonthday_node = node.Child("bymonthday");
  std::vector<std::string> month_days;
  if (bymonthday_node.present() && bymonthday_node.value().is_number()) {
    ASSIGN_OR_RETURN(std::optional<long long> day, bymonthday_node.Integer());
    month_days.push_back(absl::StrCat(*day));
  } else {
    ASSIGN_OR_RETURN(std::string text, bymonthday_node.String());
    for (absl::string_view item :
         absl::StrSplit(text, ',', absl::SkipWhitespace())) {
      int day = 0;
      if (!absl::SimpleAtoi(item, &day)) {
        return bymonthday_node.Error(absl::StrCat(
            "\"", item, "\" is not a day of the month (1 to 31, -1 to -31)"));
      }
      month_days.push_back(absl::StrCat(day));
    }
  }
  if (!month_days.empty()) {
    parts.push_back(
        absl::StrCat("BYMONTHDAY=", absl::StrJoin(month_days, ",")));
  }

  const JsonNode count_node = node.Child("count");
  ASSIGN_OR_RETURN(std::optional<long long> count, count_node.Integer());
  if (count.has_value()) {
    if (*count < 1 || *count > kMaxCount) {
      return count_node.Error(absl::StrCat("must be 1 to ", kMaxCount));
    }
    parts.push_back(absl::StrCat("COUNT=", *count));
  }

  const JsonNode until_node = node.Child("until");
  ASSIGN_OR_RETURN(std::string until, until_node.String());
  if (!until.empty()) {
    ASSIGN_OR_RETURN(absl::CivilDay day,
                     ParseLocalDate(until, until_node.path()));
    // A date means the end of that day in Copenhagen.
    parts.push_back(absl::StrFormat("UNTIL=%04d%02d%02d", day.year(),
                                    day.month(), day.day()));
  }

  const JsonNode wkst_node = node.Child("wkst");
  ASSIGN_OR_RETURN(std::string wkst, wkst_node.String());
  if (!wkst.empty()) {
    // HSDS 3.0 uses RFC 5545's two letters; its drafts had "MON".."SUN".
    std::string code = absl::AsciiStrToUpper(wkst);
    if (code.size() == 3) code.resize(2);
    if (!ParseWeekdayCode(code).has_value()) {
      return wkst_node.Error("must be MO, TU, WE, TH, FR, SA or SU");
    }
    parts.push_back(absl::StrCat("WKST=", code));
  }

  const absl::StatusOr<RecurrenceRule> rule =
      ParseRecurrenceRule(absl::StrJoin(parts, ";"));
  if (!rule.ok()) return node.Error(ReasonOf(rule.status()));
  return FormatRecurrenceRule(*rule);
}

absl::StatusOr<ImportedSchedule> FromNativeFields(const JsonNode& node) {
  const JsonNode dtstart_node = node.Child("dtstart");
  ASSIGN_OR_RETURN(std::string dtstart,
                   dtstart_node.RequiredString(
                       "the date of the first occurrence, \"YYYY-MM-DD\""));
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   ParseLocalDate(dtstart, dtstart_node.path()));

  const JsonNode timezone_node = node.Child("timezone");
  ASSIGN_OR_RETURN(std::optional<double> timezone, timezone_node.Number());
  std::optional<absl::Duration> schedule_offset;
  if (timezone.has_value()) {
    if (!std::isfinite(*timezone) || *timezone < -14 || *timezone > 14) {
      return timezone_node.Error("must be a UTC offset in hours, -14 to 14");
    }
    schedule_offset = absl::Seconds(std::llround(*timezone * 3600));
  }

  const JsonNode opens_node = node.Child("opens_at");
  const JsonNode closes_node = node.Child("closes_at");
  ASSIGN_OR_RETURN(ClockTime opens,
                   ReadClock(opens_node, "the start time, \"HH:MM\""));
  ASSIGN_OR_RETURN(ClockTime closes,
                   ReadClock(closes_node, "the end time, \"HH:MM\""));
  const absl::Time start = InstantOf(day, opens, schedule_offset);
  const absl::CivilSecond local_start = time::AbsoluteToCopenhagen(start);
  if (absl::CivilDay(local_start) != day) {
    return opens_node.Error(absl::StrCat(
        "is ", FormatLocalDateTime(local_start),
        " in Europe/Copenhagen, not on dtstart; give the local time with "
        "timezone"));
  }
  absl::Time end = InstantOf(day, closes, schedule_offset);
  // An end not after the start is on the next day (an evening into the
  // night).
  if (end <= start) end = InstantOf(day + 1, closes, schedule_offset);
  if (end <= start) {
    return closes_node.Error("must be after opens_at");
  }

  ASSIGN_OR_RETURN(std::string rrule, NativeRule(node));
  ImportedSchedule imported;
  imported.schedule.set_start_time(FormatLocalDateTime(local_start));
  *imported.schedule.mutable_duration() =
      google::protobuf::util::TimeUtil::NanosecondsToDuration(
          absl::ToInt64Nanoseconds(end - start));
  imported.schedule.set_rrule(rrule);
  return imported;
}

}  // namespace

absl::StatusOr<ImportedSchedule> ImportSchedule(const JsonNode& schedule) {
  const JsonNode attributes = schedule.Child("attributes");
  ASSIGN_OR_RETURN(std::vector<BrobyggerTerm> terms,
                   BrobyggerTerms(attributes));
  for (const BrobyggerTerm& term : terms) {
    if (term.taxonomy != kScheduleTaxonomy) {
      return term.attribute.Child("taxonomy_term")
          .Error(absl::StrCat(term.taxonomy,
                              " does not apply to schedules; only ",
                              kScheduleTaxonomy, " does"));
    }
  }
  ImportedSchedule imported;
  if (!terms.empty()) {
    ASSIGN_OR_RETURN(imported, FromAttributes(terms, attributes));
  } else {
    ASSIGN_OR_RETURN(imported, FromNativeFields(schedule));
  }
  imported.schedule.set_time_zone(std::string(kTimeZoneName));
  return imported;
}

}  // namespace brobygger::catalogue::hsds_internal
