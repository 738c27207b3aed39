// Who is told about a classified event: the subscriptions whose topic and
// filters it passes and whose subscriber may receive it. Pure; the facts
// it needs about actors and webhooks come through RoutingFacts.
//
// Rules per topic (besides the topic itself):
// - areas: a subscription with areas wants events in one of them
//   (compared ignoring case and accents); an event with no area passes.
// - TOPIC_ACTIVITIES: categories, when given, must include the activity's.
// - TOPIC_FORUMS: forums, when given, must include the forum.
// - TOPIC_MATCHES: only the match's volunteer, their organisation, and
//   webhooks owned by that organisation ("for me or my organisation").
// - TOPIC_CONCERNS: only municipal subscribers (departments, employees).
// - TOPIC_NEWCOMER_PLACED: only actor subscribers (never webhooks), and
//   never the newcomer themself.
// - Webhooks receive nothing the event marks as not for webhooks.
// An actor subscribed twice, or a webhook subscribed twice, is told once.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_ROUTING_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_ROUTING_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "brobygger/notifications/v1/subscription.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "services/notifications/routed_event.h"

namespace brobygger::notifications {

class RoutingFacts {
 public:
  virtual ~RoutingFacts() = default;
  // The kind of an actor (UNSPECIFIED when unknown).
  virtual registry::v1::ActorKind KindOf(const std::string& actor) = 0;
  // The owner of a webhook endpoint ("" when unknown).
  virtual std::string WebhookOwner(const std::string& webhook) = 0;
};

struct Recipient {
  enum class Kind { kActor, kWebhook };
  Kind kind = Kind::kActor;
  // The actor or webhook endpoint name.
  std::string target;
  // The subscription that asked for it (the first, when several did).
  std::string subscription;
};

// `subscriptions` are the municipality's subscriptions to the event's
// topic. Recipients in the order of the subscriptions.
std::vector<Recipient> Route(
    const RoutedEvent& event,
    absl::Span<const v1::Subscription* const> subscriptions,
    RoutingFacts& facts);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_ROUTING_H_
