#include "services/notifications/routing.h"

#include <algorithm>
#include <set>

#include "common/text/fold.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;

bool HasTopic(const v1::Subscription& subscription, v1::Topic topic) {
  return std::find(subscription.topics().begin(), subscription.topics().end(),
                   topic) != subscription.topics().end();
}

bool PassesAreas(const v1::Subscription& subscription,
                 const std::vector<std::string>& folded_event_areas) {
  if (subscription.areas().empty() || folded_event_areas.empty()) return true;
  for (const std::string& area : subscription.areas()) {
    const std::string folded = text::FoldForSearch(area);
    if (std::find(folded_event_areas.begin(), folded_event_areas.end(),
                  folded) != folded_event_areas.end()) {
      return true;
    }
  }
  return false;
}

bool IsMunicipal(rv1::ActorKind kind) {
  return kind == rv1::ACTOR_KIND_MUNICIPAL_DEPARTMENT ||
         kind == rv1::ACTOR_KIND_MUNICIPAL_EMPLOYEE;
}

// The topic-specific rules of the header comment.
bool PassesTopicRules(const RoutedEvent& event,
                      const v1::Subscription& subscription,
                      RoutingFacts& facts) {
  const bool to_webhook = subscription.has_webhook();
  switch (event.topic) {
    case v1::TOPIC_ACTIVITIES:
      return subscription.categories().empty() ||
             std::find(subscription.categories().begin(),
                       subscription.categories().end(),
                       event.category) != subscription.categories().end();
    case v1::TOPIC_FORUMS:
      return subscription.forums().empty() ||
             std::find(subscription.forums().begin(),
                       subscription.forums().end(),
                       event.forum) != subscription.forums().end();
    case v1::TOPIC_MATCHES:
      if (to_webhook) {
        return !event.organisation.empty() &&
               facts.WebhookOwner(subscription.webhook()) == event.organisation;
      }
      return subscription.subscriber() == event.volunteer ||
             (!event.organisation.empty() &&
              subscription.subscriber() == event.organisation);
    case v1::TOPIC_CONCERNS:
      return !to_webhook &&
             IsMunicipal(facts.KindOf(subscription.subscriber()));
    case v1::TOPIC_NEWCOMER_PLACED:
      return !to_webhook && subscription.subscriber() != event.resource;
    default:
      return true;
  }
}

}  // namespace

std::vector<Recipient> Route(
    const RoutedEvent& event,
    absl::Span<const v1::Subscription* const> subscriptions,
    RoutingFacts& facts) {
  std::vector<std::string> folded_areas;
  for (const std::string& area : event.areas) {
    folded_areas.push_back(text::FoldForSearch(area));
  }
  std::vector<Recipient> recipients;
  std::set<std::string> told;
  for (const v1::Subscription* subscription : subscriptions) {
    if (!HasTopic(*subscription, event.topic)) continue;
    const bool to_webhook = subscription->has_webhook();
    if (to_webhook && !event.to_webhooks) continue;
    const std::string& target =
        to_webhook ? subscription->webhook() : subscription->subscriber();
    if (target.empty() || told.count(target) > 0) continue;
    if (!PassesAreas(*subscription, folded_areas)) continue;
    if (!PassesTopicRules(event, *subscription, facts)) continue;
    told.insert(target);
    recipients.push_back(
        {to_webhook ? Recipient::Kind::kWebhook : Recipient::Kind::kActor,
         target, subscription->name()});
  }
  return recipients;
}

}  // namespace brobygger::notifications
