// Telling people: what every producer of messages for actors (the event
// router, concerns, broadcasts, digests) hands its messages to.
//
// A message goes to each actor's inbox at once (the inbox is the complete
// record, and a watched inbox shows it live), and to the channels the
// actor chose in their preferences as quiet hours, the rate limit and
// their digest allow (preferences.proto).
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_PERSON_NOTIFIER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_PERSON_NOTIFIER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/notification.pb.h"

namespace brobygger::notifications {

struct PersonMessage {
  // Topic, urgency, title, body, resource, event type and id, subscription
  // (name and read time are the inbox's).
  v1::Notification notification;
  // The newcomer's actor id when the message is about one (erased with
  // them), "" otherwise.
  std::string about_newcomer;
  // What makes two deliveries the same: the event id, or the broadcast and
  // its sending. An actor receives a message once per key, however often
  // Notify is called with it.
  std::string dedupe_key;
  // Per actor id, the subscription that asked for the message (it goes
  // into that actor's copy); actors not listed get `notification`'s.
  std::map<std::string, std::string> subscription_of;
};

class PersonNotifier {
 public:
  virtual ~PersonNotifier() = default;

  // Tells each actor (ids in `municipality`) once per dedupe key. Large
  // audiences go in chunks, each atomic: after a failure part-way the
  // chunks done stay delivered, and calling again with the same message
  // completes the rest without repeating any.
  virtual absl::Status Notify(absl::string_view municipality,
                              const std::vector<std::string>& actor_ids,
                              const PersonMessage& message) = 0;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_PERSON_NOTIFIER_H_
