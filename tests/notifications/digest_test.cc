// When digests go out (daily, weekly, held-back overflow; quiet hours;
// daylight saving) and what the digest e-mail says.
#include "services/notifications/digest.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/digest_text.h"
#include "services/notifications/plain_text.h"
#include "services/notifications/preference_rules.h"
#include "tests/notifications/time_test_util.h"

namespace brobygger::notifications {
namespace {

using testing::Dk;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Quiet;
using testing::Utc;

v1::NotificationPreferences Digest(v1::DigestFrequency frequency, int hour,
                                   int weekday = 0) {
  v1::NotificationPreferences prefs;
  prefs.set_digest_frequency(frequency);
  prefs.set_digest_hour(hour);
  prefs.set_digest_weekday(weekday);
  return EffectivePreferences(prefs);
}

v1::NotificationPreferences WithoutQuietHours(
    v1::NotificationPreferences prefs) {
  *prefs.mutable_quiet_hours() = Quiet(0, 0, 0, 0);
  return prefs;
}

TEST(NextDigestTimeTest, DailyIsTheNextDigestHourStrictlyAfterNow) {
  const auto prefs = Digest(v1::DIGEST_FREQUENCY_DAILY, 18);
  EXPECT_EQ(NextDigestTime(prefs, Dk(2026, 6, 10, 10, 0)),
            Dk(2026, 6, 10, 18, 0));
  EXPECT_EQ(NextDigestTime(prefs, Dk(2026, 6, 10, 17, 59, 59)),
            Dk(2026, 6, 10, 18, 0));
  EXPECT_EQ(NextDigestTime(prefs, Dk(2026, 6, 10, 18, 0)),
            Dk(2026, 6, 11, 18, 0));
  EXPECT_EQ(NextDigestTime(prefs, Dk(2026, 6, 10, 19, 0)),
            Dk(2026, 6, 11, 18, 0));
  // Across a month and a year.
  EXPECT_EQ(NextDigestTime(prefs, Dk(2026, 12, 31, 20, 0)),
            Dk(2027, 1, 1, 18, 0));
}

TEST(NextDigestTimeTest, WeeklyIsOnTheChosenWeekday) {
  // 2026-06-10 is a Wednesday.
  const auto friday = Digest(v1::DIGEST_FREQUENCY_WEEKLY, 9, 5);
  EXPECT_EQ(NextDigestTime(friday, Dk(2026, 6, 10, 12, 0)),
            Dk(2026, 6, 12, 9, 0));
  EXPECT_EQ(NextDigestTime(friday, Dk(2026, 6, 12, 8, 59)),
            Dk(2026, 6, 12, 9, 0));
  // Just after this week's, next week's.
  EXPECT_EQ(NextDigestTime(friday, Dk(2026, 6, 12, 9, 0)),
            Dk(2026, 6, 19, 9, 0));
  // Sunday (7) wraps to the next week; 0 means Monday.
  const auto sunday = Digest(v1::DIGEST_FREQUENCY_WEEKLY, 10, 7);
  EXPECT_EQ(NextDigestTime(sunday, Dk(2026, 6, 14, 11, 0)),
            Dk(2026, 6, 21, 10, 0));
  const auto monday = Digest(v1::DIGEST_FREQUENCY_WEEKLY, 10, 0);
  EXPECT_EQ(NextDigestTime(monday, Dk(2026, 6, 14, 11, 0)),
            Dk(2026, 6, 15, 10, 0));
  EXPECT_EQ(NextDigestTime(monday, Dk(2026, 6, 15, 10, 0)),
            Dk(2026, 6, 22, 10, 0));
}

TEST(NextDigestTimeTest, ADigestInQuietHoursGoesAtTheirEnd) {
  // 23:00 with quiet hours 21:00-08:00: 08:00 the next morning.
  const auto late = Digest(v1::DIGEST_FREQUENCY_DAILY, 23);
  EXPECT_EQ(NextDigestTime(late, Dk(2026, 6, 10, 12, 0)),
            Dk(2026, 6, 11, 8, 0));
  // Asked at 23:30 the digest due at 08:00 is still ahead.
  EXPECT_EQ(NextDigestTime(late, Dk(2026, 6, 10, 23, 30)),
            Dk(2026, 6, 11, 8, 0));
  EXPECT_EQ(NextDigestTime(late, Dk(2026, 6, 11, 7, 0)), Dk(2026, 6, 11, 8, 0));
  EXPECT_EQ(NextDigestTime(late, Dk(2026, 6, 11, 8, 0)), Dk(2026, 6, 12, 8, 0));
  // A weekly Sunday 22:00 digest goes on Monday morning.
  const auto weekly = Digest(v1::DIGEST_FREQUENCY_WEEKLY, 22, 7);
  EXPECT_EQ(NextDigestTime(weekly, Dk(2026, 6, 14, 23, 0)),
            Dk(2026, 6, 15, 8, 0));
}

TEST(NextDigestTimeTest, OverflowWithoutADigestIsDaily) {
  // Defaults: hour 0 inside quiet hours 21-08, so 08:00 every morning.
  const auto defaults = EffectivePreferences(v1::NotificationPreferences());
  EXPECT_EQ(NextDigestTime(defaults, Dk(2026, 6, 10, 14, 0)),
            Dk(2026, 6, 11, 8, 0));
  EXPECT_EQ(NextDigestTime(defaults, Dk(2026, 6, 11, 1, 0)),
            Dk(2026, 6, 11, 8, 0));
  auto evening = defaults;
  evening.set_digest_hour(19);
  EXPECT_EQ(NextDigestTime(evening, Dk(2026, 6, 10, 14, 0)),
            Dk(2026, 6, 10, 19, 0));
}

TEST(NextDigestTimeTest, DaylightSavingDays) {
  // 09:00 stays 09:00 local across the spring change: 08:00 UTC on the
  // Saturday, 07:00 UTC on the Sunday.
  const auto morning = Digest(v1::DIGEST_FREQUENCY_DAILY, 9);
  EXPECT_EQ(NextDigestTime(morning, Dk(2026, 3, 28, 10, 0)),
            Utc(2026, 3, 29, 7, 0));
  EXPECT_EQ(NextDigestTime(morning, Dk(2026, 10, 24, 10, 0)),
            Utc(2026, 10, 25, 8, 0));

  // 02:00 does not exist on 29 March: the digest goes at the jump (03:00
  // CEST, 01:00 UTC).
  const auto two = WithoutQuietHours(Digest(v1::DIGEST_FREQUENCY_DAILY, 2));
  EXPECT_EQ(NextDigestTime(two, Utc(2026, 3, 29, 0, 30)),
            Utc(2026, 3, 29, 1, 0));
  // 02:00 occurs twice on 25 October: once, at the first (00:00 UTC); the
  // next is 02:00 on the 26th (01:00 UTC), not the repeated hour.
  EXPECT_EQ(NextDigestTime(two, Utc(2026, 10, 24, 23, 0)),
            Utc(2026, 10, 25, 0, 0));
  EXPECT_EQ(NextDigestTime(two, Utc(2026, 10, 25, 0, 0)),
            Utc(2026, 10, 26, 1, 0));
}

TEST(NextDigestTimeTest, AlwaysStrictlyAfterNowAndWithinAWeek) {
  const auto weekly = Digest(v1::DIGEST_FREQUENCY_WEEKLY, 8, 3);
  const auto daily = Digest(v1::DIGEST_FREQUENCY_DAILY, 23);
  for (absl::Time now = Dk(2026, 3, 20, 0, 0); now < Dk(2026, 4, 5, 0, 0);
       now += absl::Minutes(30)) {
    const absl::Time weekly_next = NextDigestTime(weekly, now);
    EXPECT_GT(weekly_next, now);
    EXPECT_LE(weekly_next, now + absl::Hours(24 * 7));
    const absl::Time daily_next = NextDigestTime(daily, now);
    EXPECT_GT(daily_next, now);
    EXPECT_LE(daily_next, now + absl::Hours(25));
  }
}

v1::Notification Item(v1::Topic topic, std::string title, std::string body) {
  v1::Notification item;
  item.set_topic(topic);
  item.set_urgency(v1::URGENCY_NORMAL);
  item.set_title(std::move(title));
  item.set_body(std::move(body));
  return item;
}

// True if `text` is well-formed UTF-8.
bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = text[i];
    size_t length = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

TEST(RenderDigestTest, GroupsByTopicWithCountsAndSaysHowToChangeIt) {
  const std::vector<v1::Notification> items = {
      Item(v1::TOPIC_MATCHES, "New proposal: Reception buddy for Yonas",
           "Coordinator Mette proposes you as reception buddy."),
      Item(v1::TOPIC_ACTIVITIES,
           "New activity in Vester Hassing: Language café",
           "Every Tuesday 17:00-19:00 in the library."),
      Item(v1::TOPIC_ACTIVITIES, "Changed: Football for everyone",
           "Now on Thursdays."),
  };
  const DigestText digest = RenderDigest(
      "Amina Hassan", items, v1::DIGEST_FREQUENCY_DAILY, Dk(2026, 3, 30, 8, 0));
  EXPECT_EQ(digest.subject, "Your daily Brobygger digest: 3 messages");
  const std::string& body = digest.text_body;
  EXPECT_THAT(body, HasSubstr("Hello Amina Hassan,"));
  EXPECT_THAT(body, HasSubstr("Monday 30 March 2026"));
  EXPECT_THAT(body, HasSubstr("Activities (2)\n==============\n"));
  EXPECT_THAT(body, HasSubstr("Matches (1)\n"));
  // Topics in a fixed order, messages in arrival order within a topic.
  const size_t activities = body.find("Activities (2)");
  const size_t language_cafe = body.find("* New activity in Vester Hassing");
  const size_t football = body.find("* Changed: Football for everyone");
  const size_t matches = body.find("Matches (1)");
  EXPECT_LT(activities, language_cafe);
  EXPECT_LT(language_cafe, football);
  EXPECT_LT(football, matches);
  EXPECT_THAT(body, HasSubstr("  Every Tuesday 17:00-19:00 in the library.\n"));
  EXPECT_THAT(body, HasSubstr("notification preferences"));
  EXPECT_THAT(body, Not(HasSubstr("more messages")));
}

TEST(RenderDigestTest, TheIntroductionFitsWhyItWasSent) {
  const std::vector<v1::Notification> one = {
      Item(v1::TOPIC_FORUMS, "Forum meeting moved", "")};
  const absl::Time now = Dk(2026, 6, 14, 10, 0);
  EXPECT_EQ(RenderDigest("", one, v1::DIGEST_FREQUENCY_WEEKLY, now).subject,
            "Your weekly Brobygger digest: 1 message");
  const DigestText overflow =
      RenderDigest("", one, v1::DIGEST_FREQUENCY_NONE, now);
  EXPECT_EQ(overflow.subject, "Brobygger: 1 message collected for you");
  EXPECT_THAT(overflow.text_body, HasSubstr("Hello,\n"));
  EXPECT_THAT(overflow.text_body, HasSubstr("instead of e-mailing each"));
  // A message without a body is just its title.
  EXPECT_THAT(overflow.text_body, HasSubstr("* Forum meeting moved\n\n"));
}

TEST(RenderDigestTest, ListsAtMostTwoHundredAndCountsTheRest) {
  std::vector<v1::Notification> items;
  for (int i = 0; i < 250; ++i) {
    items.push_back(Item(i % 2 ? v1::TOPIC_ACTIVITIES : v1::TOPIC_BROADCASTS,
                         absl::StrCat("Message ", i), "Text"));
  }
  const DigestText digest = RenderDigest(
      "Jens", items, v1::DIGEST_FREQUENCY_WEEKLY, Dk(2026, 6, 14, 10, 0));
  EXPECT_EQ(digest.subject, "Your weekly Brobygger digest: 250 messages");
  int listed = 0;
  for (absl::string_view line : absl::StrSplit(digest.text_body, '\n')) {
    if (absl::StartsWith(line, "* ")) ++listed;
  }
  EXPECT_EQ(listed, kMaxDigestListedItems);
  EXPECT_THAT(digest.text_body, HasSubstr("Activities (125)"));
  EXPECT_THAT(digest.text_body, HasSubstr("Announcements (125)"));
  EXPECT_THAT(digest.text_body,
              HasSubstr("...and 50 more messages are waiting in your inbox."));
}

TEST(RenderDigestTest, SaysHowManyOlderMessagesDidNotFit) {
  const std::vector<v1::Notification> items = {
      Item(v1::TOPIC_CONCERNS, "Concern resolved", "Housing in Kærby")};
  const DigestText digest =
      RenderDigest("Jens", items, v1::DIGEST_FREQUENCY_DAILY,
                   Dk(2026, 6, 14, 10, 0), /*older_dropped=*/37);
  EXPECT_EQ(digest.subject, "Your daily Brobygger digest: 38 messages");
  EXPECT_THAT(digest.text_body,
              HasSubstr("...and 37 older messages that did not fit"));
}

TEST(RenderDigestTest, LongTextIsShortenedWithoutBreakingCharacters) {
  std::string long_body;
  for (int i = 0; i < 200; ++i) long_body += "Æblegrød på Ærø ";
  std::string long_title;
  for (int i = 0; i < 100; ++i) long_title += "ø";     // 2 bytes each
  long_title += "€€€";                                 // 3 bytes each
  for (int i = 0; i < 100; ++i) long_title += "🙂";  // 4 bytes each
  const DigestText digest =
      RenderDigest(std::string(500, 'N'),
                   {Item(v1::TOPIC_ACTIVITIES, long_title, long_body)},
                   v1::DIGEST_FREQUENCY_DAILY, Dk(2026, 6, 14, 10, 0));
  EXPECT_TRUE(IsValidUtf8(digest.text_body));
  EXPECT_LT(digest.text_body.size(), 2000u);
  for (absl::string_view line : absl::StrSplit(digest.text_body, '\n')) {
    if (absl::StartsWith(line, "* ")) {
      EXPECT_LE(line.size() - 2, kMaxDigestTitleBytes);
      EXPECT_TRUE(absl::EndsWith(line, "…"));
    }
    if (absl::StartsWith(line, "  Æblegrød")) {
      EXPECT_LE(line.size() - 2, kMaxDigestBodyBytes);
      // Cut at a word boundary.
      EXPECT_TRUE(absl::EndsWith(line, "Ærø…") || absl::EndsWith(line, "på…") ||
                  absl::EndsWith(line, "Æblegrød…"))
          << line;
    }
  }
}

TEST(RenderDigestTest, TitlesCannotBreakTheLayout) {
  const DigestText digest = RenderDigest(
      "Amina\r\nBcc: x@example.dk",
      {Item(v1::TOPIC_BROADCASTS, "Line one\n\nFake heading\n=====",
            "Body\twith\ttabs\r\nand lines")},
      v1::DIGEST_FREQUENCY_DAILY, Dk(2026, 6, 14, 10, 0));
  EXPECT_THAT(digest.text_body, HasSubstr("Hello Amina Bcc: x@example.dk,\n"));
  EXPECT_THAT(digest.text_body, HasSubstr("* Line one Fake heading =====\n"
                                          "  Body with tabs and lines\n"));
  EXPECT_EQ(digest.subject.find('\n'), std::string::npos);
}

TEST(ShortenUtf8Test, NeverSplitsACharacterAtAnyLength) {
  const std::string text =
      "aø€🙂 bø€🙂 cø€🙂 dø€🙂 eø€🙂";
  for (size_t max = 4; max <= text.size() + 1; ++max) {
    const std::string shortened = ShortenUtf8(text, max);
    EXPECT_LE(shortened.size(), max) << max;
    EXPECT_TRUE(IsValidUtf8(shortened)) << max;
  }
  EXPECT_EQ(ShortenUtf8("short", 10), "short");
  EXPECT_EQ(ShortenUtf8("aaaa bbbb cccc dddd eeee ffff", 20),
            "aaaa bbbb cccc…");
}

TEST(OneLineTest, CollapsesControlsAndSpaces) {
  EXPECT_EQ(OneLine("  a\r\n\tb   c \x7f"), "a b c");
  EXPECT_EQ(OneLine(""), "");
}

}  // namespace
}  // namespace brobygger::notifications
