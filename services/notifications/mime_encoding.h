// The encodings an RFC 5322 / MIME text message needs: quoted-printable
// bodies, RFC 2047 encoded-words for non-ASCII header text (Danish æ, ø,
// å in subjects and names), and the RFC 5322 date.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_MIME_ENCODING_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_MIME_ENCODING_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace brobygger::notifications {

// `text` (line breaks LF or CRLF) as quoted-printable (RFC 2045 6.7):
// CRLF line breaks, no encoded line longer than 76 characters (longer
// lines get soft breaks, never inside an =XX escape), '=', control and
// non-ASCII bytes and whitespace at line ends escaped. A lone CR is data
// (=0D). The result ends without a trailing CRLF unless `text` ends with
// a line break.
std::string EncodeQuotedPrintable(absl::string_view text);

// Header text (a subject or display name, UTF-8, no line breaks) in a form
// a header can carry. Plain ASCII without "=?" is returned as is; anything
// else becomes base64
// encoded-words ("=?UTF-8?B?...?="), each holding whole UTF-8 characters,
// folded onto continuation lines ("\r\n ") so no line exceeds 78
// characters.
std::string EncodeHeaderText(absl::string_view text);

// As a display name before an address: encoded-words when EncodeHeaderText
// would encode, else a quoted string ("Kærby \"Kommune\"" style escaping).
std::string EncodeDisplayName(absl::string_view name);

// RFC 5322 date-time in UTC, e.g. "Tue, 14 Nov 2023 22:13:20 +0000";
// written by hand so no locale can change the day and month names.
std::string FormatRfc5322Date(absl::Time t);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_MIME_ENCODING_H_
