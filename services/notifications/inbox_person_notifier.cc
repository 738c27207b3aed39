#include "services/notifications/inbox_person_notifier.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "services/notifications/delivery_policy.h"
#include "services/notifications/digest.h"

namespace brobygger::notifications {
namespace {

// How long the marker of a digest entry is kept (as the inbox's).
constexpr absl::Duration kDigestMarkerTtl = absl::Hours(7 * 24);

}  // namespace

std::string EmailFooter() {
  return "\n\n--\nYou receive this e-mail because you chose e-mail in your "
         "Brobygger notification preferences. Change them, or read every "
         "message, in your app.\n";
}

absl::Status InboxPersonNotifier::Notify(
    absl::string_view municipality, const std::vector<std::string>& actor_ids,
    const PersonMessage& message) {
  if (actor_ids.empty()) return absl::OkStatus();
  if (message.dedupe_key.empty()) {
    return absl::InvalidArgumentError("a message needs a dedupe key");
  }
  std::vector<InboxDelivery> deliveries;
  deliveries.reserve(actor_ids.size());
  for (const std::string& id : actor_ids) {
    deliveries.push_back(
        {id, message.notification, message.about_newcomer, message.dedupe_key});
    auto asked = message.subscription_of.find(id);
    if (asked != message.subscription_of.end()) {
      deliveries.back().notification.set_subscription(asked->second);
    }
  }
  RETURN_IF_ERROR(inbox_.Deliver(municipality, deliveries).status());

  // Every recipient who chose e-mail, delivered now or before: a retry
  // after a failure below must still send what the first try did not.
  ASSIGN_OR_RETURN(auto emailers,
                   preferences_.EmailRecipients(municipality, actor_ids));
  const absl::Time now = clock_();
  for (const auto& [actor_id, prefs] : emailers) {
    RETURN_IF_ERROR(EmailOne(municipality, actor_id, prefs, message, now));
  }
  return absl::OkStatus();
}

absl::Status InboxPersonNotifier::EmailOne(
    absl::string_view municipality, const std::string& actor_id,
    const v1::NotificationPreferences& prefs, const PersonMessage& message,
    absl::Time now) {
  const v1::Urgency urgency = message.notification.urgency();
  bool allowed = true;
  if (NeedsRateLimit(prefs, v1::CHANNEL_EMAIL, urgency, now)) {
    // A retried message already counted: taking the allowance again could
    // push it into the digest, which errs on the quiet side.
    ASSIGN_OR_RETURN(allowed, limiter_.TryAcquire(
                                  RecipientRateKey(municipality, actor_id),
                                  prefs.max_per_hour(), kRateLimitWindow, now));
  }
  const DeliveryDecision decision =
      DecideDelivery(prefs, v1::CHANNEL_EMAIL, urgency, now, allowed);
  switch (decision.kind) {
    case DeliveryDecision::kSkip:
      return absl::OkStatus();
    case DeliveryDecision::kSendAt:
      if (decision.send_at <= now) {
        ASSIGN_OR_RETURN(std::optional<registry::v1::Actor> actor,
                         projection_.FindActor(municipality, actor_id));
        OutgoingEmail email;
        email.to_address = prefs.email_address();
        email.to_name = actor.has_value() ? actor->display_name() : "";
        email.subject = message.notification.title();
        email.text_body =
            absl::StrCat(message.notification.body(), EmailFooter());
        email.dedupe_key = message.dedupe_key;
        email.about_newcomer = message.about_newcomer;
        return email_(municipality, actor_id, email);
      }
      // Quiet hours: it waits for the morning's digest.
      [[fallthrough]];
    case DeliveryDecision::kDigest: {
      const std::string marker = ctx_.keys.Delivered(
          municipality, message.dedupe_key, absl::StrCat("digest/", actor_id));
      ASSIGN_OR_RETURN(redis::Reply seen, ctx_.pool.Run({"EXISTS", marker}));
      if (seen.is_error()) return absl::UnavailableError(seen.str);
      if (seen.integer == 1) return absl::OkStatus();
      RETURN_IF_ERROR(digests_.Add(municipality, actor_id, message.notification,
                                   decision.send_at, message.about_newcomer));
      ASSIGN_OR_RETURN(
          redis::Reply set,
          ctx_.pool.Run(
              {"SET", marker, "1", "EX",
               absl::StrCat(absl::ToInt64Seconds(kDigestMarkerTtl))}));
      if (set.is_error()) return absl::UnavailableError(set.str);
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace brobygger::notifications
