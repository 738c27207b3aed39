// The proof of volunteer work, as a document a volunteer hands to an
// employer with their CV: who did what kind of volunteer work, when, for
// how many days, what that work involved, who issues it and when.
//
// Pure functions of what the certificate says, so they are tested without
// Redis. The text names no newcomer: it is read by strangers, and the
// people the volunteer helped are personal data (the periods' match names
// are never printed).
#ifndef BROBYGGER_SERVICES_MATCHING_CERTIFICATE_TEXT_H_
#define BROBYGGER_SERVICES_MATCHING_CERTIFICATE_TEXT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "brobygger/matching/v1/volunteer_record.pb.h"
#include "brobygger/matching/v1/volunteer_request.pb.h"
#include "brobygger/registry/v1/common.pb.h"

namespace brobygger::matching {

struct CertificateContent {
  std::string volunteer_name;
  std::string issuer;                      // e.g. "Kolding Municipality"
  std::vector<v1::ServicePeriod> periods;  // oldest first
  int days_of_service = 0;
  absl::CivilDay issued;  // the Danish date of issue
};

std::string CertificatePlainText(const CertificateContent& content);
// A whole HTML page; every interpolated text is HTML-escaped.
std::string CertificateHtml(const CertificateContent& content);

// "3 March 2026".
std::string DateInWords(const registry::v1::Date& date);
// "3 March 2026 – 2 September 2026", or "since 3 March 2026" while open.
std::string PeriodInWords(const v1::ServicePeriod& period);
// The role, for a reader who does not know the method: "mentor",
// "reception buddy (the reception corps: ...)".
std::string KindInWords(v1::MatchKind kind);
// One sentence on what the kind of work involves (empty for an
// unspecified kind).
std::string KindWorkSentence(v1::MatchKind kind);
// The default issuer, from the municipality id: "kolding" -> "Kolding
// Municipality", "ringkobing-skjern" -> "Ringkobing-Skjern Municipality".
std::string MunicipalityIssuer(absl::string_view municipality_id);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_CERTIFICATE_TEXT_H_
