// A plausibility check of e-mail addresses people type into their
// notification preferences. Not RFC 5322 in full: it accepts the addresses
// people really have and rejects what could break or inject into a mail
// header (spaces, control characters, angle brackets, quotes, commas).
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_EMAIL_ADDRESS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_EMAIL_ADDRESS_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace brobygger::notifications {

// RFC 5321's limit of a forward path.
inline constexpr size_t kMaxEmailAddressLength = 254;

// True for "local@domain" where: the whole is at most 254 bytes, the local
// part 1-64 bytes, there is exactly one "@", neither part starts or ends
// with "." nor holds "..", the domain has at least two labels, each label
// 1-63 bytes of letters, digits, "-" (not first or last) or non-ASCII
// (internationalised domains), and no byte anywhere is a space, a control
// character or one of  < > " ( ) [ ] \ , ; :
// An apostrophe is allowed in the local part (o'neill@example.dk).
bool IsPlausibleEmailAddress(absl::string_view address);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_EMAIL_ADDRESS_H_
