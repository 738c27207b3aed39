#include "tools/broctl/notification_requests.h"

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/macros.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/notification_options.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::notifications::v1;
namespace registry = ::brobygger::registry::v1;

absl::Status OptionError(absl::string_view option, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", option, ": ", message));
}

// The parent "municipalities/m" of a resource name, or "" when it has none.
std::string ParentOf(absl::string_view name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() < 2 || parts[0] != "municipalities") return "";
  return absl::StrCat("municipalities/", parts[1]);
}

absl::StatusOr<std::vector<std::string>> ForumNames(absl::string_view parent,
                                                    absl::string_view text) {
  std::vector<std::string> forums;
  for (const std::string& item : CommaList(text)) {
    if (parent.empty() && !absl::StrContains(item, '/')) {
      return OptionError("forums",
                         absl::StrCat("give the forum's full name "
                                      "municipalities/ID/forums/N, not \"",
                                      item.substr(0, 64), "\""));
    }
    forums.push_back(ChildName(parent, "forums", item));
  }
  return forums;
}

absl::Status AddCategories(absl::string_view text, v1::Subscription* out) {
  for (const std::string& item : CommaList(text)) {
    ASSIGN_OR_RETURN(const int category,
                     ParseEnum(catalogue::v1::Category_descriptor(),
                               "CATEGORY_", item, "categories"));
    out->add_categories(static_cast<catalogue::v1::Category>(category));
  }
  return absl::OkStatus();
}

// The value of an option that has a short and a long name (--email and
// --email-address), or nullopt when neither is given.
absl::StatusOr<std::optional<std::string>> AliasedOption(
    const Args& args, absl::string_view name, absl::string_view alias) {
  if (args.Has(name) && args.Has(alias)) {
    return OptionError(name, absl::StrCat("give --", name, " or --", alias,
                                          " (the same option), not both"));
  }
  if (auto value = args.Get(name); value.has_value()) return value;
  return args.Get(alias);
}

}  // namespace

std::vector<absl::string_view> PreferenceOptions() {
  return {"email",          "email-address", "channels", "urgent-channels",
          "quiet-hours",    "max-per-hour",  "digest",   "digest-frequency",
          "digest-weekday", "digest-hour",   "etag"};
}

