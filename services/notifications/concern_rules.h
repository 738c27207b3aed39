// The rules of a concern that need no store: what a valid one looks like,
// which field claims the one open concern per newcomer and topic, what its
// events may carry, who is told, and the filter of ListConcerns.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_RULES_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/concern.pb.h"
#include "common/status/errors.h"
#include "services/notifications/concern_notifier.h"

namespace brobygger::notifications {

inline constexpr int kMaxConcernTopicLength = 40;
// Description, each reporter's note and the resolution.
inline constexpr int kMaxConcernTextLength = 2000;
// A concern is joined by the handful of people around one newcomer; this
// bounds the document whatever happens.
inline constexpr int kMaxConcernReporters = 50;

// Trims and lowercases the topic and trims the description.
void NormalizeConcern(v1::Concern* concern);
// Adds violations (fields "concern.topic", "concern.description") unless
// the topic is a tag of [a-z0-9_]{1,40} and the description is given and
// at most 2000 characters.
void CheckConcernFields(const v1::Concern& concern,
                        FieldViolations* violations);

// The field of NotificationsKeys::OpenConcernClaims that the open concern
// about the newcomer (id) on the topic owns.
std::string OpenClaimField(absl::string_view newcomer_id,
                           absl::string_view topic);

// What an event may say of a concern: everything but the description, the
// resolution and the reporters' notes, which describe the newcomer.
v1::Concern ForEvent(const v1::Concern& concern);

// Who is told, as actor names of `municipality`, each once:
// raised -> the contact; joined -> the contact and `joined_by`; resolved
// -> every reporter. Reporters who are not actors (staff known only by
// their token's subject) are left out.
std::vector<std::string> ConcernRecipients(ConcernNotice::Kind kind,
                                           const v1::Concern& concern,
                                           absl::string_view joined_by,
                                           absl::string_view municipality);

// ListConcerns' filter: `field = value` restrictions on state (OPEN,
// RESOLVED), newcomer, topic and contact, joined by AND.
struct ConcernFilter {
  v1::Concern::State state = v1::Concern::STATE_UNSPECIFIED;
  std::string newcomer;
  std::string topic;
  std::string contact;
};
absl::StatusOr<ConcernFilter> CompileConcernFilter(absl::string_view text);
bool FilterAccepts(const ConcernFilter& filter, const v1::Concern& concern);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_RULES_H_
