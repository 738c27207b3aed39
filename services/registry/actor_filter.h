// The ListActors filter: which restrictions exist, how an actor matches
// them, and which index narrows the scan.
#ifndef BROBYGGER_SERVICES_REGISTRY_ACTOR_FILTER_H_
#define BROBYGGER_SERVICES_REGISTRY_ACTOR_FILTER_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/registry/v1/actor.pb.h"

namespace brobygger::registry {

struct ActorFilter {
  std::optional<v1::ActorKind> kind;
  std::optional<std::string> area;           // folded
  std::optional<std::string> language;       // lowercase code
  std::optional<std::string> mother_tongue;  // lowercase code
  std::optional<std::string> competence;     // lowercase tag
  std::optional<std::string> interest;       // lowercase tag
  std::optional<std::string> parent;         // actor name
  std::optional<bool> former_refugee;
  std::optional<absl::Time> available_at;
  std::vector<std::string> name_words;  // folded words

  bool Matches(const v1::Actor& actor) const;

  // The (index field, value) pairs whose index holds every match; the
  // caller scans the smallest. Empty: scan everything.
  std::vector<std::pair<std::string, std::string>> IndexCandidates() const;
};

// Parses an AIP-160 filter (see ListActorsRequest.filter). Unknown fields
// and bad values are INVALID_ARGUMENT naming "filter".
absl::StatusOr<ActorFilter> ParseActorFilter(absl::string_view filter);

// The index entries (field, value) an actor is listed under; the same
// field names as IndexCandidates(). The store keeps one sorted set per pair.
std::vector<std::pair<std::string, std::string>> ActorIndexTerms(
    const v1::Actor& actor);

// True if one of the weekly windows covers `time` in Europe/Copenhagen.
bool AvailableAt(const v1::Actor& actor, absl::Time time);

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_ACTOR_FILTER_H_
