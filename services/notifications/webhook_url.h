// Which URLs may be webhook endpoints (webhook.proto: "An https:// URL
// (http:// only for loopback addresses), at most 2000 characters, without
// user information"). Parsed with curl's own URL parser, so what passes
// here is what HttpPost will connect to.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_URL_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_URL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace brobygger::notifications {

inline constexpr size_t kMaxWebhookUrlLength = 2000;

// OK, or INVALID_ARGUMENT saying what is wrong: longer than 2000
// characters, spaces or control characters, unparseable, a scheme other
// than https (http only for the loopback hosts 127.0.0.0/8, [::1] and
// localhost, so tests and local demos work without certificates), or user
// information ("user:password@"), which would end up in logs and is no
// way to authenticate a webhook (the signature is). The error names the
// field "url" (prefix it with PrefixFieldViolations for nested messages).
absl::Status CheckWebhookUrl(absl::string_view url);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_URL_H_
