#include "tools/broctl/catalogue_query.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/status/macros.h"
#include "google/protobuf/descriptor.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::catalogue::v1;

absl::Status OptionError(absl::string_view option, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", option, ": ", message));
}

// Europe/Copenhagen, or nullopt without tzdata (local times are then
// refused rather than read as UTC).
const std::optional<absl::TimeZone>& Copenhagen() {
  static const std::optional<absl::TimeZone> zone =
      []() -> std::optional<absl::TimeZone> {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone("Europe/Copenhagen", &tz)) return std::nullopt;
    return tz;
  }();
  return zone;
}

absl::StatusOr<std::optional<std::string>> NonEmptyOption(
    const Args& args, absl::string_view option) {
  std::optional<std::string> value = args.Get(option);
  if (value.has_value() && value->empty()) {
    return OptionError(option, "must not be empty");
  }
  return value;
}

}  // namespace

absl::StatusOr<int> ParseEnum(
    const google::protobuf::EnumDescriptor* descriptor,
    absl::string_view prefix, absl::string_view text,
    absl::string_view option) {
  std::string name = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  absl::StrReplaceAll({{"-", "_"}}, &name);
  if (!absl::StartsWith(name, prefix)) name = absl::StrCat(prefix, name);
  const google::protobuf::EnumValueDescriptor* value =
      descriptor->FindValueByName(name);
  if (value != nullptr && value->number() != 0) return value->number();
  std::vector<std::string> names;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    if (descriptor->value(i)->number() == 0) continue;
    names.push_back(
        std::string(absl::StripPrefix(descriptor->value(i)->name(), prefix)));
  }
  return OptionError(option,
                     absl::StrCat("unknown value \"", text.substr(0, 64),
                                  "\"; one of ", absl::StrJoin(names, ", ")));
}

std::vector<absl::string_view> WithQueryOptions(
    std::vector<absl::string_view> options, bool with_window) {
  for (absl::string_view option :
       {"area", "category", "target", "child-age", "language", "free",
        "max-price-ore", "text", "kind", "organiser"}) {
    options.push_back(option);
  }
  if (with_window) {
    options.push_back("from");
    options.push_back("to");
  }
  return options;
}

absl::StatusOr<v1::ActivityQuery> ActivityQueryFrom(const Args& args,
                                                    bool with_window) {
  v1::ActivityQuery query;
  ASSIGN_OR_RETURN(auto area, NonEmptyOption(args, "area"));
  if (area.has_value()) query.set_area(*area);
  if (auto categories = args.Get("category"); categories.has_value()) {
    const std::vector<absl::string_view> parts =
        absl::StrSplit(*categories, ',', absl::SkipWhitespace());
    if (parts.empty()) {
      return OptionError("category",
                         "give one or more categories, e.g. "
                         "LANGUAGE_CAFE,COMMUNAL_DINING");
    }
    if (parts.size() > kMaxQueryCategories) {
      return OptionError(
          "category",
          absl::StrCat("at most ", kMaxQueryCategories, " categories"));
    }
    for (absl::string_view part : parts) {
      ASSIGN_OR_RETURN(v1::Category category, ParseCategory(part));
      query.add_categories(category);
    }
  }
  if (auto target = args.Get("target"); target.has_value()) {
    ASSIGN_OR_RETURN(v1::TargetGroup::Kind kind, ParseTargetKind(*target));
    query.set_target_group(kind);
  }
  ASSIGN_OR_RETURN(auto child_age, IntOption(args, "child-age", 0, 17));
  if (child_age.has_value()) {
    query.set_child_age(static_cast<int32_t>(*child_age));
  }
  ASSIGN_OR_RETURN(auto language, NonEmptyOption(args, "language"));
  if (language.has_value()) query.set_language(*language);
  ASSIGN_OR_RETURN(const bool free_only, BoolOption(args, "free"));
  query.set_free_only(free_only);
  ASSIGN_OR_RETURN(auto max_price,
                   IntOption(args, "max-price-ore", 0, INT64_MAX));
  if (max_price.has_value()) query.set_max_price_ore(*max_price);
  ASSIGN_OR_RETURN(auto text, NonEmptyOption(args, "text"));
  if (text.has_value()) query.set_text(*text);
  if (auto kind = args.Get("kind"); kind.has_value()) {
    ASSIGN_OR_RETURN(v1::ActivityKind activity_kind, ParseActivityKind(*kind));
    query.set_kind(activity_kind);
  }
  ASSIGN_OR_RETURN(auto organiser, NonEmptyOption(args, "organiser"));
  if (organiser.has_value()) query.set_organiser(*organiser);
  if (with_window) {
    ASSIGN_OR_RETURN(std::optional<TimeWindow> window, OptionalWindow(args));
    if (window.has_value()) {
      *query.mutable_window_start_time() = ToProtoTimestamp(window->start);
      *query.mutable_window_end_time() = ToProtoTimestamp(window->end);
    }
  }
  return query;
}

