// What a reporter reads after raising or joining a concern: who handles
// it, since when, and that they will be told when it is resolved.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_MESSAGES_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_MESSAGES_H_

#include <string>

#include "absl/time/time.h"
#include "brobygger/notifications/v1/concern.pb.h"

namespace brobygger::notifications {

// The day in Denmark, e.g. "3 March"; with the year ("3 March 2025") when
// it is not the year of `now`.
std::string DanishDay(absl::Time time, absl::Time now);

// For the one who raised a new concern.
std::string RaisedMessage(const v1::Concern& concern);

// For one who joined the open concern: "<contact> is already handling this
// since <day>; you have been added and will be told when it is resolved."
// (`already_on_it`: they had raised or joined it before.)
std::string JoinedMessage(const v1::Concern& concern, bool already_on_it,
                          absl::Time now);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_CONCERN_MESSAGES_H_
