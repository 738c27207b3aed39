// The rules of actors that do not depend on storage: what a valid actor
// is, how it is normalised, what counts as a duplicate and which sector an
// actor belongs to.
#ifndef BROBYGGER_SERVICES_REGISTRY_ACTOR_RULES_H_
#define BROBYGGER_SERVICES_REGISTRY_ACTOR_RULES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/forum.pb.h"
#include "brobygger/registry/v1/municipality.pb.h"
#include "common/api/field_checks.h"
#include "common/status/errors.h"

namespace brobygger::registry {

namespace v1 = ::brobygger::registry::v1;

// Limits (also documented in actor.proto).
inline constexpr int kMaxDisplayName = 200;
inline constexpr int kMaxDescription = 4000;
inline constexpr int kMaxAreas = 20;
inline constexpr int kMaxAreaLength = 100;
inline constexpr int kMaxLanguages = 20;
inline constexpr int kMaxTags = 50;
inline constexpr int kMaxTagLength = api::kMaxTagLength;
inline constexpr int kMaxAvailability = 28;
inline constexpr int kMaxContactChannels = 10;
inline constexpr int kMaxContactValue = 256;
inline constexpr int kMaxNeeds = 30;
inline constexpr int kMaxChildren = 20;
inline constexpr int kMaxCapacity = 20;

// Trims names, lowercases and de-duplicates tags (competences, interests,
// needs), lowercases language codes, and for newcomers derives the
// display name from first and family name when it is empty.
void NormalizeActor(v1::Actor* actor);

// Checks every client-settable field of `actor` (already normalised) and
// adds a violation per offending field, named under `prefix` (e.g.
// "actor"). `municipality` gives the allowed areas. References (parent,
// caseworker) are only checked for shape and tenancy here; their existence
// is checked by the store.
void ValidateActor(const v1::Actor& actor, absl::string_view municipality_id,
                   const v1::Municipality& municipality,
                   absl::string_view prefix, FieldViolations* violations);

// Checks a contact channel list (shared with contact points).
void ValidateContactChannel(const v1::ContactChannel& channel,
                            const std::string& field,
                            FieldViolations* violations);
// Checks a weekly window (shared with forum meeting times).
void ValidateWeeklyWindow(const v1::WeeklyWindow& window,
                          const std::string& field,
                          FieldViolations* violations);
// Checks a list of areas against the municipality's areas.
void ValidateAreas(const google::protobuf::RepeatedPtrField<std::string>& areas,
                   const v1::Municipality& municipality,
                   const std::string& field, FieldViolations* violations);

// Actors that are organisations (may be a parent, may run activities).
bool IsOrganisation(v1::ActorKind kind);
// Municipal actors vs civil society (forum representation).
v1::Sector SectorOf(v1::ActorKind kind);
// "VOLUNTEER" for ACTOR_KIND_VOLUNTEER, as used in filters.
absl::string_view KindFilterName(v1::ActorKind kind);

// The duplicate-detection keys of an actor: one per area (or one without
// area): "<kind>|<folded display name>|<folded area>".
std::vector<std::string> DuplicateKeys(const v1::Actor& actor);

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_ACTOR_RULES_H_
