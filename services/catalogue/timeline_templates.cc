#include "services/catalogue/timeline_templates.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/events.pb.h"
#include "common/api/field_mask.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/resource_io.h"
#include "services/catalogue/timeline_analysis.h"
#include "services/catalogue/timeline_convert.h"

namespace brobygger::catalogue {
namespace {

constexpr char kResourceType[] = "brobygger.catalogue.v1.TimelineTemplate";

const api::FieldMaskRules& UpdateRules() {
  static const auto* rules = new api::FieldMaskRules{
      .output_only = {"name", "etag", "update_time"}, .immutable = {}};
  return *rules;
}

// Keys embed the municipality, so it must be a well-formed id even where
// the principal (an operator) may act everywhere.
absl::Status RequireAccess(const auth::Principal& principal,
                           absl::string_view municipality) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  if (!api::IsValidMunicipalityId(municipality)) {
    return InvalidFieldError("municipality",
                             "is not a municipality id such as \"aalborg\"");
  }
  return absl::OkStatus();
}

// The timeline is the municipality's plan of its own reception work:
// organisations and volunteers see it, operators run the platform, and
// neither changes it. The edge's method policies say the same; this holds
// even for callers that bypass them.
absl::Status RequireEditor(const auth::Principal& principal) {
  if (principal.role == auth::Role::kCaseworker ||
      principal.role == auth::Role::kCoordinator) {
    return absl::OkStatus();
  }
  return PermissionDeniedError(
      "ROLE",
      "the reception timeline is kept by the municipality's caseworkers "
      "and coordinators; ask one of them to make the change");
}

v1::TimelineTemplate EmptyTemplate(absl::string_view municipality) {
  v1::TimelineTemplate timeline;
  timeline.set_name(TimelineTemplateName(municipality));
  timeline.set_max_new_items_per_week(kDefaultNewItemsPerWeek);
  return timeline;
}

v1::TimelineTemplate WithEtag(v1::TimelineTemplate timeline, int64_t version) {
  timeline.set_etag(store::EtagOf(version));
  return timeline;
}

}  // namespace

absl::StatusOr<TimelineTemplates::Loaded> TimelineTemplates::LoadVersioned(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(
      std::optional<store::Document> document,
      ctx_.store.Get(municipality, kTimelineCollection, kTimelineDocumentId));
  Loaded loaded;
  if (!document.has_value()) {
    loaded.timeline = EmptyTemplate(municipality);
    return loaded;
  }
  if (!loaded.timeline.ParseFromString(document->data)) {
    return absl::DataLossError(absl::StrCat("stored timeline template ",
                                            TimelineTemplateName(municipality),
                                            " does not parse"));
  }
  loaded.version = document->version;
  return loaded;
}

absl::StatusOr<v1::TimelineTemplate> TimelineTemplates::Load(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(Loaded loaded, LoadVersioned(municipality));
  return WithEtag(std::move(loaded.timeline), loaded.version);
}

absl::StatusOr<v1::TimelineTemplate> TimelineTemplates::Get(
    const auth::Principal& principal, absl::string_view municipality) {
  RETURN_IF_ERROR(RequireAccess(principal, municipality));
  return Load(municipality);
}

absl::StatusOr<v1::TimelineTemplate> TimelineTemplates::Update(
    const auth::Principal& principal, absl::string_view municipality,
    const v1::TimelineTemplate& patch,
    const google::protobuf::FieldMask& mask) {
  RETURN_IF_ERROR(RequireAccess(principal, municipality));
  RETURN_IF_ERROR(RequireEditor(principal));
  const std::string name = TimelineTemplateName(municipality);
  if (!patch.name().empty() && patch.name() != name) {
    return InvalidFieldError("timeline_template.name",
                             absl::StrCat("must be \"", name, "\" (or empty)"));
  }

  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Loaded current, LoadVersioned(municipality));
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), current.version, name,
                                     "timeline_template.etag"));
    v1::TimelineTemplate updated = current.timeline;
    RETURN_IF_ERROR(api::ApplyFieldMask(mask, patch, UpdateRules(), &updated));
    NormalizeTemplate(&updated);
    if (updated.max_new_items_per_week() == 0) {
      updated.set_max_new_items_per_week(kDefaultNewItemsPerWeek);
    }
    RETURN_IF_ERROR(
        ValidateTemplateProto(updated, municipality, "timeline_template"));

    const absl::Time now = absl::Now();
    updated.set_name(name);
    updated.clear_etag();
    *updated.mutable_update_time() = store::ToTimestamp(now);

    store::WriteSpec spec =
        store::VersionedWriteSpec(municipality, kTimelineCollection,
                                  kTimelineDocumentId, current.version);
    spec.data = updated.SerializeAsString();
    v1::TimelineTemplateChanged payload;
    *payload.mutable_timeline_template() =
        WithEtag(updated, current.version + 1);
    spec.event = events::MakeEvent(EventContextFor(principal), municipality,
                                   name, payload, now);

    // The first update creates the document (expected version 0).
    ASSIGN_OR_RETURN(store::WriteResult result, current.version == 0
                                                    ? ctx_.store.Create(spec)
                                                    : ctx_.store.Update(spec));
    using Outcome = store::WriteResult::Outcome;
    // Another first update won the race: to a caller with an etag that is
    // a changed version, to one without a reason to redo on top of it.
    if (result.outcome == Outcome::kAlreadyExists) {
      if (!patch.etag().empty()) return EtagMismatchError(name);
      if (attempt < store::kMaxWriteAttempts) continue;
    }
    if (store::ShouldRetryWrite(result, patch.etag(), attempt)) continue;
    RETURN_IF_ERROR(store::StoreOutcomeToStatus(result, kResourceType, name));
    return WithEtag(std::move(updated), result.version);
  }
}

absl::StatusOr<v1::TimelineAnalysis> TimelineTemplates::Analyze(
    const auth::Principal& principal, absl::string_view municipality,
    const v1::TimelineTemplate* proposed, int min_empty_weeks) {
  RETURN_IF_ERROR(RequireAccess(principal, municipality));
  if (min_empty_weeks == 0) min_empty_weeks = kDefaultMinEmptyWeeks;
  if (min_empty_weeks < 1 || min_empty_weeks > kMaxMinEmptyWeeks) {
    return InvalidFieldError(
        "min_empty_weeks",
        absl::StrCat("must be between 1 and ", kMaxMinEmptyWeeks,
                     " weeks (0 means ", kDefaultMinEmptyWeeks, ")"));
  }
  v1::TimelineTemplate timeline;
  if (proposed != nullptr) {
    timeline = *proposed;
    NormalizeTemplate(&timeline);
    RETURN_IF_ERROR(ValidateTemplateProto(timeline, municipality, "proposed"));
  } else {
    ASSIGN_OR_RETURN(timeline, Load(municipality));
  }
  return AnalysisToProto(
      AnalyzeTimeline(TemplateFromProto(timeline), min_empty_weeks));
}

}  // namespace brobygger::catalogue
