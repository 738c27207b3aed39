#include "services/matching/volunteer_records.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/text/fold.h"
#include "services/matching/certificate_text.h"
#include "services/matching/match_access.h"

namespace brobygger::matching {
namespace {

// Days of service are Danish calendar days, as the periods' dates are.
const absl::TimeZone& Denmark() {
  static const absl::TimeZone* zone = [] {
    auto* tz = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/Copenhagen", tz)) *tz = absl::UTCTimeZone();
    return tz;
  }();
  return *zone;
}

absl::CivilDay DayOf(const registry::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

bool OlderFirst(const v1::ServicePeriod& a, const v1::ServicePeriod& b) {
  auto key = [](const v1::ServicePeriod& p) {
    return std::make_tuple(p.start_date().year(), p.start_date().month(),
                           p.start_date().day(), static_cast<int>(p.kind()),
                           p.match());
  };
  return key(a) < key(b);
}

// Calendar days covered by at least one period, so a volunteer with two
// matches at once does not get the same day twice; an open period counts
// up to `today`.
int DaysOfService(const std::vector<v1::ServicePeriod>& periods,
                  absl::CivilDay today) {
  std::vector<std::pair<absl::CivilDay, absl::CivilDay>> spans;
  for (const v1::ServicePeriod& period : periods) {
    const absl::CivilDay start = DayOf(period.start_date());
    const absl::CivilDay end =
        period.has_end_date() ? DayOf(period.end_date()) : today;
    if (end >= start) spans.emplace_back(start, end);
  }
  std::sort(spans.begin(), spans.end());
  int64_t days = 0;
  bool any = false;
  absl::CivilDay covered_to;  // the last day counted so far
  for (const auto& [start, end] : spans) {
    const absl::CivilDay from = any ? std::max(start, covered_to + 1) : start;
    if (end >= from) days += end - from + 1;
    if (!any || end > covered_to) covered_to = end;
    any = true;
  }
  return static_cast<int>(days);
}

absl::Status ValidateIssuer(absl::string_view issuer) {
  const int length = text::Utf8Length(issuer);
  if (length < 0 || length > kMaxIssuerLength) {
    return InvalidFieldError(
        "issuer", absl::StrCat("must be UTF-8 of at most ", kMaxIssuerLength,
                               " characters"));
  }
  // One line: a line break would let the issuer forge lines of the
  // plain-text certificate.
  for (const char c : issuer) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidFieldError("issuer",
                               "must be one line without control characters");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VolunteerRecords::CheckAccess(
    const auth::Principal& principal, const ParsedName& parsed,
    const std::optional<registry::v1::Actor>& volunteer) {
  if (IsStaff(principal)) return absl::OkStatus();
  if (principal.role == auth::Role::kVolunteer &&
      principal.subject == ActorName(parsed.municipality, parsed.id)) {
    return absl::OkStatus();
  }
  if (principal.role == auth::Role::kNgoApp && volunteer.has_value() &&
      !principal.organisation.empty() &&
      volunteer->parent() == principal.organisation) {
    return absl::OkStatus();
  }
  return PermissionDeniedError(
      "NOT_YOUR_RECORD",
      "a volunteer's record is for the volunteer, their organisation and the "
      "municipality's staff");
}

absl::StatusOr<v1::VolunteerRecord> VolunteerRecords::Load(
    const auth::Principal& principal, const ParsedName& parsed,
    absl::Time now) {
  const std::string& m = parsed.municipality;
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, m));
  ASSIGN_OR_RETURN(std::optional<registry::v1::Actor> volunteer,
                   projection_.FindVolunteer(m, parsed.id));
  // Access before existence, so a denied caller cannot probe which ids
  // matching knows.
  RETURN_IF_ERROR(CheckAccess(principal, parsed, volunteer));
  ASSIGN_OR_RETURN(std::vector<std::string> stored,
                   store_.ServicePeriods(m, parsed.id));
  const std::string record_name = VolunteerRecordName(m, parsed.id);
  if (stored.empty() && !volunteer.has_value()) {
    return ResourceNotFoundError(kVolunteerRecordType, record_name);
  }
  std::vector<v1::ServicePeriod> periods(stored.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    if (!periods[i].ParseFromString(stored[i])) {
      return absl::DataLossError(absl::StrCat("a stored service period of ",
                                              record_name, " does not parse"));
    }
  }
  std::sort(periods.begin(), periods.end(), OlderFirst);

  v1::VolunteerRecord record;
  record.set_name(record_name);
  record.set_volunteer(ActorName(m, parsed.id));
  if (volunteer.has_value()) record.set_display_name(volunteer->display_name());
  record.set_days_of_service(
      DaysOfService(periods, absl::ToCivilDay(now, Denmark())));
  for (v1::ServicePeriod& period : periods) {
    *record.add_periods() = std::move(period);
  }
  return record;
}

absl::StatusOr<v1::VolunteerRecord> VolunteerRecords::Get(
    const auth::Principal& principal, absl::string_view name, absl::Time now) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseVolunteerRecordName(name, "name"));
  return Load(principal, parsed, now);
}

absl::StatusOr<v1::VolunteerCertificate> VolunteerRecords::ExportCertificate(
    const auth::Principal& principal, absl::string_view name,
    absl::string_view format, absl::string_view issuer, absl::Time now) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseVolunteerRecordName(name, "name"));
  const bool html = format == "text/html";
  if (!html && !format.empty() && format != "text/plain") {
    return InvalidFieldError("format",
                             "must be \"text/plain\" (the default) or "
                             "\"text/html\"");
  }
  RETURN_IF_ERROR(ValidateIssuer(issuer));
  ASSIGN_OR_RETURN(v1::VolunteerRecord record, Load(principal, parsed, now));
  if (record.periods().empty()) {
    return PreconditionError("NO_SERVICE", record.name(),
                             "the volunteer has no period of service yet: one "
                             "of their matches must have become active");
  }
  CertificateContent content;
  // A volunteer who left the registry keeps their record; staff may still
  // print it, without the name matching no longer knows.
  content.volunteer_name =
      record.display_name().empty() ? "the volunteer" : record.display_name();
  content.issuer = issuer.empty() ? MunicipalityIssuer(parsed.municipality)
                                  : std::string(issuer);
  content.periods.assign(record.periods().begin(), record.periods().end());
  content.days_of_service = record.days_of_service();
  content.issued = absl::ToCivilDay(now, Denmark());

  v1::VolunteerCertificate certificate;
  certificate.set_content_type(html ? "text/html; charset=utf-8"
                                    : "text/plain; charset=utf-8");
  certificate.set_content(html ? CertificateHtml(content)
                               : CertificatePlainText(content));
  return certificate;
}

}  // namespace brobygger::matching
