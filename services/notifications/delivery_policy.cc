#include "services/notifications/delivery_policy.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/time/copenhagen_time.h"
#include "services/notifications/digest.h"
#include "services/notifications/quiet_hours.h"

namespace brobygger::notifications {
namespace {

bool Chooses(const google::protobuf::RepeatedField<int>& channels,
             v1::Channel channel) {
  for (int chosen : channels) {
    if (chosen == channel) return true;
  }
  return false;
}

bool IsUrgent(v1::Urgency urgency) { return urgency == v1::URGENCY_URGENT; }

bool ChoosesDigest(const v1::NotificationPreferences& prefs) {
  return prefs.digest_frequency() == v1::DIGEST_FREQUENCY_DAILY ||
         prefs.digest_frequency() == v1::DIGEST_FREQUENCY_WEEKLY;
}

// "2026-03-30 08:00" in Danish time, for reasons people read in logs.
std::string LocalText(absl::Time time) {
  const absl::CivilSecond local = time::AbsoluteToCopenhagen(time);
  return absl::StrFormat("%04d-%02d-%02d %02d:%02d", local.year(),
                         local.month(), local.day(), local.hour(),
                         local.minute());
}

DeliveryDecision Decision(DeliveryDecision::Kind kind, absl::Time send_at,
                          std::string reason) {
  return DeliveryDecision{kind, send_at, std::move(reason)};
}

// Rules 1-4; nullopt when the rate limit decides.
std::optional<DeliveryDecision> DecideWithoutRateLimit(
    const v1::NotificationPreferences& effective, v1::Channel channel,
    v1::Urgency urgency, absl::Time now) {
  const bool urgent = IsUrgent(urgency);
  const auto& chosen =
      urgent ? effective.urgent_channels() : effective.channels();
  if (!Chooses(chosen, channel)) {
    return Decision(
        DeliveryDecision::kSkip, now,
        absl::StrCat(v1::Channel_Name(channel), " not chosen for ",
                     urgent ? "urgent" : "non-urgent", " messages"));
  }
  if (urgent) {
    return Decision(DeliveryDecision::kSendAt, now, "urgent: sent at once");
  }
  if (ChoosesDigest(effective)) {
    const absl::Time due = NextDigestTime(effective, now);
    return Decision(
        DeliveryDecision::kDigest, due,
        absl::StrCat("digest chosen: next digest at ", LocalText(due)));
  }
  if (InQuietHours(effective.quiet_hours(), now)) {
    const absl::Time end = QuietHoursEnd(effective.quiet_hours(), now);
    return Decision(DeliveryDecision::kSendAt, end,
                    absl::StrCat("quiet hours until ", LocalText(end)));
  }
  return std::nullopt;
}

}  // namespace

bool NeedsRateLimit(const v1::NotificationPreferences& effective,
                    v1::Channel channel, v1::Urgency urgency, absl::Time now) {
  return !DecideWithoutRateLimit(effective, channel, urgency, now).has_value();
}

DeliveryDecision DecideDelivery(const v1::NotificationPreferences& effective,
                                v1::Channel channel, v1::Urgency urgency,
                                absl::Time now, bool rate_limit_allows) {
  if (std::optional<DeliveryDecision> decided =
          DecideWithoutRateLimit(effective, channel, urgency, now)) {
    return *std::move(decided);
  }
  if (!rate_limit_allows) {
    const absl::Time due = NextDigestTime(effective, now);
    return Decision(DeliveryDecision::kDigest, due,
                    absl::StrCat("more than ", effective.max_per_hour(),
                                 " messages this hour: held for the digest at ",
                                 LocalText(due)));
  }
  return Decision(DeliveryDecision::kSendAt, now, "sent at once");
}

}  // namespace brobygger::notifications
