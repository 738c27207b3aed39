// E-mail: the rendered message (headers, encodings, line endings, refusal
// of injected headers) and its delivery to a loopback SMTP sink.
#include "services/notifications/smtp_mail.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/notifications/mime_test_util.h"
#include "tests/support/loopback_server.h"
#include "tests/support/smtp_sink.h"

namespace brobygger::notifications {
namespace {

using test::SmtpRejectAt;
using test::SmtpSink;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const absl::Time kNow = absl::FromUnixSeconds(1700000000);

SmtpRelay Relay(std::string url = "smtp://127.0.0.1:25") {
  SmtpRelay relay;
  relay.url = std::move(url);
  relay.from_address = "noreply@aalborg.example.dk";
  relay.from_name = "Brobygger Aalborg";
  // The sink offers no STARTTLS.
  relay.tls = SmtpTls::kOpportunistic;
  relay.timeout = absl::Seconds(10);
  return relay;
}

MailMessage Message() {
  MailMessage message;
  message.to_address = "soeren@example.dk";
  message.to_name = "Søren Ærø";
  message.subject = "Ny aktivitet i Ålborg";
  message.text_body =
      "Kære Søren,\n\nDer er en ny aktivitet: fællesspisning i Ålborg.\n"
      ".\n"
      ".. og en linje med punktum først\n"
      "Vh. Brobygger\n";
  return message;
}

// The lines of a rendered message's header block.
std::vector<std::string> HeaderLines(absl::string_view rendered) {
  const absl::string_view head = rendered.substr(0, rendered.find("\r\n\r\n"));
  return absl::StrSplit(head, "\r\n");
}

// The value of header `name` (continuation lines kept, with their CRLF).
std::string HeaderValue(absl::string_view rendered, absl::string_view name) {
  std::string value;
  bool in_header = false;
  for (const std::string& line : HeaderLines(rendered)) {
    if (!line.empty() && line[0] == ' ') {
      if (in_header) absl::StrAppend(&value, "\r\n", line);
      continue;
    }
    in_header = absl::StartsWith(line, absl::StrCat(name, ": "));
    if (in_header) value = line.substr(name.size() + 2);
  }
  return value;
}

TEST(RenderMessageTest, WritesTheHeadersOfAPlainTextUtf8Message) {
  absl::StatusOr<std::string> rendered =
      RenderMessage(Message(), Relay(), kNow, "dlv-42");
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  EXPECT_EQ(HeaderValue(*rendered, "Date"), "Tue, 14 Nov 2023 22:13:20 +0000");
  EXPECT_EQ(HeaderValue(*rendered, "From"),
            "\"Brobygger Aalborg\" <noreply@aalborg.example.dk>");
  EXPECT_THAT(HeaderValue(*rendered, "To"), StartsWith("=?UTF-8?B?"));
  EXPECT_THAT(HeaderValue(*rendered, "To"), HasSubstr(" <soeren@example.dk>"));
  EXPECT_EQ(HeaderValue(*rendered, "Subject"),
            "=?UTF-8?B?TnkgYWt0aXZpdGV0IGkgw4VsYm9yZw==?=");
  EXPECT_EQ(HeaderValue(*rendered, "Message-ID"),
            "<dlv-42@aalborg.example.dk>");
  EXPECT_EQ(HeaderValue(*rendered, "MIME-Version"), "1.0");
  EXPECT_EQ(HeaderValue(*rendered, "Content-Type"),
            "text/plain; charset=utf-8");
  EXPECT_EQ(HeaderValue(*rendered, "Content-Transfer-Encoding"),
            "quoted-printable");
  EXPECT_EQ(HeaderValue(*rendered, "Auto-Submitted"), "auto-generated");
}

TEST(RenderMessageTest, UsesCrlfOnlyAndShortLines) {
  MailMessage message = Message();
  message.text_body = std::string(400, 'x') + "\r\nslut\n";
  absl::StatusOr<std::string> rendered =
      RenderMessage(message, Relay(), kNow, "dlv-42");
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  ASSERT_TRUE(absl::EndsWith(*rendered, "\r\n"));
  for (size_t i = 0; i < rendered->size(); ++i) {
    if ((*rendered)[i] == '\n') {
      ASSERT_TRUE(i > 0 && (*rendered)[i - 1] == '\r') << "bare LF at " << i;
    } else if ((*rendered)[i] == '\r') {
      ASSERT_EQ((*rendered)[i + 1], '\n') << "bare CR at " << i;
    }
  }
  for (absl::string_view line : absl::StrSplit(*rendered, "\r\n")) {
    EXPECT_LE(line.size(), 78u) << line;
  }
}

TEST(RenderMessageTest, TheBodyDecodesToTheTextGiven) {
  absl::StatusOr<std::string> rendered =
      RenderMessage(Message(), Relay(), kNow, "dlv-42");
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  const std::string body = rendered->substr(rendered->find("\r\n\r\n") + 4);
  EXPECT_EQ(mime_test::DecodeQuotedPrintable(body), Message().text_body);
}

TEST(RenderMessageTest, MessageIdDomainDefaultsToTheSendersDomain) {
  MailMessage message = Message();
  message.message_id_domain = "notifications.brobygger.example";
  absl::StatusOr<std::string> rendered =
      RenderMessage(message, Relay(), kNow, "dlv-42");
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  EXPECT_EQ(HeaderValue(*rendered, "Message-ID"),
            "<dlv-42@notifications.brobygger.example>");
}

// The single field an INVALID_ARGUMENT names, or "".
std::string OffendingField(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return "";
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  return violations.size() == 1 ? violations[0].field : "";
}

TEST(RenderMessageTest, RefusesHeaderInjection) {
  struct Case {
    std::string field;
    void (*spoil)(MailMessage&, SmtpRelay&);
  };
  const Case cases[] = {
      {"subject", [](MailMessage& m,
                     SmtpRelay&) { m.subject = "Hej\r\nBcc: x@evil.example"; }},
      {"subject",
       [](MailMessage& m, SmtpRelay&) { m.subject = "Hej\nmed dig"; }},
      {"to_name",
       [](MailMessage& m, SmtpRelay&) { m.to_name = "Søren\r\nBcc: x"; }},
      {"from_name", [](MailMessage&, SmtpRelay& r) { r.from_name = "A\rB"; }},
      {"to_address",
       [](MailMessage& m, SmtpRelay&) {
         m.to_address = "a@example.dk\r\nRCPT TO:<x@evil.example>";
       }},
      {"from_address",
       [](MailMessage&, SmtpRelay& r) {
         r.from_address = "noreply@x.dk>\r\n";
       }},
      {"message_id_domain",
       [](MailMessage& m, SmtpRelay&) {
         m.message_id_domain = "x.dk>\r\nBcc: y";
       }},
  };
  for (const Case& c : cases) {
    MailMessage message = Message();
    SmtpRelay relay = Relay();
    c.spoil(message, relay);
    EXPECT_EQ(
        OffendingField(RenderMessage(message, relay, kNow, "dlv-42").status()),
        c.field);
  }
  EXPECT_EQ(
      OffendingField(
          RenderMessage(Message(), Relay(), kNow, "id>\r\nBcc: y").status()),
      "message_id");
}

TEST(RenderMessageTest, RefusesMissingOrOversizedParts) {
  MailMessage no_subject = Message();
  no_subject.subject = "";
  EXPECT_EQ(
      OffendingField(RenderMessage(no_subject, Relay(), kNow, "d").status()),
      "subject");
  MailMessage long_subject = Message();
  long_subject.subject = std::string(kMaxSubjectBytes + 1, 'a');
  EXPECT_EQ(
      OffendingField(RenderMessage(long_subject, Relay(), kNow, "d").status()),
      "subject");
  MailMessage huge = Message();
  huge.text_body = std::string(kMaxTextBodyBytes + 1, 'a');
  EXPECT_EQ(OffendingField(RenderMessage(huge, Relay(), kNow, "d").status()),
            "text_body");
  MailMessage bad_to = Message();
  bad_to.to_address = "not an address";
  EXPECT_EQ(OffendingField(RenderMessage(bad_to, Relay(), kNow, "d").status()),
            "to_address");
}

TEST(SendMailTest, DeliversExactlyOneMessageWithTheRightEnvelope) {
  SmtpSink sink;
  ASSERT_TRUE(SendMail(Relay(sink.Url()), Message(), "dlv-42", kNow).ok());
  const std::vector<test::SmtpMessage> messages = sink.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].envelope_from, "noreply@aalborg.example.dk");
  EXPECT_THAT(messages[0].recipients, ElementsAre("soeren@example.dk"));
  // Exactly what was rendered: lines starting with "." survived the
  // SMTP dot-stuffing both ways.
  EXPECT_EQ(messages[0].data,
            *RenderMessage(Message(), Relay(sink.Url()), kNow, "dlv-42"));
}

