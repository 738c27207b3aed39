#include "services/catalogue/timeline_analysis.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"

namespace brobygger::catalogue {
namespace {

// Titles and owners are Danish (and Arabic, Tigrinya...) text, so limits
// count characters: UTF-8 bytes that do not continue a previous one.
int CountCharacters(absl::string_view text) {
  int count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

void CheckText(absl::string_view text, const std::string& field,
               int max_characters, bool required, FieldViolations& errors) {
  if (required && text.empty()) {
    errors.Add(field, "is required");
  } else if (CountCharacters(text) > max_characters) {
    errors.Add(field,
               absl::StrCat("must be at most ", max_characters, " characters"));
  }
}

void ValidateItems(const std::vector<TimelineItem>& items,
                   FieldViolations& errors) {
  std::map<absl::string_view, std::size_t> first_index;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const TimelineItem& item = items[i];
    const std::string prefix = absl::StrCat("template.items[", i, "]");
    if (item.id.empty()) {
      errors.Add(prefix + ".id", "is required");
    } else if (static_cast<int>(item.id.size()) > kMaxItemIdLength) {
      errors.Add(prefix + ".id",
                 absl::StrCat("must be at most ", kMaxItemIdLength, " bytes"));
    } else if (const auto [it, inserted] = first_index.emplace(item.id, i);
               !inserted) {
      errors.Add(prefix + ".id",
                 absl::StrCat("duplicates template.items[", it->second,
                              "].id \"", item.id, "\""));
    }
    CheckText(item.title, prefix + ".title", kMaxItemTitleLength,
              /*required=*/true, errors);
    CheckText(item.owner, prefix + ".owner", kMaxItemOwnerLength,
              /*required=*/true, errors);
    if (item.week_offset < kFirstWeek || item.week_offset > kLastWeek) {
      errors.Add(prefix + ".week_offset",
                 absl::StrCat("must be between ", kFirstWeek, " and ",
                              kLastWeek, " (weeks relative to arrival)"));
    }
  }
}

void CheckRuleItem(absl::string_view id, const std::string& field,
                   const std::map<absl::string_view, int>& weeks,
                   FieldViolations& errors) {
  if (id.empty()) {
    errors.Add(field, "is required");
  } else if (!weeks.contains(id)) {
    errors.Add(field,
               absl::StrCat("names no item of the template: \"", id, "\""));
  }
}

void ValidateRules(const TimelineTemplate& timeline, FieldViolations& errors) {
  std::map<absl::string_view, int> weeks;
  for (const TimelineItem& item : timeline.items) {
    weeks.emplace(item.id, item.week_offset);
  }
  for (std::size_t i = 0; i < timeline.order_rules.size(); ++i) {
    const OrderRule& rule = timeline.order_rules[i];
    const std::string prefix = absl::StrCat("template.order_rules[", i, "]");
    CheckRuleItem(rule.before_item_id, prefix + ".before_item_id", weeks,
                  errors);
    CheckRuleItem(rule.after_item_id, prefix + ".after_item_id", weeks, errors);
    if (!rule.before_item_id.empty() &&
        rule.before_item_id == rule.after_item_id) {
      errors.Add(prefix + ".after_item_id",
                 "must differ from before_item_id: an item cannot come "
                 "before itself");
    }
    CheckText(rule.reason, prefix + ".reason", kMaxRuleReasonLength,
              /*required=*/false, errors);
  }
}

// Items by week over the whole input, including weeks outside the span,
// so that overload is reported even for an unvalidated template.
std::map<int, std::vector<std::string>> ItemsByWeek(
    const std::vector<TimelineItem>& items) {
  std::map<int, std::vector<std::string>> by_week;
  for (const TimelineItem& item : items) {
    by_week[item.week_offset].push_back(item.id);
  }
  return by_week;
}

std::vector<EmptyStretch> EmptyStretches(
    const std::map<int, std::vector<std::string>>& by_week,
    int min_empty_weeks) {
  std::vector<EmptyStretch> stretches;
  int run_start = kFirstWeek;  // First week of the current empty run.
  // One step past kLastWeek closes a run that reaches the end of the span.
  for (int week = kFirstWeek; week <= kLastWeek + 1; ++week) {
    if (week <= kLastWeek && !by_week.contains(week)) continue;
    if (week - run_start >= min_empty_weeks) {
      stretches.push_back({run_start, week - 1});
    }
    run_start = week + 1;
  }
  return stretches;
}

}  // namespace

absl::Status ValidateTimeline(const TimelineTemplate& timeline) {
  FieldViolations errors;
  // Oversized lists are refused before they are walked, so that a huge
  // request costs nothing and yields one clear error instead of thousands.
  if (timeline.items.size() > static_cast<std::size_t>(kMaxTimelineItems)) {
    errors.Add("template.items",
               absl::StrCat("must have at most ", kMaxTimelineItems, " items"));
  }
  if (timeline.order_rules.size() > static_cast<std::size_t>(kMaxOrderRules)) {
    errors.Add("template.order_rules",
               absl::StrCat("must have at most ", kMaxOrderRules, " rules"));
  }
  if (timeline.max_new_items_per_week < kMinNewItemsPerWeek ||
      timeline.max_new_items_per_week > kMaxNewItemsPerWeek) {
    errors.Add("template.max_new_items_per_week",
               absl::StrCat("must be between ", kMinNewItemsPerWeek, " and ",
                            kMaxNewItemsPerWeek));
  }
  if (!errors.empty()) return errors.ToStatus();
  ValidateItems(timeline.items, errors);
  ValidateRules(timeline, errors);
  return errors.ToStatus();
}

TimelineAnalysis AnalyzeTimeline(const TimelineTemplate& timeline,
                                 int min_empty_weeks) {
  TimelineAnalysis analysis;
  std::map<int, std::vector<std::string>> by_week = ItemsByWeek(timeline.items);
  for (auto& [week, ids] : by_week) {
    if (static_cast<int>(ids.size()) > timeline.max_new_items_per_week) {
      std::sort(ids.begin(), ids.end());
      analysis.overloaded_weeks.push_back({week, ids});
    }
  }
  analysis.empty_stretches =
      EmptyStretches(by_week, std::max(min_empty_weeks, 1));

  std::map<absl::string_view, int> week_of;
  for (const TimelineItem& item : timeline.items) {
    week_of.emplace(item.id, item.week_offset);  // First wins on duplicates.
  }
  for (const OrderRule& rule : timeline.order_rules) {
    const auto before = week_of.find(rule.before_item_id);
    const auto after = week_of.find(rule.after_item_id);
    if (before == week_of.end() || after == week_of.end()) continue;
    if (before->second >= after->second) {
      analysis.broken_rules.push_back({rule, before->second, after->second});
    }
  }
  return analysis;
}

std::vector<PlannedItem> ApplyTemplate(const TimelineTemplate& timeline,
                                       absl::CivilDay arrival_date) {
  std::vector<PlannedItem> plan;
  plan.reserve(timeline.items.size());
  for (const TimelineItem& item : timeline.items) {
    // 64-bit arithmetic: an unvalidated offset must not overflow an int.
    const absl::CivilDay start =
        arrival_date + absl::civil_diff_t{7} * item.week_offset;
    plan.push_back({item.id, item.title, item.owner, start, start + 6});
  }
  std::stable_sort(plan.begin(), plan.end(),
                   [](const PlannedItem& a, const PlannedItem& b) {
                     return std::tie(a.week_start, a.item_id) <
                            std::tie(b.week_start, b.item_id);
                   });
  return plan;
}

}  // namespace brobygger::catalogue
