// The SMTP sink the e-mail tests rely on, driven by hand: the replies it
// gives and what it records.
#include "tests/support/smtp_sink.h"

#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"

namespace brobygger::test {
namespace {

using ::testing::ElementsAre;

// The three-digit code of every reply line (multi-line replies once).
std::vector<std::string> ReplyCodes(absl::string_view transcript) {
  std::vector<std::string> codes;
  for (absl::string_view line : absl::StrSplit(transcript, "\r\n")) {
    if (line.size() >= 4 && line[3] == ' ') {
      codes.emplace_back(line.substr(0, 3));
    }
  }
  return codes;
}

TEST(SmtpSinkTest, SpeaksEnoughSmtpAndUnstuffsDots) {
  SmtpSink sink;
  // Sent in one go: the sink reads command by command.
  absl::StatusOr<std::string> transcript = HttpExchange(
      sink.port(),
      "HELO client\r\n"
      "NOOP\r\n"
      "MAIL FROM:<a@example.dk>\r\n"
      "RSET\r\n"
      "RCPT TO:<b@example.dk>\r\n"  // refused: RSET ended the transaction
      "MAIL FROM:<a@example.dk> SIZE=20\r\n"
      "RCPT TO:<b@example.dk>\r\n"
      "RCPT TO:<c@example.dk>\r\n"
      "DATA\r\n"
      "Subject: x\r\n"
      "\r\n"
      "..leading dot\r\n"
      ".\r\n"
      "VRFY b\r\n"
      "QUIT\r\n");
  ASSERT_TRUE(transcript.ok()) << transcript.status();
  EXPECT_THAT(ReplyCodes(*transcript),
              ElementsAre("220", "250", "250", "250", "250", "503", "250",
                          "250", "250", "354", "250", "502", "221"));
  const std::vector<SmtpMessage> messages = sink.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].envelope_from, "a@example.dk");
  EXPECT_THAT(messages[0].recipients,
              ElementsAre("b@example.dk", "c@example.dk"));
  EXPECT_EQ(messages[0].data, "Subject: x\r\n\r\n.leading dot\r\n");
}

TEST(SmtpSinkTest, RejectsOnlyAsManyMessagesAsAsked) {
  SmtpSink sink;
  sink.RejectNext(1, 451);
  const std::string one_message =
      "EHLO c\r\nMAIL FROM:<a@example.dk>\r\nRCPT TO:<b@example.dk>\r\n"
      "DATA\r\nhi\r\n.\r\nQUIT\r\n";
  absl::StatusOr<std::string> first = HttpExchange(sink.port(), one_message);
  absl::StatusOr<std::string> second = HttpExchange(sink.port(), one_message);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_THAT(ReplyCodes(*first),
              ElementsAre("220", "250", "250", "250", "354", "451", "221"));
  EXPECT_THAT(ReplyCodes(*second),
              ElementsAre("220", "250", "250", "250", "354", "250", "221"));
  EXPECT_EQ(sink.MessageCount(), 1u);
  EXPECT_EQ(sink.RejectedCount(), 1u);
  EXPECT_TRUE(sink.WaitForMessages(1, absl::Seconds(1)));
}

}  // namespace
}  // namespace brobygger::test