TEST(SendMailTest, APermanentRefusalIsAFailedPrecondition) {
  SmtpSink sink;
  sink.RejectNext(1, 550, SmtpRejectAt::kData);
  const absl::Status status = SendMail(Relay(sink.Url()), Message());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(status.message(), HasSubstr("550"));
  EXPECT_EQ(sink.MessageCount(), 0u);
  EXPECT_EQ(sink.RejectedCount(), 1u);
  // The sink takes the next one.
  EXPECT_TRUE(SendMail(Relay(sink.Url()), Message()).ok());
  EXPECT_EQ(sink.MessageCount(), 1u);
}

TEST(SendMailTest, ARefusedRecipientIsAFailedPrecondition) {
  SmtpSink sink;
  sink.RejectNext(1, 550, SmtpRejectAt::kRecipient);
  const absl::Status status = SendMail(Relay(sink.Url()), Message());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(sink.MessageCount(), 0u);
}

TEST(SendMailTest, ATemporaryRefusalIsUnavailable) {
  SmtpSink sink;
  sink.RejectNext(1, 451, SmtpRejectAt::kData);
  const absl::Status status = SendMail(Relay(sink.Url()), Message());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(status.message(), HasSubstr("451"));
  EXPECT_EQ(sink.MessageCount(), 0u);
}

TEST(SendMailTest, AnUnreachableRelayIsUnavailable) {
  test::ClosedPort closed;
  const absl::Status status = SendMail(
      Relay(absl::StrCat("smtp://127.0.0.1:", closed.port())), Message());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

TEST(SendMailTest, RequiredTlsIsNeverSkipped) {
  SmtpSink sink;
  SmtpRelay relay = Relay(sink.Url());
  relay.tls = SmtpTls::kRequired;
  const absl::Status status = SendMail(relay, Message());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(status.message(), HasSubstr("STARTTLS"));
  EXPECT_EQ(sink.MessageCount(), 0u);
}

TEST(SendMailTest, RefusesARelayThatIsNotSmtp) {
  EXPECT_EQ(OffendingField(SendMail(Relay("http://127.0.0.1:25"), Message())),
            "relay.url");
}

}  // namespace
}  // namespace brobygger::notifications
