// The proof of volunteer work: what it says, in plain text and HTML.
#include "services/matching/certificate_text.h"

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

CertificateContent Content() {
  CertificateContent content;
  content.volunteer_name = "Senait Tesfay";
  content.issuer = "Kolding Municipality";
  v1::ServicePeriod done;
  done.set_kind(v1::MATCH_KIND_RECEPTION_BUDDY);
  *done.mutable_start_date() = Date(2026, 3, 3);
  *done.mutable_end_date() = Date(2026, 9, 2);
  done.set_match("municipalities/kolding/matches/17");
  v1::ServicePeriod ongoing;
  ongoing.set_kind(v1::MATCH_KIND_MENTOR);
  *ongoing.mutable_start_date() = Date(2026, 10, 1);
  content.periods = {done, ongoing};
  content.days_of_service = 239;
  content.issued = absl::CivilDay(2026, 11, 24);
  return content;
}

TEST(CertificateTextTest, PlainTextNamesThePeriodsAndTheWork) {
  const std::string text = CertificatePlainText(Content());
  EXPECT_THAT(text, HasSubstr("Proof of volunteer work"));
  EXPECT_THAT(text, HasSubstr("Senait Tesfay"));
  EXPECT_THAT(text, HasSubstr("Kolding Municipality"));
  EXPECT_THAT(text, HasSubstr("3 March 2026 – 2 September 2026"));
  EXPECT_THAT(text, HasSubstr("since 1 October 2026"));
  EXPECT_THAT(text, HasSubstr("reception corps"));
  EXPECT_THAT(text, HasSubstr("239 days"));
  EXPECT_THAT(text, HasSubstr("24 November 2026"));
  EXPECT_THAT(text, Not(HasSubstr("matches/17")))
      << "the certificate never points at the newcomer's match";
}

TEST(CertificateTextTest, HtmlEscapesEveryText) {
  CertificateContent content = Content();
  content.volunteer_name = "<script>alert(1)</script>";
  content.issuer = "Ærø & Co";
  const std::string html = CertificateHtml(content);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("Ærø &amp; Co"));
  EXPECT_THAT(html, HasSubstr("<li>3 March 2026 – 2 September 2026"));
}

TEST(CertificateTextTest, IssuerFromTheMunicipalityId) {
  EXPECT_EQ(MunicipalityIssuer("kolding"), "Kolding Municipality");
  EXPECT_EQ(MunicipalityIssuer("ringkobing-skjern"),
            "Ringkobing-Skjern Municipality");
}

}  // namespace
}  // namespace brobygger::matching