absl::StatusOr<absl::Time> ParseInstant(absl::string_view text,
                                        absl::string_view option) {
  const std::string value(absl::StripAsciiWhitespace(text));
  absl::Time time;
  std::string ignored;
  if (absl::ParseTime(absl::RFC3339_full, value, &time, &ignored)) {
    return time;
  }
  // Local forms: the catalogue's times are Copenhagen wall-clock times.
  absl::CivilSecond local;
  absl::CivilMinute minute;
  absl::CivilDay day;
  bool parsed = false;
  if (value.size() == 19 && absl::ParseCivilTime(value, &local)) {
    parsed = true;
  } else if (value.size() == 16 && absl::ParseCivilTime(value, &minute)) {
    local = absl::CivilSecond(minute);
    parsed = true;
  } else if (value.size() == 10 && absl::ParseCivilTime(value, &day)) {
    local = absl::CivilSecond(day);
    parsed = true;
  }
  if (!parsed) {
    return OptionError(
        option, absl::StrCat("\"", value.substr(0, 64),
                             "\" is not a time: give RFC 3339 "
                             "(2026-12-01T18:00:00+01:00), or a Copenhagen "
                             "time 2026-12-01T18:00 or date 2026-12-01"));
  }
  if (!Copenhagen().has_value()) {
    return OptionError(option,
                       "no time zone data for Europe/Copenhagen (install "
                       "tzdata) or give an RFC 3339 time with its offset");
  }
  return absl::FromCivil(local, *Copenhagen());
}

absl::StatusOr<std::optional<TimeWindow>> OptionalWindow(const Args& args) {
  const std::optional<std::string> from = args.Get("from");
  const std::optional<std::string> to = args.Get("to");
  if (!from.has_value() && !to.has_value()) return std::nullopt;
  if (!from.has_value() || !to.has_value()) {
    return absl::InvalidArgumentError(
        "give both --from and --to (the window), or neither");
  }
  TimeWindow window;
  ASSIGN_OR_RETURN(window.start, ParseInstant(*from, "from"));
  ASSIGN_OR_RETURN(window.end, ParseInstant(*to, "to"));
  if (window.end <= window.start) {
    return OptionError("to", "must be after --from");
  }
  return window;
}

absl::StatusOr<TimeWindow> RequiredWindow(const Args& args) {
  ASSIGN_OR_RETURN(std::optional<TimeWindow> window, OptionalWindow(args));
  if (!window.has_value()) {
    return absl::InvalidArgumentError(
        "missing --from and --to (the window, at most 400 days)");
  }
  return *window;
}

google::protobuf::Timestamp ToProtoTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t seconds = absl::ToUnixSeconds(time);
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return timestamp;
}

absl::StatusOr<bool> BoolOption(const Args& args, absl::string_view option) {
  const std::optional<std::string> value = args.Get(option);
  if (!value.has_value()) return false;
  if (*value == "true" || value->empty()) return true;
  if (*value == "false") return false;
  return OptionError(option, absl::StrCat("takes no value (or =true / =false), "
                                          "not \"",
                                          value->substr(0, 64), "\""));
}

absl::StatusOr<std::optional<int64_t>> IntOption(const Args& args,
                                                 absl::string_view option,
                                                 int64_t min, int64_t max) {
  const std::optional<std::string> value = args.Get(option);
  if (!value.has_value()) return std::nullopt;
  int64_t number = 0;
  if (!absl::SimpleAtoi(*value, &number) || number < min || number > max) {
    return OptionError(
        option,
        max == INT64_MAX
            ? absl::StrCat("must be a whole number of at least ", min,
                           ", not \"", value->substr(0, 64), "\"")
            : absl::StrCat("must be a whole number from ", min, " to ", max,
                           ", not \"", value->substr(0, 64), "\""));
  }
  return number;
}

absl::StatusOr<v1::Category> ParseCategory(absl::string_view text) {
  ASSIGN_OR_RETURN(const int value, ParseEnum(v1::Category_descriptor(),
                                              "CATEGORY_", text, "category"));
  return static_cast<v1::Category>(value);
}

absl::StatusOr<v1::TargetGroup::Kind> ParseTargetKind(absl::string_view text) {
  ASSIGN_OR_RETURN(
      const int value,
      ParseEnum(v1::TargetGroup::Kind_descriptor(), "KIND_", text, "target"));
  return static_cast<v1::TargetGroup::Kind>(value);
}

absl::StatusOr<v1::ActivityKind> ParseActivityKind(absl::string_view text) {
  ASSIGN_OR_RETURN(const int value, ParseEnum(v1::ActivityKind_descriptor(),
                                              "ACTIVITY_KIND_", text, "kind"));
  return static_cast<v1::ActivityKind>(value);
}

std::string TimelineTemplateName(absl::string_view parent) {
  return absl::StrCat(MunicipalityName(parent), "/timelineTemplate");
}

std::string ChildName(absl::string_view parent, absl::string_view collection,
                      absl::string_view id_or_name) {
  if (absl::StrContains(id_or_name, '/')) return std::string(id_or_name);
  return absl::StrCat(MunicipalityName(parent), "/", collection, "/",
                      id_or_name);
}

}  // namespace brobygger::broctl
