// Who is told about a concern, and the seam through which they are told.
//
// Concerns (concerns.h) decides the recipients and calls Notify right after
// a raise, join or resolve was stored. The change is never undone when
// telling fails: the concern is recorded and the reporter has their
// answer. Instead every change also published its event (ConcernRaised,
// ConcernJoined, ConcernResolved) on the service's own stream in the same
// atomic step, and Concerns::NoticeForEvent rebuilds the same notice from
// that event; whoever follows the stream calls Notify again with it. So a
// notice that failed (or was lost in a crash between the write and Notify)
// is delivered late rather than never, and implementations must treat
// `event_id` + recipient as a dedupe key, because most notices arrive
// twice.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_NOTIFIER_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_NOTIFIER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "brobygger/notifications/v1/concern.pb.h"

namespace brobygger::notifications {

struct ConcernNotice {
  enum Kind {
    // A new concern: its contact is told (urgent).
    kRaised,
    // Someone joined an open concern: the contact (who learns that one more
    // person raised it) and the one who joined are told.
    kJoined,
    // Resolved: everyone who raised or joined it and is an actor is told
    // (urgent).
    kResolved,
  };
  Kind kind = kRaised;
  // The concern as stored after the change, description included: the
  // recipients may all see the newcomer.
  v1::Concern concern;
  // Actor names ("municipalities/{m}/actors/{a}"), each once.
  std::vector<std::string> recipients;
  // The id of the event the change published: the dedupe key.
  std::string event_id;
  // For kJoined: who joined (an actor name, or the token subject of staff
  // without an actor).
  std::string joined_by;

  // kRaised and kResolved are urgent; a join is not.
  bool urgent() const { return kind != kJoined; }
};

class ConcernNotifier {
 public:
  virtual ~ConcernNotifier() = default;
  // Tells the recipients. Called again with the same notice (same
  // event_id) when it is redelivered from the event stream: must not tell
  // anyone twice.
  virtual absl::Status Notify(const ConcernNotice& notice) = 0;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_NOTIFIER_H_
