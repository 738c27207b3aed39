// The rules an activity must satisfy, whoever sends it: required fields,
// limits on every size and count, the canonical form it is stored in, and
// which fields an update may touch.
#ifndef BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_RULES_H_
#define BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "common/api/field_mask.h"

namespace brobygger::catalogue {

inline constexpr int kMaxDisplayNameChars = 200;
inline constexpr int kMaxDescriptionChars = 5000;
inline constexpr int kMaxCoOrganisers = 20;
inline constexpr int kMaxTargetGroups = 10;
inline constexpr int kMaxLanguages = 20;
inline constexpr int kMaxAreaChars = 100;
inline constexpr int kMaxAddressChars = 300;
inline constexpr int kMaxParticipants = 100000;
inline constexpr int64_t kMaxPriceOre = 100'000'000;  // 1 million kroner
inline constexpr int kMaxAccessibilityChars = 2000;
inline constexpr int kMaxExternalIdChars = 200;
inline constexpr int kMaxCancelledOccurrences = 500;
inline constexpr int kMaxCancelReasonChars = 500;
inline constexpr int kMaxChildAge = 17;

// Checks `activity` (as it will be stored, in municipality `municipality`)
// and brings it into canonical form: schedule normalised (see
// ScheduleToProto), languages lower-cased, text trimmed. INVALID_ARGUMENT
// naming every offending field under `prefix` (e.g. "activity.place.area").
// Does not check that organisers exist (that needs the registry).
absl::Status ValidateAndNormalizeActivity(absl::string_view municipality,
                                          absl::string_view prefix,
                                          v1::Activity* activity);

// Fields clients never set, and fields fixed at creation.
const api::FieldMaskRules& ActivityMaskRules();

// True if the activity is visible to everyone in the municipality.
bool IsPublic(const v1::Activity& activity);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_RULES_H_
