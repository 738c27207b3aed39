// What a subscription may say, checked without Redis: its topics and
// filters, their sizes, and the topic that never goes to a webhook.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_RULES_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_RULES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/subscription.pb.h"
#include "common/status/errors.h"

namespace brobygger::notifications {

inline constexpr int kMaxAreas = 50;
inline constexpr int kMaxAreaLength = 100;
inline constexpr int kMaxCategories = 20;
inline constexpr int kMaxForums = 50;
// Per actor and per webhook endpoint: enough for every topic with a few
// filter variants each, few enough that the router's per-municipality
// cache and a webhook's cascading delete stay small.
inline constexpr int kMaxSubscriptionsPerSubscriber = 100;

// Trims the areas (the rest is kept as sent, so that errors name what the
// client sent).
void NormalizeSubscription(v1::Subscription* subscription);

// Adds a violation for every field of `subscription` (named under
// `prefix`, e.g. "subscription.topics[2]") that breaks these rules:
// - topics: at least one, each a known topic other than UNSPECIFIED, none
//   twice; TOPIC_NEWCOMER_PLACED never for a webhook (newcomer data does
//   not leave for external systems);
// - areas: at most kMaxAreas, each non-empty, at most kMaxAreaLength
//   characters, none twice (compared ignoring case and accents);
// - categories: at most kMaxCategories known categories, none twice, and
//   only with TOPIC_ACTIVITIES (which they filter);
// - forums: at most kMaxForums names of this municipality's fora, none
//   twice, and only with TOPIC_FORUMS.
// Whether the forums exist is not checked: the registry may create one a
// moment before notifications learns of it, and a filter naming a
// dissolved forum matches nothing.
void CheckSubscriptionFilters(const v1::Subscription& subscription,
                              absl::string_view municipality,
                              const std::string& prefix,
                              FieldViolations* violations);

bool HasTopic(const v1::Subscription& subscription, v1::Topic topic);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_RULES_H_
