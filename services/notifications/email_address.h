// Which e-mail addresses the notification service sends to and from.
// Pragmatic rather than RFC 5321-complete: what people actually use passes,
// and nothing that could break an SMTP command or a header does.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_EMAIL_ADDRESS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_EMAIL_ADDRESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace brobygger::notifications {

inline constexpr size_t kMaxEmailAddressLength = 254;

// OK for local@domain where: the whole is at most 254 characters; the
// local part is 1-64 printable ASCII characters without spaces, quotes,
// angle brackets or other specials, and no leading, trailing or doubled
// dot; the domain has at least two dot-separated labels of letters,
// digits and hyphens (an internationalised domain in its xn-- form).
// Otherwise INVALID_ARGUMENT naming `field`. Non-ASCII addresses are
// refused because the relay is not asked for SMTPUTF8.
absl::Status CheckEmailAddress(absl::string_view address,
                               absl::string_view field = "email_address");

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_EMAIL_ADDRESS_H_
