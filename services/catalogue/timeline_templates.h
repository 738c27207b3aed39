// A municipality's reception timeline template, kept in the document store
// (one document per municipality), and the reception workshop's analysis
// of it or of a proposed change.
#ifndef BROBYGGER_SERVICES_CATALOGUE_TIMELINE_TEMPLATES_H_
#define BROBYGGER_SERVICES_CATALOGUE_TIMELINE_TEMPLATES_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/catalogue/v1/timeline.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/catalogue/catalogue_context.h"

namespace brobygger::catalogue {

// AnalyzeTimelineTemplateRequest.min_empty_weeks: 0 means the default; at
// most the whole span (kFirstWeek..kLastWeek is 35 weeks).
inline constexpr int kDefaultMinEmptyWeeks = 3;
inline constexpr int kMaxMinEmptyWeeks = 35;

class TimelineTemplates {
 public:
  explicit TimelineTemplates(CatalogueContext& ctx) : ctx_(ctx) {}

  // Anyone acting in the municipality. Before the first update: an empty
  // template with its name, max_new_items_per_week 3 and the etag of
  // "nothing stored yet", which Update accepts.
  absl::StatusOr<v1::TimelineTemplate> Get(const auth::Principal& principal,
                                           absl::string_view municipality);

  // Caseworkers and coordinators of the municipality. `mask` paths:
  // "items", "order_rules", "max_new_items_per_week" or "*"; `patch.name`
  // may be empty or must name this municipality's template; `patch.etag`,
  // when set, must be current (ABORTED otherwise). The merged template is
  // validated (INVALID_ARGUMENT naming "timeline_template...." fields) and
  // stored with a TimelineTemplateChanged event in the same write; the
  // first update creates the document.
  absl::StatusOr<v1::TimelineTemplate> Update(
      const auth::Principal& principal, absl::string_view municipality,
      const v1::TimelineTemplate& patch,
      const google::protobuf::FieldMask& mask);

  // Anyone acting in the municipality. Analyses `proposed` when not null
  // (validated, fields named "proposed...."; nothing is stored), else the
  // stored template. `min_empty_weeks`: 0 means 3, else 1..35.
  absl::StatusOr<v1::TimelineAnalysis> Analyze(
      const auth::Principal& principal, absl::string_view municipality,
      const v1::TimelineTemplate* proposed, int min_empty_weeks);

  // The stored template (or the empty default) without access checks, for
  // other domain classes (personal plans) that checked access themselves.
  absl::StatusOr<v1::TimelineTemplate> Load(absl::string_view municipality);

 private:
  struct Loaded {
    v1::TimelineTemplate timeline;  // Without etag.
    int64_t version = 0;            // 0: nothing stored yet.
  };
  absl::StatusOr<Loaded> LoadVersioned(absl::string_view municipality);

  CatalogueContext& ctx_;
};

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_TIMELINE_TEMPLATES_H_
