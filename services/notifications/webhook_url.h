// Where webhook deliveries may be POSTed.
//
// Deliveries carry events about people to an external system, so they
// travel encrypted: an https:// URL, except http:// to the machine itself
// (127.0.0.0/8, ::1, "localhost"), which tests and local relays use. User
// information ("https://user:pass@host/") is refused: credentials in a URL
// end up in logs, and deliveries are authenticated by their signature.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_URL_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_URL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace brobygger::notifications {

inline constexpr int kMaxWebhookUrlLength = 2000;

// OK for an absolute https:// URL (or http:// to a loopback host) with a
// host, an optional port 1-65535, no user information, no whitespace or
// control characters, at most kMaxWebhookUrlLength characters; otherwise
// INVALID_ARGUMENT naming `field` and saying what to send instead.
absl::Status CheckWebhookUrl(absl::string_view url, absl::string_view field);

// Whether `host` (as written in a URL: "[::1]" in brackets) is the machine
// itself.
bool IsLoopbackHost(absl::string_view host);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_URL_H_
