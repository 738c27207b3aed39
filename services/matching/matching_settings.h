// A municipality's matching settings: the weights of the criteria per
// kind of match and the time volunteers have to answer a proposal.
// Coordinators change them; until then the documented defaults apply.
#ifndef BROBYGGER_SERVICES_MATCHING_MATCHING_SETTINGS_H_
#define BROBYGGER_SERVICES_MATCHING_MATCHING_SETTINGS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/matching/v1/settings.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/matching/matching_context.h"

namespace brobygger::matching {

inline constexpr absl::Duration kDefaultProposalTimeout = absl::Hours(72);
inline constexpr absl::Duration kMinProposalTimeout = absl::Hours(1);
inline constexpr absl::Duration kMaxProposalTimeout = absl::Hours(24 * 30);

class MatchingSettingsStore {
 public:
  explicit MatchingSettingsStore(MatchingContext& ctx) : ctx_(ctx) {}

  // The stored settings, or the defaults (with every kind's weights
  // listed, so callers see what applies).
  absl::StatusOr<v1::MatchingSettings> Load(absl::string_view municipality);
  absl::StatusOr<v1::MatchingSettings> Get(const auth::Principal& principal,
                                           absl::string_view name);
  absl::StatusOr<v1::MatchingSettings> Update(
      const auth::Principal& principal, const v1::MatchingSettings& patch,
      const google::protobuf::FieldMask& mask);

 private:
  MatchingContext& ctx_;
};

// The proposal timeout the settings give (the default for 0).
absl::Duration ProposalTimeout(const v1::MatchingSettings& settings);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCHING_SETTINGS_H_
