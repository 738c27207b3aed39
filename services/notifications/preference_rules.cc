#include "services/notifications/preference_rules.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/api/field_mask.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/notifications/email_address.h"

namespace brobygger::notifications {
namespace {

constexpr absl::string_view kPrefix = "notification_preferences.";

// The paths UpdateNotificationPreferencesRequest documents.
constexpr absl::string_view kUpdatablePaths[] = {
    "channels",     "urgent_channels",  "email_address",  "quiet_hours",
    "max_per_hour", "digest_frequency", "digest_weekday", "digest_hour"};

std::string Field(absl::string_view path) {
  return absl::StrCat(kPrefix, path);
}

bool Chooses(const google::protobuf::RepeatedField<int>& channels,
             v1::Channel channel) {
  for (int chosen : channels) {
    if (chosen == channel) return true;
  }
  return false;
}

void CheckChannels(const google::protobuf::RepeatedField<int>& channels,
                   absl::string_view list, FieldViolations* violations) {
  std::set<int> seen;
  for (int i = 0; i < channels.size(); ++i) {
    const std::string field = Field(absl::StrCat(list, "[", i, "]"));
    const int channel = channels.Get(i);
    if (channel == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(channel)) {
      violations->Add(field,
                      "must be a known channel, e.g. CHANNEL_EMAIL; leave the "
                      "list empty for the inbox only");
    } else if (!seen.insert(channel).second) {
      violations->Add(field, absl::StrCat(v1::Channel_Name(channel),
                                          " is listed twice; list each "
                                          "channel once"));
    }
  }
}

void CheckEmail(const v1::NotificationPreferences& prefs,
                FieldViolations* violations) {
  const std::string field = Field("email_address");
  const std::string& address = prefs.email_address();
  if (address.empty()) {
    if (Chooses(prefs.channels(), v1::CHANNEL_EMAIL) ||
        Chooses(prefs.urgent_channels(), v1::CHANNEL_EMAIL)) {
      violations->Add(field,
                      "is required when CHANNEL_EMAIL is chosen in channels "
                      "or urgent_channels; give an address or remove the "
                      "channel");
    }
    return;
  }
  if (address.size() > kMaxEmailAddressLength) {
    violations->Add(
        field, absl::StrCat("is ", address.size(), " characters long; at most ",
                            kMaxEmailAddressLength));
  } else if (!CheckEmailAddress(address).ok()) {
    violations->Add(field,
                    "is not an e-mail address; give one like "
                    "\"name@example.dk\" without spaces, quotes or angle "
                    "brackets");
  }
}

void CheckTimeOfDay(const v1::LocalTime& time, absl::string_view path,
                    FieldViolations* violations) {
  if (time.hours() < 0 || time.hours() > 23) {
    violations->Add(Field(absl::StrCat(path, ".hours")),
                    absl::StrCat("is ", time.hours(), "; give 0-23"));
  }
  if (time.minutes() < 0 || time.minutes() > 59) {
    violations->Add(Field(absl::StrCat(path, ".minutes")),
                    absl::StrCat("is ", time.minutes(), "; give 0-59"));
  }
}

// Sub-paths of quiet_hours would merge one end into the default quiet
// hours of an actor who never set them, giving a window nobody chose.
absl::Status CheckPaths(const google::protobuf::FieldMask& mask) {
  FieldViolations violations;
  for (const std::string& path : mask.paths()) {
    if (absl::StartsWith(path, "quiet_hours.")) {
      violations.Add("update_mask",
                     absl::StrCat("\"", path,
                                  "\": give \"quiet_hours\" and send both "
                                  "start and end"));
      continue;
    }
    const bool documented =
        path == "*" ||
        std::find(std::begin(kUpdatablePaths), std::end(kUpdatablePaths),
                  path) != std::end(kUpdatablePaths);
    const bool output_only =
        path == "name" || path == "etag" || path == "update_time";
    if (!documented && !output_only) {
      violations.Add(
          "update_mask",
          absl::StrCat("unknown field \"", path,
                       "\" of NotificationPreferences; give some of "
                       "channels, urgent_channels, email_address, "
                       "quiet_hours, max_per_hour, digest_frequency, "
                       "digest_weekday, digest_hour, or \"*\""));
    }
  }
  return violations.ToStatus();
}

}  // namespace

absl::Status ValidatePreferences(const v1::NotificationPreferences& prefs) {
  FieldViolations violations;
  CheckChannels(prefs.channels(), "channels", &violations);
  CheckChannels(prefs.urgent_channels(), "urgent_channels", &violations);
  CheckEmail(prefs, &violations);
  if (prefs.has_quiet_hours()) {
    CheckTimeOfDay(prefs.quiet_hours().start(), "quiet_hours.start",
                   &violations);
    CheckTimeOfDay(prefs.quiet_hours().end(), "quiet_hours.end", &violations);
  }
  if (prefs.max_per_hour() < 0 || prefs.max_per_hour() > kMaxMaxPerHour) {
    violations.Add(
        Field("max_per_hour"),
        absl::StrCat("is ", prefs.max_per_hour(), "; give 1-", kMaxMaxPerHour,
                     ", or 0 for the default (", kDefaultMaxPerHour, ")"));
  }
  if (!v1::DigestFrequency_IsValid(prefs.digest_frequency())) {
    violations.Add(Field("digest_frequency"),
                   "must be DIGEST_FREQUENCY_NONE, _DAILY or _WEEKLY");
  }
  if (prefs.digest_weekday() < 0 || prefs.digest_weekday() > 7) {
    violations.Add(Field("digest_weekday"),
                   absl::StrCat("is ", prefs.digest_weekday(),
                                "; give 1 (Monday) to 7 (Sunday), or 0 for "
                                "Monday"));
  }
  if (prefs.digest_hour() < 0 || prefs.digest_hour() > 23) {
    violations.Add(
        Field("digest_hour"),
        absl::StrCat("is ", prefs.digest_hour(), "; give 0-23 (Danish time)"));
  }
  return violations.ToStatus();
}

v1::NotificationPreferences EffectivePreferences(
    const v1::NotificationPreferences& stored_or_default) {
  v1::NotificationPreferences effective = stored_or_default;
  if (!effective.has_quiet_hours()) {
    v1::QuietHours* quiet = effective.mutable_quiet_hours();
    quiet->mutable_start()->set_hours(kDefaultQuietHoursStartHour);
    quiet->mutable_end()->set_hours(kDefaultQuietHoursEndHour);
  }
  if (effective.max_per_hour() == 0) {
    effective.set_max_per_hour(kDefaultMaxPerHour);
  }
  if (effective.digest_frequency() == v1::DIGEST_FREQUENCY_UNSPECIFIED) {
    effective.set_digest_frequency(v1::DIGEST_FREQUENCY_NONE);
  }
  if (effective.digest_weekday() == 0) effective.set_digest_weekday(1);
  return effective;
}

absl::StatusOr<v1::NotificationPreferences> ApplyPreferencesUpdate(
    const v1::NotificationPreferences& current,
    const v1::NotificationPreferences& patch,
    const google::protobuf::FieldMask& update_mask) {
  RETURN_IF_ERROR(CheckPaths(update_mask));
  api::FieldMaskRules rules;
  rules.output_only = {"name", "etag", "update_time"};
  v1::NotificationPreferences updated = current;
  RETURN_IF_ERROR(api::ApplyFieldMask(update_mask, patch, rules, &updated));
  RETURN_IF_ERROR(ValidatePreferences(updated));
  return updated;
}

}  // namespace brobygger::notifications
