// The reception timeline between its API form (brobygger.catalogue.v1
// protos) and the proto-free structs of timeline_analysis.h, plus the
// checks only the API form needs (id charset, activity references) and the
// field paths its errors name.
//
// Dates use the text forms of local_time_text.h (ParseLocalDate,
// FormatLocalDate: "YYYY-MM-DD"), included here for callers.
#ifndef BROBYGGER_SERVICES_CATALOGUE_TIMELINE_CONVERT_H_
#define BROBYGGER_SERVICES_CATALOGUE_TIMELINE_CONVERT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "brobygger/catalogue/v1/timeline.pb.h"
#include "services/catalogue/local_time_text.h"
#include "services/catalogue/timeline_analysis.h"

namespace brobygger::catalogue {

// Default of TimelineTemplate.max_new_items_per_week when it is 0.
inline constexpr int kDefaultNewItemsPerWeek = 3;

// "municipalities/{municipality}/timelineTemplate".
std::string TimelineTemplateName(absl::string_view municipality);

// The struct form. max_new_items_per_week 0 becomes the default (3); the
// items' `activity` has no struct counterpart and is left out.
TimelineTemplate TemplateFromProto(const v1::TimelineTemplate& proto);

// The proto form of items, rules and the per-week maximum (no name, etag
// or update time).
v1::TimelineTemplate TemplateToProto(const TimelineTemplate& timeline);

// Trims ASCII whitespace around every text field (ids, titles, owners,
// activities, rule ids and reasons), so that " housing-course" and
// "housing-course" are one item.
void NormalizeTemplate(v1::TimelineTemplate* proto);

// OK if `proto` is a valid template of `municipality`: everything
// ValidateTimeline checks, item ids of [a-z0-9_-] only, valid UTF-8 text,
// and each set `activity` naming an activity of the same municipality.
// Otherwise INVALID_ARGUMENT naming every offending field below
// `field_prefix`, e.g. "timeline_template.items[3].week_offset" for the
// prefix "timeline_template".
absl::Status ValidateTemplateProto(const v1::TimelineTemplate& proto,
                                   absl::string_view municipality,
                                   absl::string_view field_prefix);

v1::TimelineAnalysis AnalysisToProto(const TimelineAnalysis& analysis);

// Item id, title, owner, week offset and dates of `item`, planned for a
// newcomer arriving on `arrival_date`. municipal_task and activity come
// from the template item (see PlanItems).
v1::PlannedItem PlannedItemToProto(const PlannedItem& item,
                                   absl::CivilDay arrival_date);

// The template applied to `arrival_date` (ApplyTemplate), in plan order
// (date, then item id), with every field of the template items. Meant for
// validated templates (unique item ids).
std::vector<v1::PlannedItem> PlanItems(const v1::TimelineTemplate& proto,
                                       absl::CivilDay arrival_date);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_TIMELINE_CONVERT_H_
