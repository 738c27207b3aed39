// The reception workshop as a data structure: a municipality's timeline
// template places every municipal task and volunteer offer at a week
// relative to a newcomer's arrival. Analysing it answers the workshop's
// three questions — where newcomers get too much at once (overloaded
// weeks), where there is room for something new (empty stretches), and
// whether the agreed order of offers holds (broken order rules). Applying
// it to one arrival date gives a newcomer's personal plan.
//
// Proto-free on purpose: the gRPC layer converts to and from these structs,
// so the analysis can be tested on constructed cases alone.
#ifndef BROBYGGER_SERVICES_CATALOGUE_TIMELINE_ANALYSIS_H_
#define BROBYGGER_SERVICES_CATALOGUE_TIMELINE_ANALYSIS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"

namespace brobygger::catalogue {

// The workshop's span: two months before arrival to six months after.
inline constexpr int kFirstWeek = -8;
inline constexpr int kLastWeek = 26;

// Limits: a template is edited by people and analysed on every change.
inline constexpr int kMaxTimelineItems = 500;
inline constexpr int kMaxOrderRules = 100;
inline constexpr int kMaxItemIdLength = 64;
inline constexpr int kMaxItemTitleLength = 200;   // Characters, not bytes.
inline constexpr int kMaxItemOwnerLength = 200;   // Characters, not bytes.
inline constexpr int kMaxRuleReasonLength = 500;  // Characters, not bytes.
inline constexpr int kMinNewItemsPerWeek = 1;
inline constexpr int kMaxNewItemsPerWeek = 20;

struct TimelineItem {
  std::string id;
  std::string title;
  int week_offset = 0;  // kFirstWeek..kLastWeek; 0 is the arrival week.
  std::string owner;    // The actor responsible, by name.
  bool municipal_task = false;
};

// `before_item_id` must take place in an earlier week than `after_item_id`.
struct OrderRule {
  std::string before_item_id;
  std::string after_item_id;
  // Why, for the people reading the analysis, e.g. "the housing course
  // comes before moving to permanent housing".
  std::string reason;
};

struct TimelineTemplate {
  std::vector<TimelineItem> items;
  std::vector<OrderRule> order_rules;
  // More new items than this in one week is information overload.
  int max_new_items_per_week = 3;
};

struct OverloadedWeek {
  int week_offset;
  std::vector<std::string> item_ids;  // Sorted.
};

// Inclusive week range with no item at all.
struct EmptyStretch {
  int first_week;
  int last_week;
};

struct BrokenOrderRule {
  OrderRule rule;
  int before_week;
  int after_week;
};

struct TimelineAnalysis {
  std::vector<OverloadedWeek> overloaded_weeks;  // Ascending by week.
  std::vector<EmptyStretch> empty_stretches;     // Ascending.
  std::vector<BrokenOrderRule> broken_rules;     // In rule order.
};

// OK if the template is within the limits above, item ids are non-empty
// and unique, and every order rule names two different existing items.
// Otherwise INVALID_ARGUMENT naming every offending field, e.g.
// "template.items[3].week_offset" or "template.order_rules[0].after_item_id".
absl::Status ValidateTimeline(const TimelineTemplate& timeline);

// Overloaded weeks: weeks with more than max_new_items_per_week items.
// Empty stretches: maximal runs of weeks in [kFirstWeek, kLastWeek] without
// an item, at least `min_empty_weeks` long (values below 1 count as 1).
// Broken rules: the 'before' item is not in an earlier week than the
// 'after' item; the same week is broken too, since within a week the order
// cannot be guaranteed. Meant for validated templates, but any input gives
// a defined answer: rules naming unknown items are skipped, a duplicated id
// means its first item, and items outside the span are not in any stretch.
TimelineAnalysis AnalyzeTimeline(const TimelineTemplate& timeline,
                                 int min_empty_weeks = 3);

// One item of a newcomer's personal plan, dated.
struct PlannedItem {
  std::string item_id;
  std::string title;
  std::string owner;
  absl::CivilDay week_start;
  absl::CivilDay week_end;  // Inclusive: week_start + 6.
};

// The template applied to one arrival date: week k covers
// [arrival + 7k, arrival + 7k + 6]. Sorted by date, then item id.
std::vector<PlannedItem> ApplyTemplate(const TimelineTemplate& timeline,
                                       absl::CivilDay arrival_date);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_TIMELINE_ANALYSIS_H_
