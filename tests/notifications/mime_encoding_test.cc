// The MIME encodings of e-mail: quoted-printable bodies and encoded-word
// headers must decode to exactly the text given and respect line limits.
#include "services/notifications/mime_encoding.h"

#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/notifications/mime_test_util.h"

namespace brobygger::notifications {
namespace {

using mime_test::DecodeEncodedWords;
using mime_test::DecodeQuotedPrintable;

std::vector<std::string> CrlfLines(absl::string_view text) {
  return absl::StrSplit(text, "\r\n");
}

TEST(QuotedPrintableTest, RoundTripsDanishTextAndAwkwardBytes) {
  const std::string text =
      "Kære Søren,\n"
      "\n"
      "Der er en ny aktivitet i Ålborg: \"Fællesspisning\" = hygge.\n"
      "Linje med mellemrum til sidst   \n"
      "Tab\tinde og til sidst\t\n"
      ".En linje der starter med punktum\n" +
      std::string(300, 'a') + "\n" + std::string(100, '\xC3') + "\n" +
      "Vh. Brobygger";
  const std::string encoded = EncodeQuotedPrintable(text);
  EXPECT_EQ(DecodeQuotedPrintable(encoded), text);
}

TEST(QuotedPrintableTest, KeepsLinesWithinSeventySixCharacters) {
  const std::string text = std::string(500, 'a') + "\n" +
                           std::string(200, '=') + "\n" +
                           std::string(120, '\xF8');
  for (const std::string& line : CrlfLines(EncodeQuotedPrintable(text))) {
    EXPECT_LE(line.size(), 76u) << line;
  }
}

TEST(QuotedPrintableTest, EscapesWhatMustBeEscaped) {
  EXPECT_EQ(EncodeQuotedPrintable("a=b"), "a=3Db");
  EXPECT_EQ(EncodeQuotedPrintable("æ"), "=C3=A6");
  EXPECT_EQ(EncodeQuotedPrintable("end \nnext\t"), "end=20\r\nnext=09");
  EXPECT_EQ(EncodeQuotedPrintable("a\r\nb\rc"), "a\r\nb=0Dc");
  EXPECT_EQ(EncodeQuotedPrintable("line\n"), "line\r\n");
  EXPECT_EQ(EncodeQuotedPrintable(""), "");
}

TEST(QuotedPrintableTest, NeverSplitsAnEscape) {
  // 74 letters then escapes: a soft break must come before "=C3", not
  // inside it.
  const std::string encoded =
      EncodeQuotedPrintable(std::string(74, 'a') + "ææ");
  EXPECT_EQ(encoded, std::string(74, 'a') + "=\r\n=C3=A6=C3=A6");
}

TEST(EncodedWordTest, LeavesPlainAsciiAlone) {
  EXPECT_EQ(EncodeHeaderText("New activity in Aalborg"),
            "New activity in Aalborg");
}

TEST(EncodedWordTest, EncodesNonAscii) {
  EXPECT_EQ(EncodeHeaderText("Ny aktivitet i Ålborg"),
            "=?UTF-8?B?TnkgYWt0aXZpdGV0IGkgw4VsYm9yZw==?=");
}

TEST(EncodedWordTest, EncodesAsciiThatLooksLikeAnEncodedWord) {
  const std::string encoded = EncodeHeaderText("=?UTF-8?B?aGVq?=");
  EXPECT_EQ(DecodeEncodedWords(encoded, nullptr), "=?UTF-8?B?aGVq?=");
}

TEST(EncodedWordTest, SplitsLongTextBetweenCharactersAndFolds) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "Bøger på dansk for børn og æsker, ";
  const std::string encoded = EncodeHeaderText(text);
  std::vector<std::string> words;
  EXPECT_EQ(DecodeEncodedWords(encoded, &words), text);
  EXPECT_GT(words.size(), 10u);
  for (const std::string& word : words) {
    // No word starts inside a character (a UTF-8 continuation byte).
    ASSERT_FALSE(word.empty());
    EXPECT_NE(static_cast<unsigned char>(word[0]) & 0xC0, 0x80) << word;
  }
  const std::vector<std::string> lines = CrlfLines("Subject: " + encoded);
  for (const std::string& line : lines) EXPECT_LE(line.size(), 78u) << line;
  for (size_t i = 1; i < lines.size(); ++i) EXPECT_EQ(lines[i][0], ' ');
}

TEST(DisplayNameTest, QuotesAsciiAndEncodesTheRest) {
  EXPECT_EQ(EncodeDisplayName("Brobygger Aalborg"), "\"Brobygger Aalborg\"");
  EXPECT_EQ(EncodeDisplayName("Say \"hi\" \\o/"), "\"Say \\\"hi\\\" \\\\o/\"");
  EXPECT_EQ(DecodeEncodedWords(EncodeDisplayName("Søren Ærø"), nullptr),
            "Søren Ærø");
}

TEST(Rfc5322DateTest, FormatsInUtcWithEnglishNames) {
  EXPECT_EQ(FormatRfc5322Date(absl::FromUnixSeconds(1700000000)),
            "Tue, 14 Nov 2023 22:13:20 +0000");
  EXPECT_EQ(FormatRfc5322Date(absl::FromUnixSeconds(0)),
            "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(FormatRfc5322Date(absl::FromCivil(
                absl::CivilSecond(2028, 2, 29, 7, 5, 9), absl::UTCTimeZone())),
            "Tue, 29 Feb 2028 07:05:09 +0000");
}

}  // namespace
}  // namespace brobygger::notifications
