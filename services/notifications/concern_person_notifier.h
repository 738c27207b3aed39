// Tells the people of a concern notice (concern_notifier.h) through their
// inboxes and channels: the contact that a concern was raised or joined,
// the reporters that it was resolved. The message may describe the
// newcomer: every recipient may see them (Concerns decides who).
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_PERSON_NOTIFIER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_PERSON_NOTIFIER_H_

#include "services/notifications/concern_notifier.h"
#include "services/notifications/person_notifier.h"

namespace brobygger::notifications {

// The message of a notice, as its recipients read it.
PersonMessage ConcernMessage(const ConcernNotice& notice);

class ConcernPersonNotifier : public ConcernNotifier {
 public:
  explicit ConcernPersonNotifier(PersonNotifier& people) : people_(people) {}

  absl::Status Notify(const ConcernNotice& notice) override;

 private:
  PersonNotifier& people_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_PERSON_NOTIFIER_H_
