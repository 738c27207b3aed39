#include "services/catalogue/timeline_convert.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "common/text/fold.h"

namespace brobygger::catalogue {
namespace {

// ValidateTimeline names fields below this.
constexpr absl::string_view kStructPrefix = "template";
constexpr char kActivityPattern[] =
    "municipalities/{municipality}/activities/{activity}";

void Trim(std::string* text) { absl::StripAsciiWhitespace(text); }

bool IsItemIdCharacter(char c) {
  return absl::ascii_islower(static_cast<unsigned char>(c)) ||
         absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_';
}

// "template.items[3].id" -> "<prefix>.items[3].id"; ValidateTimeline's
// descriptions cite other fields ("duplicates template.items[0].id") and
// are mapped the same way.
std::string MapField(absl::string_view field, absl::string_view prefix) {
  if (absl::ConsumePrefix(&field, kStructPrefix)) {
    return absl::StrCat(prefix, field);
  }
  return absl::StrCat(prefix, ".", field);
}

std::string MapDescription(absl::string_view description,
                           absl::string_view prefix) {
  return absl::StrReplaceAll(
      description,
      {{"template.items[", absl::StrCat(prefix, ".items[")},
       {"template.order_rules[", absl::StrCat(prefix, ".order_rules[")}});
}

void CheckUtf8(absl::string_view text, const std::string& field,
               FieldViolations& violations) {
  if (text::Utf8Length(text) < 0) violations.Add(field, "must be valid UTF-8");
}

// What only the API form has: the id charset, text encoding (the structs
// count characters, assuming UTF-8) and activity references.
void CheckProtoOnly(const v1::TimelineTemplate& proto,
                    absl::string_view municipality, absl::string_view prefix,
                    FieldViolations& violations) {
  // Oversized lists are reported by ValidateTimeline and not walked.
  if (proto.items_size() > kMaxTimelineItems ||
      proto.order_rules_size() > kMaxOrderRules) {
    return;
  }
  for (int i = 0; i < proto.items_size(); ++i) {
    const v1::TimelineItem& item = proto.items(i);
    const std::string field = absl::StrCat(prefix, ".items[", i, "]");
    // Empty and overlong ids are ValidateTimeline's to report.
    if (!item.id().empty() &&
        static_cast<int>(item.id().size()) <= kMaxItemIdLength) {
      for (char c : item.id()) {
        if (!IsItemIdCharacter(c)) {
          violations.Add(field + ".id",
                         "must consist of lowercase letters a-z, digits, "
                         "'-' and '_' only, e.g. \"housing-course\"");
          break;
        }
      }
    }
    CheckUtf8(item.title(), field + ".title", violations);
    CheckUtf8(item.owner(), field + ".owner", violations);
    if (!item.activity().empty()) {
      const std::string activity_field = field + ".activity";
      auto parts = api::ParseResourceName(item.activity(), kActivityPattern,
                                          activity_field);
      if (!parts.ok() || (*parts)[0] != municipality) {
        violations.Add(
            activity_field,
            absl::StrCat("must name an activity of this municipality, e.g. "
                         "\"municipalities/",
                         municipality, "/activities/12\", or be empty"));
      }
    }
  }
  for (int i = 0; i < proto.order_rules_size(); ++i) {
    CheckUtf8(proto.order_rules(i).reason(),
              absl::StrCat(prefix, ".order_rules[", i, "].reason"), violations);
  }
}

}  // namespace

std::string TimelineTemplateName(absl::string_view municipality) {
  return absl::StrCat("municipalities/", municipality, "/timelineTemplate");
}

TimelineTemplate TemplateFromProto(const v1::TimelineTemplate& proto) {
  TimelineTemplate timeline;
  timeline.items.reserve(proto.items_size());
  for (const v1::TimelineItem& item : proto.items()) {
    timeline.items.push_back({item.id(), item.title(), item.week_offset(),
                              item.owner(), item.municipal_task()});
  }
  timeline.order_rules.reserve(proto.order_rules_size());
  for (const v1::OrderRule& rule : proto.order_rules()) {
    timeline.order_rules.push_back(
        {rule.before_item_id(), rule.after_item_id(), rule.reason()});
  }
  timeline.max_new_items_per_week = proto.max_new_items_per_week() == 0
                                        ? kDefaultNewItemsPerWeek
                                        : proto.max_new_items_per_week();
  return timeline;
}

v1::TimelineTemplate TemplateToProto(const TimelineTemplate& timeline) {
  v1::TimelineTemplate proto;
  for (const TimelineItem& item : timeline.items) {
    v1::TimelineItem* out = proto.add_items();
    out->set_id(item.id);
    out->set_title(item.title);
    out->set_week_offset(item.week_offset);
    out->set_owner(item.owner);
    out->set_municipal_task(item.municipal_task);
  }
  for (const OrderRule& rule : timeline.order_rules) {
    v1::OrderRule* out = proto.add_order_rules();
    out->set_before_item_id(rule.before_item_id);
    out->set_after_item_id(rule.after_item_id);
    out->set_reason(rule.reason);
  }
  proto.set_max_new_items_per_week(timeline.max_new_items_per_week);
  return proto;
}

void NormalizeTemplate(v1::TimelineTemplate* proto) {
  for (v1::TimelineItem& item : *proto->mutable_items()) {
    Trim(item.mutable_id());
    Trim(item.mutable_title());
    Trim(item.mutable_owner());
    Trim(item.mutable_activity());
  }
  for (v1::OrderRule& rule : *proto->mutable_order_rules()) {
    Trim(rule.mutable_before_item_id());
    Trim(rule.mutable_after_item_id());
    Trim(rule.mutable_reason());
  }
}

absl::Status ValidateTemplateProto(const v1::TimelineTemplate& proto,
                                   absl::string_view municipality,
                                   absl::string_view field_prefix) {
  FieldViolations violations;
  const absl::Status structural = ValidateTimeline(TemplateFromProto(proto));
  if (!structural.ok()) {
    const std::vector<FieldViolation> found = FieldViolationsOf(structural);
    // ValidateTimeline only fails with field violations; anything else is
    // passed on as it is.
    if (found.empty()) return structural;
    for (const FieldViolation& violation : found) {
      violations.Add(MapField(violation.field, field_prefix),
                     MapDescription(violation.description, field_prefix));
    }
  }
  CheckProtoOnly(proto, municipality, field_prefix, violations);
  return violations.ToStatus();
}

v1::TimelineAnalysis AnalysisToProto(const TimelineAnalysis& analysis) {
  v1::TimelineAnalysis proto;
  for (const OverloadedWeek& week : analysis.overloaded_weeks) {
    v1::OverloadedWeek* out = proto.add_overloaded_weeks();
    out->set_week_offset(week.week_offset);
    for (const std::string& id : week.item_ids) out->add_item_ids(id);
  }
  for (const EmptyStretch& stretch : analysis.empty_stretches) {
    v1::EmptyStretch* out = proto.add_empty_stretches();
    out->set_first_week(stretch.first_week);
    out->set_last_week(stretch.last_week);
  }
  for (const BrokenOrderRule& broken : analysis.broken_rules) {
    v1::BrokenOrderRule* out = proto.add_broken_rules();
    out->mutable_rule()->set_before_item_id(broken.rule.before_item_id);
    out->mutable_rule()->set_after_item_id(broken.rule.after_item_id);
    out->mutable_rule()->set_reason(broken.rule.reason);
    out->set_before_week(broken.before_week);
    out->set_after_week(broken.after_week);
  }
  return proto;
}

v1::PlannedItem PlannedItemToProto(const PlannedItem& item,
                                   absl::CivilDay arrival_date) {
  v1::PlannedItem proto;
  proto.set_item_id(item.item_id);
  proto.set_title(item.title);
  proto.set_owner(item.owner);
  // Week k starts exactly 7k days after arrival (ApplyTemplate).
  proto.set_week_offset(
      static_cast<int32_t>((item.week_start - arrival_date) / 7));
  proto.set_week_start_date(FormatLocalDate(item.week_start));
  proto.set_week_end_date(FormatLocalDate(item.week_end));
  return proto;
}

std::vector<v1::PlannedItem> PlanItems(const v1::TimelineTemplate& proto,
                                       absl::CivilDay arrival_date) {
  // The first item of an id wins, as in AnalyzeTimeline.
  std::map<absl::string_view, const v1::TimelineItem*> by_id;
  for (const v1::TimelineItem& item : proto.items()) {
    by_id.emplace(item.id(), &item);
  }
  std::vector<v1::PlannedItem> plan;
  for (const PlannedItem& item :
       ApplyTemplate(TemplateFromProto(proto), arrival_date)) {
    v1::PlannedItem out = PlannedItemToProto(item, arrival_date);
    const v1::TimelineItem& source = *by_id.at(item.item_id);
    out.set_municipal_task(source.municipal_task());
    out.set_activity(source.activity());
    plan.push_back(std::move(out));
  }
  return plan;
}

}  // namespace brobygger::catalogue
