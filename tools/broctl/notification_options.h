// The values of the notifications commands' options as people type them:
// enum values in short forms ("activities" or "TOPIC_ACTIVITIES"), comma
// lists, quiet hours "21:00-08:00", inboxes named by id or by actor.
//
// Every bad value is INVALID_ARGUMENT naming the option and saying what it
// takes; what only the server can judge (lengths, limits, whether an actor
// exists) is left to it.
#ifndef BROBYGGER_TOOLS_BROCTL_NOTIFICATION_OPTIONS_H_
#define BROBYGGER_TOOLS_BROCTL_NOTIFICATION_OPTIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/notification_service.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {

// "activities", "newcomer-placed" or "TOPIC_ACTIVITIES".
absl::StatusOr<notifications::v1::Topic> ParseTopic(absl::string_view text);
// "email" or "CHANNEL_EMAIL".
absl::StatusOr<notifications::v1::Channel> ParseChannel(
    absl::string_view text, absl::string_view option);
// "daily", "weekly", "none" or "DIGEST_FREQUENCY_DAILY".
absl::StatusOr<notifications::v1::DigestFrequency> ParseDigestFrequency(
    absl::string_view text);
// "volunteer" or "ACTOR_KIND_VOLUNTEER".
absl::StatusOr<registry::v1::ActorKind> ParseActorKind(absl::string_view text);
// 1 (Monday) to 7 (Sunday), or the English day name ("monday", "mon").
absl::StatusOr<int> ParseWeekday(absl::string_view text);

// "21:00-08:00" (also "21-8", "21:30 - 7:15"): start and end in Danish
// local time; a start after the end spans midnight. "none" is no quiet
// hours (equal times, as the contract spells it); "default" is an unset
// value, which the service reads as its defaults (21:00-08:00).
absl::StatusOr<std::optional<notifications::v1::QuietHours>> ParseQuietHours(
    absl::string_view text);

// "a, b,,c" -> {"a", "b", "c"}.
std::vector<std::string> CommaList(absl::string_view text);

// The inbox an argument names: "municipalities/m/inboxes/12" as it is; an
// actor "municipalities/m/actors/12" -> its inbox (an inbox is the actor's);
// an id "12" -> "municipalities/<--parent>/inboxes/12". A name with a
// trailing "/preferences" is its inbox.
absl::StatusOr<std::string> InboxName(const Args& args, absl::string_view text);

// "" or "none" (any case): a list option that clears the list.
bool MeansNone(absl::string_view text);
// "activities,matches": at least one topic.
absl::StatusOr<std::vector<notifications::v1::Topic>> ParseTopics(
    absl::string_view text);
// "email", or "none"/"" for no channel.
absl::StatusOr<std::vector<notifications::v1::Channel>> ParseChannels(
    absl::string_view text, absl::string_view option);

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_NOTIFICATION_OPTIONS_H_
