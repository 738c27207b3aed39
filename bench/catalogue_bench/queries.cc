#include "bench/catalogue_bench/queries.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/store/resource_io.h"
#include "common/text/fold.h"

namespace brobygger::bench {
namespace {

namespace v1 = catalogue::v1;

bool TargetMatches(const v1::ActivityQuery& query,
                   const v1::Activity& activity) {
  if (query.target_group() == v1::TargetGroup::KIND_UNSPECIFIED &&
      !query.has_child_age()) {
    return true;
  }
  if (activity.target_groups().empty()) return true;  // everyone
  const v1::TargetGroup::Kind wanted =
      query.target_group() == v1::TargetGroup::KIND_UNSPECIFIED
          ? v1::TargetGroup::KIND_CHILDREN
          : query.target_group();
  for (const v1::TargetGroup& group : activity.target_groups()) {
    if (group.kind() == v1::TargetGroup::KIND_EVERYONE) return true;
    if (wanted == v1::TargetGroup::KIND_CHILDREN) {
      if (group.kind() == v1::TargetGroup::KIND_FAMILIES) return true;
      if (group.kind() == v1::TargetGroup::KIND_CHILDREN &&
          (!query.has_child_age() || (query.child_age() >= group.min_age() &&
                                      query.child_age() <= group.max_age()))) {
        return true;
      }
    } else if (group.kind() == wanted) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<SearchKind> SearchKinds(absl::Time week_start,
                                    absl::Time week_end) {
  std::vector<SearchKind> kinds;
  auto add = [&](std::string key, std::string label) -> v1::ActivityQuery& {
    kinds.push_back({std::move(key), std::move(label), {}, false});
    return kinds.back().query;
  };
  add("area", "Search area=Kærby").set_area("Kærby");
  {
    v1::ActivityQuery& query =
        add("category_area", "Search LANGUAGE_CAFE in Aalborg C");
    query.add_categories(v1::CATEGORY_LANGUAGE_CAFE);
    query.set_area("Aalborg C");
  }
  add("text_cafe", "Search text \"café\"").set_text("café");
  add("text_lektie", "Search text \"lektie\"").set_text("lektie");
  {
    v1::ActivityQuery& query = add("children", "Search children aged 8");
    query.set_target_group(v1::TargetGroup::KIND_CHILDREN);
    query.set_child_age(8);
  }
  add("language", "Search language=ar").set_language("ar");
  {
    v1::ActivityQuery& query = add("week", "Search next week");
    *query.mutable_window_start_time() = store::ToTimestamp(week_start);
    *query.mutable_window_end_time() = store::ToTimestamp(week_end);
  }
  add("free", "Search free_only").set_free_only(true);
  add("page2", "Search area=Nørresundby, page 2").set_area("Nørresundby");
  kinds.back().second_page = true;
  return kinds;
}

bool MatchesQuery(const v1::ActivityQuery& query,
                  const v1::Activity& activity) {
  if (!query.area().empty() && text::FoldForSearch(activity.place().area()) !=
                                   text::FoldForSearch(query.area())) {
    return false;
  }
  if (!query.categories().empty() &&
      std::find(query.categories().begin(), query.categories().end(),
                activity.category()) == query.categories().end()) {
    return false;
  }
  if (query.kind() != v1::ACTIVITY_KIND_UNSPECIFIED &&
      activity.kind() != query.kind()) {
    return false;
  }
  if (!query.language().empty() &&
      std::find(activity.languages().begin(), activity.languages().end(),
                absl::AsciiStrToLower(query.language())) ==
          activity.languages().end()) {
    return false;
  }
  const bool free = activity.price().kind() == v1::Price::KIND_FREE;
  if (query.free_only() && !free) return false;
  if (query.has_max_price_ore() && !free &&
      activity.price().amount_ore() > query.max_price_ore()) {
    return false;
  }
  if (!query.organiser().empty() && activity.organiser() != query.organiser() &&
      std::find(activity.co_organisers().begin(),
                activity.co_organisers().end(),
                query.organiser()) == activity.co_organisers().end()) {
    return false;
  }
  if (!TargetMatches(query, activity)) return false;
  const std::string folded = text::FoldForSearch(
      absl::StrCat(activity.display_name(), " ", activity.description()));
  for (absl::string_view word : absl::StrSplit(
           text::FoldForSearch(query.text()), ' ', absl::SkipWhitespace())) {
    if (!absl::StrContains(folded, word)) return false;
  }
  return true;
}

}  // namespace brobygger::bench
