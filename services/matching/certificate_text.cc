#include "services/matching/certificate_text.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace brobygger::matching {
namespace {

constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::string PeriodInWords(const v1::ServicePeriod& period) {
  return period.has_end_date()
             ? absl::StrCat(DateInWords(period.start_date()), " – ",
                            DateInWords(period.end_date()))
             : absl::StrCat("since ", DateInWords(period.start_date()));
}

std::string Escape(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"},
                                    {"<", "&lt;"},
                                    {">", "&gt;"},
                                    {"\"", "&quot;"},
                                    {"'", "&#39;"}});
}

std::string Issued(const CertificateContent& content) {
  registry::v1::Date date;
  date.set_year(static_cast<int32_t>(content.issued.year()));
  date.set_month(content.issued.month());
  date.set_day(content.issued.day());
  return DateInWords(date);
}

std::string Summary(const CertificateContent& content) {
  return absl::StrCat(content.volunteer_name,
                      " has done voluntary work in the reception of refugees "
                      "for ",
                      content.issuer, ", ", content.days_of_service,
                      content.days_of_service == 1 ? " day" : " days",
                      " in all.");
}

}  // namespace

std::string DateInWords(const registry::v1::Date& date) {
  const int month = date.month() >= 1 && date.month() <= 12 ? date.month() : 1;
  return absl::StrCat(date.day(), " ", kMonths[month - 1], " ", date.year());
}

std::string KindInWords(v1::MatchKind kind) {
  switch (kind) {
    case v1::MATCH_KIND_RECEPTION_BUDDY:
      return "reception buddy in the reception corps: guiding a newly "
             "arrived refugee through the first weeks (bus, bank, shops, "
             "doctor), often in the refugee's own language";
    case v1::MATCH_KIND_MENTOR:
      return "mentor: supporting a refugee in education, work and everyday "
             "life";
    case v1::MATCH_KIND_NETWORK_FAMILY:
      return "network family: including a refugee family in the everyday "
             "life of the local community";
    case v1::MATCH_KIND_FRIENDSHIP_FAMILY:
      return "friendship family: regular social contact with a refugee "
             "family";
    case v1::MATCH_KIND_LOCAL_WELCOME_CONTACT:
      return "local welcome contact: welcoming refugees placed in the town "
             "and introducing them to local life";
    default:
      return "volunteer";
  }
}

std::string MunicipalityIssuer(absl::string_view municipality_id) {
  std::string name(municipality_id);
  bool start = true;
  for (char& c : name) {
    if (start) c = absl::ascii_toupper(c);
    start = c == '-';
  }
  return absl::StrCat(name, " Municipality");
}

std::string CertificatePlainText(const CertificateContent& content) {
  std::string out =
      absl::StrCat("Proof of volunteer work\n\n", Summary(content), "\n\n");
  for (const v1::ServicePeriod& period : content.periods) {
    absl::StrAppend(&out, "- ", PeriodInWords(period), ": ",
                    KindInWords(period.kind()), "\n");
  }
  absl::StrAppend(&out, "\nIssued by ", content.issuer, " on ", Issued(content),
                  ".\n");
  return out;
}

std::string CertificateHtml(const CertificateContent& content) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
      "<title>Proof of volunteer work</title></head>\n<body>\n"
      "<h1>Proof of volunteer work</h1>\n<p>",
      Escape(Summary(content)), "</p>\n<ul>\n");
  for (const v1::ServicePeriod& period : content.periods) {
    absl::StrAppend(&out, "<li>", Escape(PeriodInWords(period)), ": ",
                    Escape(KindInWords(period.kind())), "</li>\n");
  }
  absl::StrAppend(&out, "</ul>\n<p>Issued by ", Escape(content.issuer), " on ",
                  Escape(Issued(content)), ".</p>\n</body>\n</html>\n");
  return out;
}

}  // namespace brobygger::matching
