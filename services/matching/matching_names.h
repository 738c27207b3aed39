// Resource names of the matching service and of the actors it refers to.
#ifndef BROBYGGER_SERVICES_MATCHING_MATCHING_NAMES_H_
#define BROBYGGER_SERVICES_MATCHING_MATCHING_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace brobygger::matching {

inline constexpr char kVolunteerRequestType[] =
    "brobygger.matching.v1.VolunteerRequest";
inline constexpr char kMatchType[] = "brobygger.matching.v1.Match";

// A parsed name: its municipality and the id of its last segment.
struct ParsedName {
  std::string municipality;
  std::string id;
};

std::string VolunteerRequestName(absl::string_view municipality,
                                 absl::string_view id);
std::string MatchName(absl::string_view municipality, absl::string_view id);
std::string ActorName(absl::string_view municipality, absl::string_view id);
std::string VolunteerRecordName(absl::string_view municipality,
                                absl::string_view actor_id);
std::string SettingsName(absl::string_view municipality);

// "municipalities/{m}" -> m; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> ParseParent(absl::string_view parent,
                                        absl::string_view field);
// INVALID_ARGUMENT naming `field` unless the name has the resource's
// pattern with a numeric id.
absl::StatusOr<ParsedName> ParseVolunteerRequestName(absl::string_view name,
                                                     absl::string_view field);
absl::StatusOr<ParsedName> ParseMatchName(absl::string_view name,
                                          absl::string_view field);
absl::StatusOr<ParsedName> ParseVolunteerRecordName(absl::string_view name,
                                                    absl::string_view field);
absl::StatusOr<std::string> ParseSettingsName(absl::string_view name,
                                              absl::string_view field);
// An actor of `municipality` ("municipalities/aalborg/actors/12").
absl::StatusOr<std::string> ParseActorId(absl::string_view name,
                                         absl::string_view municipality,
                                         absl::string_view field);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCHING_NAMES_H_
