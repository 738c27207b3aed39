// The requests of the notifications commands that are built from many
// options: new subscriptions and broadcasts, and updates whose field mask
// holds exactly the options given, so that what was not mentioned stays as
// it is (notification_options.h reads the single values).
#ifndef BROBYGGER_TOOLS_BROCTL_NOTIFICATION_REQUESTS_H_
#define BROBYGGER_TOOLS_BROCTL_NOTIFICATION_REQUESTS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/notification_service.pb.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {

// The options `notifications preferences set` reads.
std::vector<absl::string_view> PreferenceOptions();
// The update for the inbox's preferences: the fields of the options given,
// and only those in the mask, so that what was not mentioned stays as it
// is. --channels/--urgent-channels "none" (or "") clear the list;
// --email "" removes the address. No option at all is an error.
absl::StatusOr<notifications::v1::UpdateNotificationPreferencesRequest>
PreferencesUpdateFrom(const Args& args, absl::string_view inbox);

// A new subscription of the municipality `parent` ("municipalities/m"):
// exactly one of --subscriber and --webhook (ids or names), --topics
// (required), --areas, --categories, --forums.
absl::StatusOr<notifications::v1::Subscription> SubscriptionFrom(
    const Args& args, absl::string_view parent);
// The change to the subscription `name` the options --topics, --areas,
// --categories and --forums describe ("" or "none" clears a filter), with
// --etag.
absl::StatusOr<notifications::v1::UpdateSubscriptionRequest>
SubscriptionUpdateFrom(const Args& args, absl::string_view name);

// A new broadcast of `parent`: exactly one audience (--forum,
// --volunteers-in-area, --actor-kind), --title, --body, --urgent,
// --start, --repeat-count, --repeat-interval-days.
absl::StatusOr<notifications::v1::Broadcast> BroadcastFrom(
    const Args& args, absl::string_view parent);

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_NOTIFICATION_REQUESTS_H_
