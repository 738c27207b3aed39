// The proof of volunteer work as an employer reads it: the volunteer, the
// periods in words, the total, what the work involved, the issuer and the
// date, in plain text and in HTML that no name can break out of. No
// newcomer is ever named.
#include "services/matching/certificate_text.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::matching {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

registry::v1::Date Date(int year, int month, int day) {
  registry::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

v1::ServicePeriod Period(v1::MatchKind kind, registry::v1::Date start,
                         const registry::v1::Date* end, std::string match) {
  v1::ServicePeriod period;
  period.set_kind(kind);
  *period.mutable_start_date() = start;
  if (end != nullptr) *period.mutable_end_date() = *end;
  period.set_match(std::move(match));
  return period;
}

// A reception buddy from March to September, then a mentor since October.
CertificateContent Content() {
  CertificateContent content;
  content.volunteer_name = "Senait Tesfay";
  content.issuer = "Kolding Municipality";
  const registry::v1::Date september = Date(2026, 9, 2);
  content.periods = {Period(v1::MATCH_KIND_RECEPTION_BUDDY, Date(2026, 3, 3),
                            &september, "municipalities/kolding/matches/4711"),
                     Period(v1::MATCH_KIND_MENTOR, Date(2026, 10, 1), nullptr,
                            "municipalities/kolding/matches/5813")};
  content.days_of_service = 239;
  content.issued = absl::CivilDay(2026, 11, 24);
  return content;
}

TEST(CertificateTextTest, DatesInWords) {
  EXPECT_EQ(DateInWords(Date(2026, 3, 3)), "3 March 2026");
  EXPECT_EQ(DateInWords(Date(2027, 12, 31)), "31 December 2027");
  const registry::v1::Date end = Date(2026, 9, 2);
  EXPECT_EQ(
      PeriodInWords(Period(v1::MATCH_KIND_MENTOR, Date(2026, 3, 3), &end, "")),
      "3 March 2026 – 2 September 2026");
  EXPECT_EQ(PeriodInWords(
                Period(v1::MATCH_KIND_MENTOR, Date(2026, 3, 3), nullptr, "")),
            "since 3 March 2026");
}

TEST(CertificateTextTest, KindsInWordsAndWhatTheWorkInvolved) {
  EXPECT_EQ(KindInWords(v1::MATCH_KIND_RECEPTION_BUDDY),
            "reception buddy (the reception corps: guiding a newly arrived "
            "refugee in their first weeks)");
  EXPECT_EQ(KindInWords(v1::MATCH_KIND_MENTOR), "mentor");
  EXPECT_EQ(KindInWords(v1::MATCH_KIND_NETWORK_FAMILY), "network family");
  EXPECT_EQ(KindInWords(v1::MATCH_KIND_FRIENDSHIP_FAMILY), "friendship family");
  EXPECT_EQ(KindInWords(v1::MATCH_KIND_LOCAL_WELCOME_CONTACT),
            "local welcome contact");
  for (v1::MatchKind kind :
       {v1::MATCH_KIND_RECEPTION_BUDDY, v1::MATCH_KIND_MENTOR,
        v1::MATCH_KIND_NETWORK_FAMILY, v1::MATCH_KIND_FRIENDSHIP_FAMILY,
        v1::MATCH_KIND_LOCAL_WELCOME_CONTACT}) {
    EXPECT_THAT(KindWorkSentence(kind), HasSubstr(" refugee"))
        << "kind " << kind << " says what the work was";
  }
}

TEST(CertificateTextTest, PlainTextSaysWhoWhatWhenAndHowLong) {
  const std::string text = CertificatePlainText(Content());
  EXPECT_EQ(text.rfind("Proof of volunteer work", 0), 0u) << text;
  EXPECT_THAT(text, HasSubstr("Senait Tesfay"));
  EXPECT_THAT(text, HasSubstr("3 March 2026 – 2 September 2026: reception "
                              "buddy (the reception corps"));
  EXPECT_THAT(text, HasSubstr("since 1 October 2026: mentor"));
  EXPECT_THAT(text, HasSubstr("239 days"));
  EXPECT_THAT(text,
              HasSubstr(KindWorkSentence(v1::MATCH_KIND_RECEPTION_BUDDY)));
  EXPECT_THAT(text, HasSubstr(KindWorkSentence(v1::MATCH_KIND_MENTOR)));
  EXPECT_THAT(
      text, Not(HasSubstr(KindWorkSentence(v1::MATCH_KIND_FRIENDSHIP_FAMILY))))
      << "only the kinds of work done are explained";
  EXPECT_THAT(text, HasSubstr("Issued by Kolding Municipality on 24 November "
                              "2026"));
}

TEST(CertificateTextTest, NeverNamesTheMatchOrTheNewcomer) {
  for (const std::string& document :
       {CertificatePlainText(Content()), CertificateHtml(Content())}) {
    EXPECT_THAT(document, Not(HasSubstr("matches/")));
    EXPECT_THAT(document, Not(HasSubstr("4711")));
    EXPECT_THAT(document, Not(HasSubstr("5813")));
  }
}

TEST(CertificateTextTest, ExplainsAKindOnceWhenDoneTwice) {
  CertificateContent content = Content();
  content.periods[1].set_kind(v1::MATCH_KIND_RECEPTION_BUDDY);
  const std::string text = CertificatePlainText(content);
  const std::string sentence = KindWorkSentence(v1::MATCH_KIND_RECEPTION_BUDDY);
  const size_t first = text.find(sentence);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(text.find(sentence, first + 1), std::string::npos);
}

TEST(CertificateTextTest, OneDayIsSingular) {
  CertificateContent content = Content();
  content.days_of_service = 1;
  EXPECT_THAT(CertificatePlainText(content), HasSubstr("In all 1 day of"));
}

TEST(CertificateTextTest, HtmlEscapesEveryInterpolatedText) {
  CertificateContent content = Content();
  content.volunteer_name = "<script>alert(\"x\")</script>";
  content.issuer = "Ærø & Co";
  const std::string html = CertificateHtml(content);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&quot;x&quot;)"
                              "&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("Ærø &amp; Co"));
  EXPECT_THAT(html, Not(HasSubstr("Ærø & Co")));
  EXPECT_THAT(html, HasSubstr("<h1>Proof of volunteer work</h1>"));
  EXPECT_THAT(html, HasSubstr("<li>3 March 2026 – 2 September 2026"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
}

TEST(CertificateTextTest, IssuerFromTheMunicipalityId) {
  EXPECT_EQ(MunicipalityIssuer("kolding"), "Kolding Municipality");
  EXPECT_EQ(MunicipalityIssuer("aalborg"), "Aalborg Municipality");
  EXPECT_EQ(MunicipalityIssuer("ringkobing-skjern"),
            "Ringkobing-Skjern Municipality");
}

}  // namespace
}  // namespace brobygger::matching
