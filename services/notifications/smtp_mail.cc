#include "services/notifications/smtp_mail.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/notifications/curl_support.h"
#include "services/notifications/email_address.h"
#include "services/notifications/mime_encoding.h"

namespace brobygger::notifications {
namespace {

constexpr size_t kMaxMessageIdLength = 128;
constexpr size_t kMaxDomainLength = 253;

// Header text must stay on its line: a CR or LF would start a new header
// (or the body) chosen by whoever wrote the text.
absl::Status CheckHeaderText(absl::string_view field, absl::string_view text,
                             size_t max_bytes) {
  if (text.size() > max_bytes) {
    return InvalidFieldError(
        field, absl::StrCat("is longer than ", max_bytes, " bytes"));
  }
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return InvalidFieldError(
          field, "must not contain line breaks or other control characters");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMessageId(absl::string_view id) {
  constexpr absl::string_view kAllowed = "!#$%&'*+-/=?^_`{|}~.";
  const bool ok = !id.empty() && id.size() <= kMaxMessageIdLength &&
                  std::all_of(id.begin(), id.end(), [&](char c) {
                    return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                           kAllowed.find(c) != absl::string_view::npos;
                  });
  if (ok) return absl::OkStatus();
  return InvalidFieldError("message_id",
                           "needs 1 to 128 letters, digits or . - _ (and "
                           "similar), e.g. the delivery id");
}

absl::Status CheckDomain(absl::string_view domain) {
  const bool ok = !domain.empty() && domain.size() <= kMaxDomainLength &&
                  std::all_of(domain.begin(), domain.end(), [](char c) {
                    return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                           c == '.' || c == '-';
                  });
  if (ok) return absl::OkStatus();
  return InvalidFieldError("message_id_domain",
                           "must be a domain name like kommune.example.dk");
}

std::string Mailbox(absl::string_view name, absl::string_view address) {
  if (name.empty()) return std::string(address);
  return absl::StrCat(EncodeDisplayName(name), " <", address, ">");
}

struct Upload {
  absl::string_view rest;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;
}

long Millis(absl::Duration d) {
  return static_cast<long>(
      std::clamp<int64_t>(absl::ToInt64Milliseconds(d), 1, INT32_MAX));
}

absl::Status SmtpError(CURL* curl, CURLcode code, const char* error_buffer) {
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  const std::string curl_text =
      error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  if (code == CURLE_LOGIN_DENIED) {
    return absl::PermissionDeniedError(
        absl::StrCat("the SMTP relay refused the credentials (", curl_text,
                     "); check the relay's username and password"));
  }
  if (code == CURLE_USE_SSL_FAILED) {
    return absl::UnavailableError(
        absl::StrCat("the SMTP relay offers no STARTTLS (", curl_text,
                     "); use smtps:// or a relay with TLS"));
  }
  if (reply >= 500 && reply <= 599) {
    return absl::FailedPreconditionError(
        absl::StrCat("the SMTP relay refused the message for good with ", reply,
                     " (", curl_text, ")"));
  }
  if (reply >= 400 && reply <= 499) {
    return absl::UnavailableError(
        absl::StrCat("the SMTP relay refused the message for now with ", reply,
                     " (", curl_text, "); try again later"));
  }
  return CurlError(code, error_buffer, "sending e-mail failed");
}

}  // namespace

absl::StatusOr<std::string> RenderMessage(const MailMessage& message,
                                          const SmtpRelay& relay,
                                          absl::Time now,
                                          absl::string_view message_id) {
  RETURN_IF_ERROR(CheckEmailAddress(message.to_address, "to_address"));
  RETURN_IF_ERROR(CheckEmailAddress(relay.from_address, "from_address"));
  RETURN_IF_ERROR(
      CheckHeaderText("to_name", message.to_name, kMaxDisplayNameBytes));
  RETURN_IF_ERROR(
      CheckHeaderText("from_name", relay.from_name, kMaxDisplayNameBytes));
  RETURN_IF_ERROR(
      CheckHeaderText("subject", message.subject, kMaxSubjectBytes));
  if (message.subject.empty()) {
    return InvalidFieldError("subject", "is required");
  }
  if (message.text_body.size() > kMaxTextBodyBytes) {
    return InvalidFieldError(
        "text_body",
        absl::StrCat("is longer than ", kMaxTextBodyBytes, " bytes"));
  }
  RETURN_IF_ERROR(CheckMessageId(message_id));
  const absl::string_view domain =
      message.message_id_domain.empty()
          ? absl::string_view(relay.from_address)
                .substr(relay.from_address.rfind('@') + 1)
          : absl::string_view(message.message_id_domain);
  RETURN_IF_ERROR(CheckDomain(domain));

  std::string body = EncodeQuotedPrintable(message.text_body);
  if (!absl::EndsWith(body, "\r\n")) body += "\r\n";
  return absl::StrCat(
      "Date: ", FormatRfc5322Date(now), "\r\n",                        //
      "From: ", Mailbox(relay.from_name, relay.from_address), "\r\n",  //
      "To: ", Mailbox(message.to_name, message.to_address), "\r\n",    //
      "Subject: ", EncodeHeaderText(message.subject), "\r\n",          //
      "Message-ID: <", message_id, "@", domain, ">\r\n",               //
      "MIME-Version: 1.0\r\n",                                         //
      "Content-Type: text/plain; charset=utf-8\r\n",                   //
      "Content-Transfer-Encoding: quoted-printable\r\n",               //
      "Auto-Submitted: auto-generated\r\n",                            //
      "\r\n", body);
}

absl::Status SendMail(const SmtpRelay& relay, const MailMessage& message,
                      absl::string_view message_id, absl::Time now) {
  const std::string scheme =
      absl::AsciiStrToLower(relay.url.substr(0, relay.url.find("://") + 3));
  if (scheme != "smtp://" && scheme != "smtps://") {
    return InvalidFieldError("relay.url",
                             "must be smtp://host:port or smtps://host:port");
  }
  ASSIGN_OR_RETURN(const std::string rendered,
                   RenderMessage(message, relay, now, message_id));
  InitCurlOnce();
  CurlSlist recipients;
  const std::string rcpt = absl::StrCat("<", message.to_address, ">");
  if (!AppendToSlist(recipients, rcpt.c_str())) {
    return absl::ResourceExhaustedError("out of memory for recipients");
  }
  CurlEasy curl(curl_easy_init());
  if (curl == nullptr) return absl::ResourceExhaustedError("curl_easy_init");
  CURL* c = curl.get();
  char error_buffer[CURL_ERROR_SIZE] = {};
  Upload upload{rendered};
  const std::string mail_from = absl::StrCat("<", relay.from_address, ">");
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_URL, relay.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, CURLPROTO_SMTP | CURLPROTO_SMTPS);
#endif
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   relay.tls == SmtpTls::kRequired
                       ? static_cast<long>(CURLUSESSL_ALL)
                       : static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!relay.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, relay.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, relay.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, Millis(relay.timeout));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, Millis(relay.connect_timeout));
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  // libcurl dot-stuffs lines starting with "." and ends DATA itself.
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
                   static_cast<curl_off_t>(rendered.size()));
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) return SmtpError(c, code, error_buffer);
  return absl::OkStatus();
}

absl::Status SendMail(const SmtpRelay& relay, const MailMessage& message) {
  absl::BitGen random;
  const std::string message_id =
      absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(random),
                      absl::Uniform<uint64_t>(random));
  return SendMail(relay, message, message_id, absl::Now());
}

}  // namespace brobygger::notifications
