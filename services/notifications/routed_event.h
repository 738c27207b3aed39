// What an event of another service means for notifications: its topic,
// what routing filters on, and the message people read, decided from the
// event alone (and, for a newcomer placed in a town, the projection's
// redacted record). Pure functions, no I/O.
//
// Events that tell nobody anything (drafts, municipal tasks, actor
// updates, settings) classify as nothing. What a message may say follows
// the least view: activities and fora are public in the municipality; a
// match event names no newcomer (the volunteer sees the newcomer through
// the registry once they accepted); a newcomer placed in a town carries
// only the redacted view; a concern event only its topic and contact.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_ROUTED_EVENT_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_ROUTED_EVENT_H_

#include <optional>
#include <string>
#include <vector>

#include "brobygger/catalogue/v1/activity.pb.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/notifications/v1/notification.pb.h"
#include "brobygger/registry/v1/actor.pb.h"

namespace brobygger::notifications {

struct RoutedEvent {
  v1::Topic topic = v1::TOPIC_UNSPECIFIED;
  v1::Urgency urgency = v1::URGENCY_NORMAL;
  std::string title;
  std::string body;
  // The resource the message is about.
  std::string resource;
  // Where it happens (activity area, newcomer's towns); empty: nowhere in
  // particular, which every area filter lets through.
  std::vector<std::string> areas;
  // TOPIC_ACTIVITIES.
  catalogue::v1::Category category = catalogue::v1::CATEGORY_UNSPECIFIED;
  // TOPIC_FORUMS: the forum's name.
  std::string forum;
  // TOPIC_MATCHES: the parties told (actor names).
  std::string volunteer;
  std::string organisation;
  // The newcomer's actor id when the message is about one (erased with
  // them); "" otherwise.
  std::string about_newcomer;
  // Whether webhooks may receive it (never newcomer data).
  bool to_webhooks = true;
  // What makes two messages to a person the same when it is not the
  // event id: a broadcast's sending, which its audience already got
  // directly, so a subscriber in the audience is told once.
  std::string dedupe_key;
};

// The routing of `event`, or nothing when nobody is to be told.
// `placed_newcomer` is the projection's record when the projection
// reported a newcomer placed in a town by this event.
std::optional<RoutedEvent> ClassifyEvent(
    const events::v1::Event& event,
    const std::optional<registry::v1::Actor>& placed_newcomer);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_ROUTED_EVENT_H_
