#include "services/matching/matching_settings.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "brobygger/matching/v1/events.pb.h"
#include "common/api/field_mask.h"
#include "common/auth/authorizer.h"
#include "common/events/event_bus.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/resource_io.h"
#include "google/protobuf/util/time_util.h"
#include "services/matching/default_weights.h"
#include "services/matching/match_access.h"
#include "services/matching/matching_names.h"

namespace brobygger::matching {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kSettingsType[] = "brobygger.matching.v1.MatchingSettings";

// Every kind with the weights that apply to it.
void ListEveryKind(v1::MatchingSettings* settings) {
  std::set<int> listed;
  for (const v1::KindWeights& entry : settings->weights()) {
    listed.insert(entry.kind());
  }
  for (int kind = v1::MatchKind_MIN + 1; kind <= v1::MatchKind_MAX; ++kind) {
    if (!v1::MatchKind_IsValid(kind) || listed.contains(kind)) continue;
    v1::KindWeights* entry = settings->add_weights();
    entry->set_kind(static_cast<v1::MatchKind>(kind));
    *entry->mutable_weights() = DefaultWeights(entry->kind());
  }
}

absl::Status CheckSettings(const v1::MatchingSettings& settings) {
  FieldViolations violations;
  std::set<int> kinds;
  for (int i = 0; i < settings.weights_size(); ++i) {
    const v1::KindWeights& entry = settings.weights(i);
    const std::string field =
        absl::StrCat("matching_settings.weights[", i, "]");
    if (entry.kind() == v1::MATCH_KIND_UNSPECIFIED ||
        !v1::MatchKind_IsValid(entry.kind())) {
      violations.Add(absl::StrCat(field, ".kind"), "must be a kind of match");
    } else if (!kinds.insert(entry.kind()).second) {
      violations.Add(absl::StrCat(field, ".kind"),
                     "is listed twice; give each kind one entry");
    }
    CheckWeights(entry.weights(), absl::StrCat(field, ".weights"), &violations);
  }
  if (settings.has_proposal_timeout()) {
    const absl::Duration timeout =
        absl::Seconds(TimeUtil::DurationToSeconds(settings.proposal_timeout()));
    if (timeout != absl::ZeroDuration() &&
        (timeout < kMinProposalTimeout || timeout > kMaxProposalTimeout)) {
      violations.Add("matching_settings.proposal_timeout",
                     "must be between 1 hour and 30 days (0 for 72 hours)");
    }
  }
  return violations.ToStatus();
}

}  // namespace

absl::Duration ProposalTimeout(const v1::MatchingSettings& settings) {
  const int64_t seconds =
      TimeUtil::DurationToSeconds(settings.proposal_timeout());
  return seconds <= 0 ? kDefaultProposalTimeout : absl::Seconds(seconds);
}

absl::StatusOr<v1::MatchingSettings> MatchingSettingsStore::Load(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(
      auto document,
      ctx_.store.Get(municipality, kSettingsCollection, kSettingsDocumentId));
  v1::MatchingSettings settings;
  if (document.has_value()) {
    if (!settings.ParseFromString(document->data)) {
      return absl::DataLossError(absl::StrCat("stored matching settings of ",
                                              municipality, " do not parse"));
    }
    settings.set_etag(store::EtagOf(document->version));
  }
  settings.set_name(SettingsName(municipality));
  ListEveryKind(&settings);
  return settings;
}

absl::StatusOr<v1::MatchingSettings> MatchingSettingsStore::Get(
    const auth::Principal& principal, absl::string_view name) {
  ASSIGN_OR_RETURN(std::string municipality, ParseSettingsName(name, "name"));
  RETURN_IF_ERROR(RequireStaff(principal, municipality));
  return Load(municipality);
}

absl::StatusOr<v1::MatchingSettings> MatchingSettingsStore::Update(
    const auth::Principal& principal, const v1::MatchingSettings& patch,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(std::string municipality,
                   ParseSettingsName(patch.name(), "matching_settings.name"));
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  if (principal.role != auth::Role::kCoordinator) {
    return PermissionDeniedError(
        "ROLE", "the matching weights are the coordinators' decision");
  }
  static const api::FieldMaskRules* rules =
      new api::FieldMaskRules{{"name", "etag", "update_time"}, {}};
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(
        auto document,
        ctx_.store.Get(municipality, kSettingsCollection, kSettingsDocumentId));
    v1::MatchingSettings current;
    int64_t version = 0;
    if (document.has_value()) {
      if (!current.ParseFromString(document->data)) {
        return absl::DataLossError("stored matching settings do not parse");
      }
      version = document->version;
    }
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), version, patch.name(),
                                     "matching_settings.etag"));
    v1::MatchingSettings updated = current;
    RETURN_IF_ERROR(api::ApplyFieldMask(mask, patch, *rules, &updated));
    RETURN_IF_ERROR(CheckSettings(updated));
    updated.set_name(SettingsName(municipality));
    updated.clear_etag();
    *updated.mutable_update_time() = store::ToTimestamp(absl::Now());

    store::WriteSpec spec = store::VersionedWriteSpec(
        municipality, kSettingsCollection, kSettingsDocumentId, version);
    spec.data = updated.SerializeAsString();
    v1::MatchingSettingsChanged payload;
    *payload.mutable_matching_settings() = updated;
    spec.event = events::MakeEvent(EventContextFor(principal), municipality,
                                   updated.name(), payload);
    ASSIGN_OR_RETURN(store::WriteResult result, version == 0
                                                    ? ctx_.store.Create(spec)
                                                    : ctx_.store.Update(spec));
    if (result.outcome == store::WriteResult::Outcome::kOk) {
      updated.set_etag(store::EtagOf(result.version));
      ListEveryKind(&updated);
      return updated;
    }
    const bool lost_race =
        result.outcome == store::WriteResult::Outcome::kConflict ||
        result.outcome == store::WriteResult::Outcome::kAlreadyExists;
    if (!lost_race) {
      return store::StoreOutcomeToStatus(result, kSettingsType, patch.name());
    }
    if (!patch.etag().empty()) return EtagMismatchError(patch.name());
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError("the settings kept changing; retry");
    }
  }
}

}  // namespace brobygger::matching
