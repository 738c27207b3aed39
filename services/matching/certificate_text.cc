#include "services/matching/certificate_text.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace brobygger::matching {
namespace {

constexpr char kTitle[] = "Proof of volunteer work";

constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::string DayInWords(int64_t year, int month, int day) {
  if (month < 1 || month > 12) return absl::StrCat(year, "-", month, "-", day);
  return absl::StrCat(day, " ", kMonths[month - 1], " ", year);
}

std::string HtmlEscape(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"},
                                    {"<", "&lt;"},
                                    {">", "&gt;"},
                                    {"\"", "&quot;"},
                                    {"'", "&#39;"}});
}

// Both renderings say the same sentences; only the markup differs.

std::string Confirmation(const CertificateContent& content) {
  return absl::StrCat("This confirms that ", content.volunteer_name,
                      " has done volunteer work in the reception of newly "
                      "arrived refugees.");
}

std::string PeriodLine(const v1::ServicePeriod& period) {
  return absl::StrCat(PeriodInWords(period), ": ", KindInWords(period.kind()));
}

std::string Total(const CertificateContent& content) {
  return absl::StrCat("In all ", content.days_of_service,
                      content.days_of_service == 1 ? " day" : " days",
                      " of volunteer service.");
}

// One sentence per kind of work done, in the order first done.
std::vector<std::string> WorkSentences(const CertificateContent& content) {
  std::vector<v1::MatchKind> kinds;
  std::vector<std::string> sentences;
  for (const v1::ServicePeriod& period : content.periods) {
    if (std::find(kinds.begin(), kinds.end(), period.kind()) != kinds.end()) {
      continue;
    }
    kinds.push_back(period.kind());
    std::string sentence = KindWorkSentence(period.kind());
    if (!sentence.empty()) sentences.push_back(std::move(sentence));
  }
  return sentences;
}

std::string Issued(const CertificateContent& content) {
  return absl::StrCat("Issued by ", content.issuer, " on ",
                      DayInWords(content.issued.year(), content.issued.month(),
                                 content.issued.day()),
                      ".");
}

}  // namespace

std::string DateInWords(const registry::v1::Date& date) {
  return DayInWords(date.year(), date.month(), date.day());
}

std::string PeriodInWords(const v1::ServicePeriod& period) {
  if (!period.has_end_date()) {
    return absl::StrCat("since ", DateInWords(period.start_date()));
  }
  return absl::StrCat(DateInWords(period.start_date()), " – ",
                      DateInWords(period.end_date()));
}

std::string KindInWords(v1::MatchKind kind) {
  switch (kind) {
    case v1::MATCH_KIND_RECEPTION_BUDDY:
      return "reception buddy (the reception corps: guiding a newly arrived "
             "refugee in their first weeks)";
    case v1::MATCH_KIND_MENTOR:
      return "mentor";
    case v1::MATCH_KIND_NETWORK_FAMILY:
      return "network family";
    case v1::MATCH_KIND_FRIENDSHIP_FAMILY:
      return "friendship family";
    case v1::MATCH_KIND_LOCAL_WELCOME_CONTACT:
      return "local welcome contact";
    default:
      return "volunteer";
  }
}

std::string KindWorkSentence(v1::MatchKind kind) {
  switch (kind) {
    case v1::MATCH_KIND_RECEPTION_BUDDY:
      return "A reception buddy guides a newly arrived refugee through the "
             "first weeks in Denmark, showing them how to take the bus, use "
             "the bank, shop and see the doctor, often in the refugee's own "
             "language.";
    case v1::MATCH_KIND_MENTOR:
      return "A mentor supports a refugee over months in finding their way "
             "in education, work and everyday life.";
    case v1::MATCH_KIND_NETWORK_FAMILY:
      return "A network family includes a refugee family in its everyday "
             "life and helps it build a network in the local community.";
    case v1::MATCH_KIND_FRIENDSHIP_FAMILY:
      return "A friendship family keeps regular social contact with a "
             "refugee family and shares everyday life in Denmark with it.";
    case v1::MATCH_KIND_LOCAL_WELCOME_CONTACT:
      return "A local welcome contact welcomes the refugees placed in their "
             "town and introduces them to its associations, activities and "
             "people.";
    default:
      return "";
  }
}

std::string MunicipalityIssuer(absl::string_view municipality_id) {
  std::string name(municipality_id);
  bool word_start = true;
  for (char& c : name) {
    if (word_start) c = absl::ascii_toupper(static_cast<unsigned char>(c));
    word_start = c == '-' || c == ' ';
  }
  return absl::StrCat(name, " Municipality");
}

std::string CertificatePlainText(const CertificateContent& content) {
  std::string out = absl::StrCat(kTitle, "\n\n", Confirmation(content),
                                 "\n\nPeriods of service:\n");
  for (const v1::ServicePeriod& period : content.periods) {
    absl::StrAppend(&out, "- ", PeriodLine(period), "\n");
  }
  absl::StrAppend(&out, "\n", Total(content), "\n");
  const std::vector<std::string> sentences = WorkSentences(content);
  if (!sentences.empty()) {
    absl::StrAppend(&out, "\nWhat the work involved:\n");
    for (const std::string& sentence : sentences) {
      absl::StrAppend(&out, "- ", sentence, "\n");
    }
  }
  absl::StrAppend(&out, "\n", Issued(content), "\n");
  return out;
}

std::string CertificateHtml(const CertificateContent& content) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>",
      kTitle, "</title>\n</head>\n<body>\n<h1>", kTitle, "</h1>\n<p>",
      HtmlEscape(Confirmation(content)),
      "</p>\n<h2>Periods of service</h2>\n<ul>\n");
  for (const v1::ServicePeriod& period : content.periods) {
    absl::StrAppend(&out, "<li>", HtmlEscape(PeriodLine(period)), "</li>\n");
  }
  absl::StrAppend(&out, "</ul>\n<p>", HtmlEscape(Total(content)), "</p>\n");
  const std::vector<std::string> sentences = WorkSentences(content);
  if (!sentences.empty()) {
    absl::StrAppend(&out, "<h2>What the work involved</h2>\n<ul>\n");
    for (const std::string& sentence : sentences) {
      absl::StrAppend(&out, "<li>", HtmlEscape(sentence), "</li>\n");
    }
    absl::StrAppend(&out, "</ul>\n");
  }
  absl::StrAppend(&out, "<p>", HtmlEscape(Issued(content)),
                  "</p>\n</body>\n</html>\n");
  return out;
}

}  // namespace brobygger::matching