absl::StatusOr<v1::UpdateNotificationPreferencesRequest> PreferencesUpdateFrom(
    const Args& args, absl::string_view inbox) {
  v1::UpdateNotificationPreferencesRequest request;
  v1::NotificationPreferences* preferences =
      request.mutable_notification_preferences();
  preferences->set_name(absl::StrCat(inbox, "/preferences"));
  preferences->set_etag(args.GetOr("etag", ""));
  google::protobuf::FieldMask* mask = request.mutable_update_mask();

  if (auto text = args.Get("channels"); text.has_value()) {
    ASSIGN_OR_RETURN(const std::vector<v1::Channel> channels,
                     ParseChannels(*text, "channels"));
    for (v1::Channel channel : channels) preferences->add_channels(channel);
    mask->add_paths("channels");
  }
  if (auto text = args.Get("urgent-channels"); text.has_value()) {
    ASSIGN_OR_RETURN(const std::vector<v1::Channel> channels,
                     ParseChannels(*text, "urgent-channels"));
    for (v1::Channel channel : channels) {
      preferences->add_urgent_channels(channel);
    }
    mask->add_paths("urgent_channels");
  }
  ASSIGN_OR_RETURN(const std::optional<std::string> email,
                   AliasedOption(args, "email", "email-address"));
  if (email.has_value()) {
    preferences->set_email_address(
        std::string(absl::StripAsciiWhitespace(*email)));
    mask->add_paths("email_address");
  }
  if (auto text = args.Get("quiet-hours"); text.has_value()) {
    ASSIGN_OR_RETURN(const std::optional<v1::QuietHours> hours,
                     ParseQuietHours(*text));
    if (hours.has_value()) *preferences->mutable_quiet_hours() = *hours;
    mask->add_paths("quiet_hours");
  }
  ASSIGN_OR_RETURN(const std::optional<int64_t> max_per_hour,
                   IntOption(args, "max-per-hour", 0, 100));
  if (max_per_hour.has_value()) {
    preferences->set_max_per_hour(static_cast<int32_t>(*max_per_hour));
    mask->add_paths("max_per_hour");
  }
  ASSIGN_OR_RETURN(const std::optional<std::string> digest,
                   AliasedOption(args, "digest", "digest-frequency"));
  if (digest.has_value()) {
    ASSIGN_OR_RETURN(const v1::DigestFrequency frequency,
                     ParseDigestFrequency(*digest));
    preferences->set_digest_frequency(frequency);
    mask->add_paths("digest_frequency");
  }
  if (auto text = args.Get("digest-weekday"); text.has_value()) {
    ASSIGN_OR_RETURN(const int weekday, ParseWeekday(*text));
    preferences->set_digest_weekday(weekday);
    mask->add_paths("digest_weekday");
  }
  ASSIGN_OR_RETURN(const std::optional<int64_t> digest_hour,
                   IntOption(args, "digest-hour", 0, 23));
  if (digest_hour.has_value()) {
    preferences->set_digest_hour(static_cast<int32_t>(*digest_hour));
    mask->add_paths("digest_hour");
  }
  if (mask->paths().empty()) {
    return absl::InvalidArgumentError(
        "nothing to change: give one or more of --email, --channels, "
        "--urgent-channels, --quiet-hours, --max-per-hour, --digest, "
        "--digest-weekday, --digest-hour");
  }
  return request;
}

absl::StatusOr<v1::Subscription> SubscriptionFrom(const Args& args,
                                                  absl::string_view parent) {
  const std::string municipality = MunicipalityName(parent);
  v1::Subscription subscription;
  const std::optional<std::string> subscriber = args.Get("subscriber");
  const std::optional<std::string> webhook = args.Get("webhook");
  if (subscriber.has_value() == webhook.has_value()) {
    return absl::InvalidArgumentError(
        "give exactly one of --subscriber ACTOR (messages to its inbox) and "
        "--webhook WEBHOOK (events POSTed to a system)");
  }
  if (subscriber.has_value()) {
    ASSIGN_OR_RETURN(const std::string actor, args.Require("subscriber"));
    subscription.set_subscriber(ChildName(municipality, "actors", actor));
  } else {
    ASSIGN_OR_RETURN(const std::string endpoint, args.Require("webhook"));
    subscription.set_webhook(ChildName(municipality, "webhooks", endpoint));
  }
  ASSIGN_OR_RETURN(const std::string topics_text, args.Require("topics"));
  ASSIGN_OR_RETURN(const std::vector<v1::Topic> topics,
                   ParseTopics(topics_text));
  for (v1::Topic topic : topics) subscription.add_topics(topic);
  for (std::string& area : CommaList(args.GetOr("areas", ""))) {
    subscription.add_areas(std::move(area));
  }
  RETURN_IF_ERROR(AddCategories(args.GetOr("categories", ""), &subscription));
  ASSIGN_OR_RETURN(std::vector<std::string> forums,
                   ForumNames(municipality, args.GetOr("forums", "")));
  for (std::string& forum : forums) subscription.add_forums(std::move(forum));
  return subscription;
}

