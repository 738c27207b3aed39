#include "services/notifications/concern_person_notifier.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/store/resource_io.h"
#include "common/text/utf8.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxBody = 5000;

}  // namespace

PersonMessage ConcernMessage(const ConcernNotice& notice) {
  const v1::Concern& concern = notice.concern;
  PersonMessage message;
  v1::Notification& n = message.notification;
  n.set_topic(v1::TOPIC_CONCERNS);
  n.set_urgency(notice.urgent() ? v1::URGENCY_URGENT : v1::URGENCY_NORMAL);
  n.set_resource(concern.name());
  n.set_event_type(kConcernType);
  n.set_event_id(notice.event_id);
  const std::string handler = concern.contact_display_name().empty()
                                  ? concern.contact()
                                  : concern.contact_display_name();
  switch (notice.kind) {
    case ConcernNotice::kRaised:
      n.set_title(absl::StrCat("New concern about ", concern.topic()));
      n.set_body(
          absl::StrCat("A concern about ", concern.topic(),
                       " was raised for you to handle: ", concern.description(),
                       " Open ", concern.name(), " to see it and resolve it."));
      break;
    case ConcernNotice::kJoined:
      n.set_title(absl::StrCat("Concern about ", concern.topic(),
                               ": one more person raised it"));
      n.set_body(absl::StrCat(
          "Someone else raised the same concern about ", concern.topic(), "; ",
          concern.reporters_size(), " people have raised it so far. ", handler,
          " handles it; everyone will be told when it is resolved."));
      break;
    case ConcernNotice::kResolved:
      n.set_title(absl::StrCat("Concern about ", concern.topic(), " resolved"));
      n.set_body(absl::StrCat(handler, " resolved the concern about ",
                              concern.topic(), ": ", concern.resolution()));
      break;
  }
  n.set_title(text::TruncateUtf8(n.title(), kMaxTitle));
  n.set_body(text::TruncateUtf8(n.body(), kMaxBody));
  message.about_newcomer = store::IdOf(concern.newcomer());
  message.dedupe_key = notice.event_id;
  return message;
}

absl::Status ConcernPersonNotifier::Notify(const ConcernNotice& notice) {
  absl::StatusOr<ParsedName> concern =
      ParseConcernName(notice.concern.name(), "concern.name");
  if (!concern.ok()) return concern.status();
  std::vector<std::string> actor_ids;
  for (const std::string& recipient : notice.recipients) {
    // Staff without an actor have no inbox; they read the concern itself.
    absl::StatusOr<ParsedName> actor = ParseActorName(recipient, "recipient");
    if (!actor.ok() || actor->municipality != concern->municipality) continue;
    actor_ids.push_back(actor->id);
  }
  return people_.Notify(concern->municipality, actor_ids,
                        ConcernMessage(notice));
}

}  // namespace brobygger::notifications
