// The proof of volunteer work, as text a volunteer can hand to an
// employer: who, for whom, what kind of work, when, how many days. It
// names no newcomer.
#ifndef BROBYGGER_SERVICES_MATCHING_CERTIFICATE_TEXT_H_
#define BROBYGGER_SERVICES_MATCHING_CERTIFICATE_TEXT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "brobygger/matching/v1/volunteer_record.pb.h"

namespace brobygger::matching {

struct CertificateContent {
  std::string volunteer_name;
  std::string issuer;                      // e.g. "Kolding Municipality"
  std::vector<v1::ServicePeriod> periods;  // oldest first
  int days_of_service = 0;
  absl::CivilDay issued;
};

std::string CertificatePlainText(const CertificateContent& content);
// Every interpolated text is HTML-escaped.
std::string CertificateHtml(const CertificateContent& content);

// "3 March 2026".
std::string DateInWords(const registry::v1::Date& date);
// What the kind of service involved, in a sentence's words.
std::string KindInWords(v1::MatchKind kind);
// "Kolding Municipality" from "kolding", "Ringkobing-Skjern Municipality"
// from "ringkobing-skjern".
std::string MunicipalityIssuer(absl::string_view municipality_id);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_CERTIFICATE_TEXT_H_
