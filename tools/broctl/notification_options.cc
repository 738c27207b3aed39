#include "tools/broctl/notification_options.h"

#include <optional>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/macros.h"
#include "tools/broctl/catalogue_query.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::notifications::v1;
namespace registry = ::brobygger::registry::v1;

absl::Status OptionError(absl::string_view option, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", option, ": ", message));
}

// "21", "8", "21:00", "07:15" -> a LocalTime.
absl::StatusOr<v1::LocalTime> ParseLocalTime(absl::string_view text) {
  const std::vector<absl::string_view> parts =
      absl::StrSplit(absl::StripAsciiWhitespace(text), ':');
  int hours = -1;
  int minutes = 0;
  const auto is_number = [](absl::string_view part) {
    return !part.empty() && part.size() <= 2 &&
           absl::c_all_of(part, absl::ascii_isdigit);
  };
  if (parts.size() > 2 || !is_number(parts[0]) ||
      !absl::SimpleAtoi(parts[0], &hours) ||
      (parts.size() == 2 && (parts[1].size() != 2 || !is_number(parts[1]) ||
                             !absl::SimpleAtoi(parts[1], &minutes))) ||
      hours > 23 || minutes > 59) {
    return OptionError(
        "quiet-hours",
        absl::StrCat("\"", text.substr(0, 16),
                     "\" is not a time of day: give HH:MM from 00:00 to "
                     "23:59, e.g. 21:00-08:00"));
  }
  v1::LocalTime time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  return time;
}

}  // namespace

bool MeansNone(absl::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  return trimmed.empty() || absl::EqualsIgnoreCase(trimmed, "none");
}

absl::StatusOr<std::vector<v1::Topic>> ParseTopics(absl::string_view text) {
  std::vector<v1::Topic> topics;
  for (const std::string& item : CommaList(text)) {
    ASSIGN_OR_RETURN(const v1::Topic topic, ParseTopic(item));
    topics.push_back(topic);
  }
  if (topics.empty()) {
    return OptionError("topics",
                       "give one or more topics, e.g. activities,matches");
  }
  return topics;
}

absl::StatusOr<std::vector<v1::Channel>> ParseChannels(
    absl::string_view text, absl::string_view option) {
  std::vector<v1::Channel> channels;
  if (MeansNone(text)) return channels;
  for (const std::string& item : CommaList(text)) {
    ASSIGN_OR_RETURN(const v1::Channel channel, ParseChannel(item, option));
    channels.push_back(channel);
  }
  return channels;
}

absl::StatusOr<v1::Topic> ParseTopic(absl::string_view text) {
  ASSIGN_OR_RETURN(const int value,
                   ParseEnum(v1::Topic_descriptor(), "TOPIC_", text, "topics"));
  return static_cast<v1::Topic>(value);
}

absl::StatusOr<v1::Channel> ParseChannel(absl::string_view text,
                                         absl::string_view option) {
  ASSIGN_OR_RETURN(const int value, ParseEnum(v1::Channel_descriptor(),
                                              "CHANNEL_", text, option));
  return static_cast<v1::Channel>(value);
}

absl::StatusOr<v1::DigestFrequency> ParseDigestFrequency(
    absl::string_view text) {
  ASSIGN_OR_RETURN(const int value,
                   ParseEnum(v1::DigestFrequency_descriptor(),
                             "DIGEST_FREQUENCY_", text, "digest"));
  return static_cast<v1::DigestFrequency>(value);
}

absl::StatusOr<registry::ActorKind> ParseActorKind(absl::string_view text) {
  ASSIGN_OR_RETURN(const int value,
                   ParseEnum(registry::ActorKind_descriptor(), "ACTOR_KIND_",
                             text, "actor-kind"));
  return static_cast<registry::ActorKind>(value);
}

absl::StatusOr<int> ParseWeekday(absl::string_view text) {
  static constexpr absl::string_view kDays[] = {
      "monday", "tuesday",  "wednesday", "thursday",
      "friday", "saturday", "sunday"};
  const std::string day =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  int number = 0;
  if (absl::SimpleAtoi(day, &number) && number >= 1 && number <= 7) {
    return number;
  }
  for (int i = 0; i < 7; ++i) {
    if (day.size() >= 3 && absl::StartsWith(kDays[i], day)) return i + 1;
  }
  return OptionError("digest-weekday",
                     absl::StrCat("give 1 (Monday) to 7 (Sunday) or a day's "
                                  "name, not \"",
                                  text.substr(0, 16), "\""));
}

absl::StatusOr<std::optional<v1::QuietHours>> ParseQuietHours(
    absl::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (absl::EqualsIgnoreCase(trimmed, "default")) return std::nullopt;
  v1::QuietHours hours;
  if (absl::EqualsIgnoreCase(trimmed, "none")) {
    // Equal start and end: no quiet hours.
    hours.mutable_start();
    hours.mutable_end();
    return hours;
  }
  const std::vector<absl::string_view> ends = absl::StrSplit(trimmed, '-');
  if (ends.size() != 2) {
    return OptionError(
        "quiet-hours",
        absl::StrCat("give START-END such as 21:00-08:00 (or none, or "
                     "default), not \"",
                     text.substr(0, 32), "\""));
  }
  ASSIGN_OR_RETURN(*hours.mutable_start(), ParseLocalTime(ends[0]));
  ASSIGN_OR_RETURN(*hours.mutable_end(), ParseLocalTime(ends[1]));
  return hours;
}

std::vector<std::string> CommaList(absl::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

absl::StatusOr<std::string> InboxName(const Args& args,
                                      absl::string_view text) {
  absl::string_view name = absl::StripAsciiWhitespace(text);
  name = absl::StripSuffix(name, "/preferences");
  const auto not_an_inbox = [&text]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "INBOX \"", text.substr(0, 120),
        "\" is not an inbox: give municipalities/ID/inboxes/N, an actor "
        "municipalities/ID/actors/N, or an inbox id with --parent"));
  };
  if (name.empty()) return not_an_inbox();
  if (!absl::StrContains(name, '/')) {
    const std::string parent = args.GetOr("parent", "");
    if (parent.empty()) return not_an_inbox();
    return ChildName(parent, "inboxes", name);
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "municipalities" || parts[1].empty() ||
      parts[3].empty() || (parts[2] != "inboxes" && parts[2] != "actors")) {
    return not_an_inbox();
  }
  return absl::StrCat("municipalities/", parts[1], "/inboxes/", parts[3]);
}

}  // namespace brobygger::broctl
