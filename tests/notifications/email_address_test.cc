// Which e-mail addresses are accepted for preferences and the relay.
#include "services/notifications/email_address.h"

#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace brobygger::notifications {
namespace {

TEST(EmailAddressTest, AcceptsOrdinaryAddresses) {
  for (const char* address : {
           "frivillig@example.dk",
           "anne.marie+brobygger@kommune.aalborg.example.dk",
           "o'brien@example.org",
           "x@xn--blbrgrd-fxak7p.dk",
           "info@sub-domain.example-2.dk",
       }) {
    EXPECT_TRUE(CheckEmailAddress(address).ok())
        << address << ": " << CheckEmailAddress(address);
  }
}

TEST(EmailAddressTest, RejectsWhatCouldBreakHeadersOrCommands) {
  for (const char* address : {
           "",
           "frivillig",
           "@example.dk",
           "frivillig@",
           "frivillig@localhost",
           "fri villig@example.dk",
           "frivillig@example.dk\r\nRCPT TO:<x@evil.example>",
           "<frivillig@example.dk>",
           "Anne <anne@example.dk>",
           "a,b@example.dk",
           "a@b@example.dk",
           "\"a\"@example.dk",
           ".anne@example.dk",
           "anne.@example.dk",
           "an..ne@example.dk",
           "anne@example..dk",
           "anne@-example.dk",
           "anne@exa_mple.dk",
           "anne@[127.0.0.1]",
           "søren@example.dk",
           "anne@blåbærgrød.dk",
       }) {
    EXPECT_EQ(CheckEmailAddress(address).code(),
              absl::StatusCode::kInvalidArgument)
        << address;
  }
}

TEST(EmailAddressTest, EnforcesLengthLimits) {
  const std::string domain = "@example.dk";
  EXPECT_TRUE(CheckEmailAddress(std::string(64, 'a') + domain).ok());
  EXPECT_FALSE(CheckEmailAddress(std::string(65, 'a') + domain).ok());
  std::string labels;
  for (int i = 0; i < 25; ++i) labels += "abcdefghi.";
  const std::string longest = "a@" + labels + "dk";
  ASSERT_EQ(longest.size(), 254u);
  EXPECT_TRUE(CheckEmailAddress(longest).ok());
  EXPECT_FALSE(CheckEmailAddress("a" + longest).ok());
}

TEST(EmailAddressTest, NamesTheField) {
  const std::vector<FieldViolation> violations =
      FieldViolationsOf(CheckEmailAddress("nope", "preferences.email_address"));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "preferences.email_address");
}

}  // namespace
}  // namespace brobygger::notifications
