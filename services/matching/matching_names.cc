#include "services/matching/matching_names.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace brobygger::matching {
namespace {

absl::StatusOr<ParsedName> ParseNumeric(absl::string_view name,
                                        absl::string_view pattern,
                                        absl::string_view field,
                                        absl::string_view example) {
  auto parts = api::ParseResourceName(name, pattern, field);
  if (!parts.ok() || !api::IsValidNumericId((*parts)[1])) {
    return InvalidFieldError(
        field, absl::StrCat("must be a name such as \"", example, "\""));
  }
  return ParsedName{(*parts)[0], (*parts)[1]};
}

}  // namespace

std::string VolunteerRequestName(absl::string_view municipality,
                                 absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/volunteerRequests/",
                      id);
}

std::string MatchName(absl::string_view municipality, absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/matches/", id);
}

std::string ActorName(absl::string_view municipality, absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/actors/", id);
}

std::string VolunteerRecordName(absl::string_view municipality,
                                absl::string_view actor_id) {
  return absl::StrCat("municipalities/", municipality, "/volunteerRecords/",
                      actor_id);
}

std::string SettingsName(absl::string_view municipality) {
  return absl::StrCat("municipalities/", municipality, "/matchingSettings");
}

absl::StatusOr<std::string> ParseParent(absl::string_view parent,
                                        absl::string_view field) {
  auto parts =
      api::ParseResourceName(parent, "municipalities/{municipality}", field);
  if (!parts.ok()) {
    return InvalidFieldError(
        field, "must be a municipality such as \"municipalities/aalborg\"");
  }
  return (*parts)[0];
}

absl::StatusOr<ParsedName> ParseVolunteerRequestName(absl::string_view name,
                                                     absl::string_view field) {
  return ParseNumeric(
      name, "municipalities/{municipality}/volunteerRequests/{request}", field,
      "municipalities/aalborg/volunteerRequests/12");
}

absl::StatusOr<ParsedName> ParseMatchName(absl::string_view name,
                                          absl::string_view field) {
  return ParseNumeric(name, "municipalities/{municipality}/matches/{match}",
                      field, "municipalities/aalborg/matches/12");
}

absl::StatusOr<ParsedName> ParseVolunteerRecordName(absl::string_view name,
                                                    absl::string_view field) {
  return ParseNumeric(name,
                      "municipalities/{municipality}/volunteerRecords/{actor}",
                      field, "municipalities/aalborg/volunteerRecords/12");
}

absl::StatusOr<std::string> ParseSettingsName(absl::string_view name,
                                              absl::string_view field) {
  auto parts = api::ParseResourceName(
      name, "municipalities/{municipality}/matchingSettings", field);
  if (!parts.ok()) {
    return InvalidFieldError(
        field,
        "must be a name such as \"municipalities/aalborg/matchingSettings\"");
  }
  return (*parts)[0];
}

absl::StatusOr<std::string> ParseActorId(absl::string_view name,
                                         absl::string_view municipality,
                                         absl::string_view field) {
  auto parts = api::ParseResourceName(
      name, "municipalities/{municipality}/actors/{actor}", field);
  if (!parts.ok() || (*parts)[0] != municipality ||
      !api::IsValidNumericId((*parts)[1])) {
    return InvalidFieldError(
        field, absl::StrCat("must name an actor of this municipality as the "
                            "registry does, e.g. \"municipalities/",
                            municipality, "/actors/12\""));
  }
  return (*parts)[1];
}

}  // namespace brobygger::matching
