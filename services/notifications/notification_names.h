// Resource names of the notification service and of the actors and fora
// it refers to.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATION_NAMES_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATION_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace brobygger::notifications {

inline constexpr char kSubscriptionType[] =
    "brobygger.notifications.v1.Subscription";
inline constexpr char kWebhookType[] =
    "brobygger.notifications.v1.WebhookEndpoint";
inline constexpr char kBroadcastType[] = "brobygger.notifications.v1.Broadcast";
inline constexpr char kConcernType[] = "brobygger.notifications.v1.Concern";

// A parsed name: its municipality and the id of its last segment.
struct ParsedName {
  std::string municipality;
  std::string id;
};

// A parsed notification name: municipality, inbox (actor id), entry id.
struct ParsedNotificationName {
  std::string municipality;
  std::string inbox;
  std::string entry;
};

std::string MunicipalityName(absl::string_view municipality);
std::string ActorName(absl::string_view municipality, absl::string_view id);
std::string SubscriptionName(absl::string_view municipality,
                             absl::string_view id);
std::string WebhookName(absl::string_view municipality, absl::string_view id);
std::string BroadcastName(absl::string_view municipality, absl::string_view id);
std::string ConcernName(absl::string_view municipality, absl::string_view id);
std::string InboxName(absl::string_view municipality, absl::string_view inbox);
std::string NotificationName(absl::string_view municipality,
                             absl::string_view inbox, absl::string_view entry);
std::string PreferencesName(absl::string_view municipality,
                            absl::string_view inbox);
std::string DeadLetterName(absl::string_view id);

// "municipalities/{m}" -> m; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> ParseParent(absl::string_view parent,
                                        absl::string_view field);
// INVALID_ARGUMENT naming `field` unless the name has the resource's
// pattern with a numeric id.
absl::StatusOr<ParsedName> ParseSubscriptionName(absl::string_view name,
                                                 absl::string_view field);
absl::StatusOr<ParsedName> ParseWebhookName(absl::string_view name,
                                            absl::string_view field);
absl::StatusOr<ParsedName> ParseBroadcastName(absl::string_view name,
                                              absl::string_view field);
absl::StatusOr<ParsedName> ParseConcernName(absl::string_view name,
                                            absl::string_view field);
// "municipalities/{m}/inboxes/{actor id}".
absl::StatusOr<ParsedName> ParseInboxName(absl::string_view name,
                                          absl::string_view field);
// "municipalities/{m}/inboxes/{actor id}/preferences".
absl::StatusOr<ParsedName> ParsePreferencesName(absl::string_view name,
                                                absl::string_view field);
// "municipalities/{m}/inboxes/{actor id}/notifications/{entry id}", the
// entry id being a stream id "<ms>-<seq>".
absl::StatusOr<ParsedNotificationName> ParseNotificationName(
    absl::string_view name, absl::string_view field);
// "deadLetters/{id}" -> id, the id being a stream id "<ms>-<seq>".
absl::StatusOr<std::string> ParseDeadLetterName(absl::string_view name,
                                                absl::string_view field);
// Any actor name ("municipalities/aalborg/actors/12") -> {municipality, id}.
absl::StatusOr<ParsedName> ParseActorName(absl::string_view name,
                                          absl::string_view field);
// An actor of `municipality` -> its id.
absl::StatusOr<std::string> ParseActorId(absl::string_view name,
                                         absl::string_view municipality,
                                         absl::string_view field);
// A forum of `municipality` -> its id.
absl::StatusOr<std::string> ParseForumId(absl::string_view name,
                                         absl::string_view municipality,
                                         absl::string_view field);
// Whether `id` is a Redis stream id "<ms>-<seq>" (digits only).
bool IsStreamId(absl::string_view id);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATION_NAMES_H_
