// What the pipeline gave up on, for operators: listed without what was to
// be delivered (it may hold personal data), replayed through the pipeline,
// or removed; and purged of a newcomer's entries when they are erased.
//
// One Redis stream holds both kinds (NotificationsKeys::DeadLetters): the
// event consumer's entries (fields stream, entry_id, error, event) and the
// delivery worker's (field "kind" = "webhook" or "email", plus "m",
// "target", "event_id", "event_type", "resource", "about", "error",
// "attempts" and "delivery", the serialized delivery to replay). A dead
// letter's name is "deadLetters/<stream id>".
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_DEAD_LETTERS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_DEAD_LETTERS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/notifications/v1/notification_service.pb.h"
#include "common/events/stream_tail.h"
#include "services/notifications/notifications_context.h"

namespace brobygger::notifications {

class DeadLetters {
 public:
  // How a dead letter goes back into the pipeline: an event to the router,
  // a delivery to the outbound queue (as a new first attempt).
  struct Replayers {
    std::function<absl::Status(const events::v1::Event&)> event;
    std::function<absl::Status(const events::StreamEntry&)> delivery;
  };

  DeadLetters(NotificationsContext& ctx, Replayers replayers)
      : ctx_(ctx), replayers_(std::move(replayers)) {}

  // Oldest first. `municipality` "" for all. A page reads at most a few
  // thousand entries, so with a filter it may be short (or empty) while a
  // next page token says there is more to read.
  absl::StatusOr<v1::ListDeadLettersResponse> List(
      const v1::ListDeadLettersRequest& request);

  // Replays the dead letter, then removes it. NOT_FOUND when there is no
  // such entry; the entry stays when the replay fails.
  absl::StatusOr<v1::DeadLetter> Replay(absl::string_view name);

  absl::Status Delete(absl::string_view name);

  // Removes every dead letter about the newcomer: events whose resource is
  // the newcomer, deliveries marked about them.
  absl::Status EraseAbout(absl::string_view municipality,
                          absl::string_view newcomer_id);

  // The API's view of an entry (no payload).
  static v1::DeadLetter ToDeadLetter(const events::StreamEntry& entry);

 private:
  absl::StatusOr<std::optional<events::StreamEntry>> Find(absl::string_view id);

  NotificationsContext& ctx_;
  Replayers replayers_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_DEAD_LETTERS_H_
