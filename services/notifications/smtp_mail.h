// E-mail through a municipality's SMTP relay: rendering one plain-text
// message (RFC 5322 + MIME, UTF-8, quoted-printable) and sending it with
// libcurl's SMTP client.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_SMTP_MAIL_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_SMTP_MAIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace brobygger::notifications {

enum class SmtpTls {
  // STARTTLS required (CURLUSESSL_ALL): the send fails if the relay does
  // not offer it. The default: credentials and personal data never cross
  // the network in clear.
  kRequired,
  // STARTTLS when offered, plain otherwise (CURLUSESSL_TRY). Only for a
  // relay on the same host or a trusted network: an attacker on the path
  // can strip the offer.
  kOpportunistic,
};

struct SmtpRelay {
  // "smtp://host:587" (STARTTLS per `tls`) or "smtps://host:465" (TLS from
  // the start).
  std::string url;
  // Empty: no authentication.
  std::string username;
  std::string password;
  // The sender, also the envelope's MAIL FROM (where bounces go).
  std::string from_address;
  std::string from_name;
  SmtpTls tls = SmtpTls::kRequired;
  absl::Duration timeout = absl::Seconds(60);
  absl::Duration connect_timeout = absl::Seconds(10);
};

struct MailMessage {
  std::string to_address;
  std::string to_name;  // may be empty
  std::string subject;
  std::string text_body;  // UTF-8, lines separated by LF or CRLF
  // The right side of the Message-ID; empty: from_address's domain.
  std::string message_id_domain;
};

inline constexpr size_t kMaxDisplayNameBytes = 200;
inline constexpr size_t kMaxSubjectBytes = 400;
inline constexpr size_t kMaxTextBodyBytes = 1024 * 1024;

// The message as sent: Date (`now`), From, To, Subject, Message-ID
// "<message_id@domain>", MIME-Version, Content-Type text/plain;
// charset=utf-8, Content-Transfer-Encoding quoted-printable and
// Auto-Submitted: auto-generated (RFC 3834: out-of-office replies are not
// sent back to a notification), CRLF line endings throughout. Pass the
// same `message_id` (e.g. the delivery id) on every retry so a message
// that did arrive before a failure is recognisably the same message.
// INVALID_ARGUMENT naming the field (to_address, to_name, subject,
// text_body, message_id_domain, message_id, from_address, from_name) for a
// bad address, a line break or other control character in a header
// field, or text over its size limit.
absl::StatusOr<std::string> RenderMessage(const MailMessage& message,
                                          const SmtpRelay& relay,
                                          absl::Time now,
                                          absl::string_view message_id);

// Renders `message` and hands it to the relay for `message.to_address`.
// Errors, and what a delivery worker should do with them:
//   INVALID_ARGUMENT     the message or relay settings are unusable: give up.
//   FAILED_PRECONDITION  the relay refused permanently (SMTP 5xx, e.g. 550
//                        unknown mailbox): give up.
//   PERMISSION_DENIED    the relay refused the credentials: the relay
//                        settings need fixing; retrying later may help.
//   UNAVAILABLE          no connection, TLS failure (also a relay without
//                        the STARTTLS that SmtpTls::kRequired demands), or
//                        a temporary refusal (SMTP 4xx): retry.
//   DEADLINE_EXCEEDED    `relay.timeout` passed: retry.
absl::Status SendMail(const SmtpRelay& relay, const MailMessage& message,
                      absl::string_view message_id, absl::Time now);
// As above with a random Message-ID and the current time.
absl::Status SendMail(const SmtpRelay& relay, const MailMessage& message);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_SMTP_MAIL_H_
