#include "services/matching/volunteer_records.h"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/text/fold.h"
#include "services/matching/certificate_text.h"
#include "services/matching/match_access.h"
#include "services/matching/matching_names.h"

namespace brobygger::matching {
namespace {

constexpr char kRecordType[] = "brobygger.matching.v1.VolunteerRecord";

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

auto SortKey(const v1::ServicePeriod& period) {
  return std::make_tuple(period.start_date().year(),
                         period.start_date().month(), period.start_date().day(),
                         static_cast<int>(period.kind()), period.match());
}

// Calendar days covered by at least one period; an open period counts up
// to `today`.
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
  std::optional<absl::CivilDay> covered_to;
  for (const auto& [start, end] : spans) {
    const absl::CivilDay from =
        covered_to.has_value() ? std::max(start, *covered_to + 1) : start;
    if (end >= from) days += end - from + 1;
    if (!covered_to.has_value() || end > *covered_to) covered_to = end;
  }
  return static_cast<int>(days);
}

}  // namespace

absl::StatusOr<v1::VolunteerRecord> VolunteerRecords::Get(
    const auth::Principal& principal, absl::string_view name, absl::Time now) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseVolunteerRecordName(name, "name"));
  const std::string& m = parsed.municipality;
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, m));
  const std::string volunteer = ActorName(m, parsed.id);
  ASSIGN_OR_RETURN(std::optional<registry::v1::Actor> actor,
                   projection_.FindVolunteer(m, parsed.id));
  const bool own = principal.role == auth::Role::kVolunteer &&
                   principal.subject == volunteer;
  const bool own_organisation = principal.role == auth::Role::kNgoApp &&
                                actor.has_value() &&
                                !principal.organisation.empty() &&
                                actor->parent() == principal.organisation;
  if (!IsStaff(principal) && !own && !own_organisation) {
    return PermissionDeniedError(
        "NOT_YOUR_RECORD",
        "a volunteer's record is for the volunteer, their organisation and "
        "the municipality's staff");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> stored,
                   store_.ServicePeriods(m, parsed.id));
  if (stored.empty() && !actor.has_value()) {
    return ResourceNotFoundError(kRecordType, name);
  }
  std::vector<v1::ServicePeriod> periods;
  periods.reserve(stored.size());
  for (const std::string& data : stored) {
    v1::ServicePeriod period;
    if (!period.ParseFromString(data)) {
      return absl::DataLossError(absl::StrCat("a stored service period of ",
                                              volunteer, " does not parse"));
    }
    periods.push_back(std::move(period));
  }
  std::sort(periods.begin(), periods.end(),
            [](const v1::ServicePeriod& a, const v1::ServicePeriod& b) {
              return SortKey(a) < SortKey(b);
            });
  v1::VolunteerRecord record;
  record.set_name(VolunteerRecordName(m, parsed.id));
  record.set_volunteer(volunteer);
  if (actor.has_value()) record.set_display_name(actor->display_name());
  record.set_days_of_service(
      DaysOfService(periods, absl::ToCivilDay(now, Denmark())));
  for (v1::ServicePeriod& period : periods) {
    *record.add_periods() = std::move(period);
  }
  return record;
}

absl::StatusOr<v1::VolunteerCertificate> VolunteerRecords::ExportCertificate(
    const auth::Principal& principal, absl::string_view name,
    absl::string_view format, absl::string_view issuer, absl::Time now) {
  const bool html = format == "text/html";
  if (!html && !format.empty() && format != "text/plain") {
    return InvalidFieldError("format",
                             "must be \"text/plain\" or \"text/html\"");
  }
  const int issuer_length = text::Utf8Length(issuer);
  if (issuer_length < 0 || issuer_length > kMaxIssuerLength) {
    return InvalidFieldError(
        "issuer", absl::StrCat("must be UTF-8 of at most ", kMaxIssuerLength,
                               " characters"));
  }
  ASSIGN_OR_RETURN(v1::VolunteerRecord record, Get(principal, name, now));
  if (record.periods().empty()) {
    return PreconditionError("NO_SERVICE", record.volunteer(),
                             "the volunteer has no period of service yet: a "
                             "match must have become active");
  }
  ASSIGN_OR_RETURN(ParsedName parsed, ParseVolunteerRecordName(name, "name"));
  CertificateContent content;
  content.volunteer_name =
      record.display_name().empty() ? "The volunteer" : record.display_name();
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
