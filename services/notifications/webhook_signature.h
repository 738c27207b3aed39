// The signature on every webhook delivery (see webhook.proto):
//   Brobygger-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
// The HMAC is keyed with the endpoint's secret exactly as handed to the
// owner (the base64url text's bytes, not its decoded bytes, so a receiver
// can use the string it was given as the key) and covers "<t>.<body>".
// Signing the timestamp with the body lets receivers refuse replays of an
// old delivery.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_SIGNATURE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_SIGNATURE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace brobygger::notifications {

inline constexpr absl::string_view kSignatureHeader = "Brobygger-Signature";

// The Brobygger-Signature header value for `body` sent at `t` (whole
// seconds; the fraction is dropped).
std::string SignWebhook(absl::string_view secret, absl::Time t,
                        absl::string_view body);

// What a receiver does with the header (used by our tests and the demo
// receiver). The header must be comma-separated "key=value" items without
// spaces: exactly one "t" (decimal digits) and at least one "v1" (64
// lowercase hex digits). Several v1 entries are accepted so a sender may
// sign with an old and a new secret while a rotation settles; any one
// matching suffices. Other keys are ignored so a later scheme ("v2") can
// be added beside v1 without breaking receivers.
// INVALID_ARGUMENT: the header is malformed or the secret empty.
// UNAUTHENTICATED: no v1 matches, or t is further than `tolerance` from
// `now` (a replayed or badly delayed delivery).
absl::Status VerifyWebhookSignature(
    absl::string_view secret, absl::string_view header, absl::string_view body,
    absl::Time now, absl::Duration tolerance = absl::Minutes(5));

// A fresh endpoint secret: 32 random bytes (OpenSSL RAND_bytes), base64url
// without padding (43 characters). Aborts the process if the random
// generator fails rather than hand out a guessable secret.
std::string NewWebhookSecret();

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_WEBHOOK_SIGNATURE_H_