absl::StatusOr<v1::UpdateSubscriptionRequest> SubscriptionUpdateFrom(
    const Args& args, absl::string_view name) {
  v1::UpdateSubscriptionRequest request;
  v1::Subscription* subscription = request.mutable_subscription();
  subscription->set_name(std::string(name));
  subscription->set_etag(args.GetOr("etag", ""));
  google::protobuf::FieldMask* mask = request.mutable_update_mask();
  if (auto text = args.Get("topics"); text.has_value()) {
    ASSIGN_OR_RETURN(const std::vector<v1::Topic> topics, ParseTopics(*text));
    for (v1::Topic topic : topics) subscription->add_topics(topic);
    mask->add_paths("topics");
  }
  if (auto text = args.Get("areas"); text.has_value()) {
    if (!MeansNone(*text)) {
      for (std::string& area : CommaList(*text)) {
        subscription->add_areas(std::move(area));
      }
    }
    mask->add_paths("areas");
  }
  if (auto text = args.Get("categories"); text.has_value()) {
    if (!MeansNone(*text)) RETURN_IF_ERROR(AddCategories(*text, subscription));
    mask->add_paths("categories");
  }
  if (auto text = args.Get("forums"); text.has_value()) {
    if (!MeansNone(*text)) {
      ASSIGN_OR_RETURN(std::vector<std::string> forums,
                       ForumNames(ParentOf(name), *text));
      for (std::string& forum : forums) {
        subscription->add_forums(std::move(forum));
      }
    }
    mask->add_paths("forums");
  }
  if (mask->paths().empty()) {
    return absl::InvalidArgumentError(
        "nothing to change: give one or more of --topics, --areas, "
        "--categories, --forums (\"none\" clears a filter)");
  }
  return request;
}

absl::StatusOr<v1::Broadcast> BroadcastFrom(const Args& args,
                                            absl::string_view parent) {
  const std::string municipality = MunicipalityName(parent);
  v1::Broadcast broadcast;
  const int audiences = args.Has("forum") + args.Has("volunteers-in-area") +
                        args.Has("actor-kind");
  if (audiences != 1) {
    return absl::InvalidArgumentError(
        "give exactly one audience: --forum FORUM, --volunteers-in-area AREA "
        "(\"\" for the whole municipality) or --actor-kind KIND");
  }
  v1::Audience* audience = broadcast.mutable_audience();
  if (args.Has("forum")) {
    ASSIGN_OR_RETURN(const std::string forum, args.Require("forum"));
    audience->set_forum(ChildName(municipality, "forums", forum));
  } else if (args.Has("volunteers-in-area")) {
    // An empty area is a real choice: every volunteer of the municipality.
    audience->set_volunteers_in_area(args.GetOr("volunteers-in-area", ""));
  } else {
    ASSIGN_OR_RETURN(const std::string kind_text, args.Require("actor-kind"));
    ASSIGN_OR_RETURN(const registry::ActorKind kind, ParseActorKind(kind_text));
    audience->set_actor_kind(kind);
  }
  ASSIGN_OR_RETURN(*broadcast.mutable_title(), args.Require("title"));
  ASSIGN_OR_RETURN(*broadcast.mutable_body(), args.Require("body"));
  ASSIGN_OR_RETURN(const bool urgent, BoolOption(args, "urgent"));
  if (urgent) broadcast.set_urgency(v1::URGENCY_URGENT);
  if (auto start = args.Get("start"); start.has_value()) {
    ASSIGN_OR_RETURN(const absl::Time time, ParseInstant(*start, "start"));
    *broadcast.mutable_start_time() = ToProtoTimestamp(time);
  }
  ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                   IntOption(args, "repeat-count", 1, 52));
  ASSIGN_OR_RETURN(const std::optional<int64_t> interval,
                   IntOption(args, "repeat-interval-days", 1, 365));
  if (count.value_or(1) > 1 && !interval.has_value()) {
    return OptionError("repeat-interval-days",
                       "needed with --repeat-count above 1: the days between "
                       "sendings, 1 to 365");
  }
  broadcast.set_repeat_count(static_cast<int32_t>(count.value_or(0)));
  broadcast.set_repeat_interval_days(
      static_cast<int32_t>(interval.value_or(0)));
  return broadcast;
}

}  // namespace brobygger::broctl
