#include "services/catalogue/activity_query.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/field_checks.h"
#include "common/status/errors.h"
#include "common/store/resource_io.h"
#include "common/text/fold.h"
#include "services/catalogue/activity_rules.h"
#include "services/catalogue/schedule.h"

namespace brobygger::catalogue {
namespace {

std::string Field(absl::string_view prefix, absl::string_view path) {
  return absl::StrCat(prefix, ".", path);
}

bool TargetMatches(const CompiledQuery& query, const v1::Activity& activity) {
  if (query.target_group == v1::TargetGroup::KIND_UNSPECIFIED &&
      !query.child_age.has_value()) {
    return true;
  }
  if (activity.target_groups().empty()) return true;  // everyone
  const v1::TargetGroup::Kind wanted =
      query.target_group == v1::TargetGroup::KIND_UNSPECIFIED
          ? v1::TargetGroup::KIND_CHILDREN
          : query.target_group;
  for (const v1::TargetGroup& group : activity.target_groups()) {
    if (group.kind() == v1::TargetGroup::KIND_EVERYONE) return true;
    if (wanted == v1::TargetGroup::KIND_CHILDREN) {
      // Families bring their children.
      if (group.kind() == v1::TargetGroup::KIND_FAMILIES) return true;
      if (group.kind() == v1::TargetGroup::KIND_CHILDREN &&
          (!query.child_age.has_value() ||
           (*query.child_age >= group.min_age() &&
            *query.child_age <= group.max_age()))) {
        return true;
      }
    } else if (group.kind() == wanted) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<CompiledQuery> CompileQuery(const v1::ActivityQuery& query,
                                           absl::string_view prefix) {
  FieldViolations violations;
  CompiledQuery compiled;
  api::CheckText(query.area(), kMaxAreaChars, false, Field(prefix, "area"), "",
                 &violations);
  compiled.folded_area = text::FoldForSearch(query.area());
  if (query.categories_size() > kMaxQueryCategories) {
    violations.Add(Field(prefix, "categories"),
                   absl::StrCat("at most ", kMaxQueryCategories));
  }
  for (int i = 0; i < query.categories_size(); ++i) {
    if (query.categories(i) == v1::CATEGORY_UNSPECIFIED ||
        !v1::Category_IsValid(query.categories(i))) {
      violations.Add(Field(prefix, absl::StrCat("categories[", i, "]")),
                     "not a category");
    }
    compiled.categories.insert(query.categories(i));
  }
  if (!v1::TargetGroup::Kind_IsValid(query.target_group())) {
    violations.Add(Field(prefix, "target_group"), "not a target group");
  }
  compiled.target_group = query.target_group();
  if (query.has_child_age()) {
    if (query.child_age() < 0 || query.child_age() > kMaxChildAge) {
      violations.Add(Field(prefix, "child_age"),
                     absl::StrCat("must be 0..", kMaxChildAge));
    } else if (query.target_group() != v1::TargetGroup::KIND_UNSPECIFIED &&
               query.target_group() != v1::TargetGroup::KIND_CHILDREN) {
      violations.Add(Field(prefix, "child_age"),
                     "applies to children; leave target_group unset or "
                     "CHILDREN");
    }
    compiled.child_age = query.child_age();
  }
  if (!query.language().empty() &&
      !api::IsValidLanguageCode(absl::AsciiStrToLower(query.language()))) {
    violations.Add(Field(prefix, "language"),
                   "must be a BCP 47 language tag such as \"ar\"");
  }
  compiled.language = absl::AsciiStrToLower(query.language());
  if (query.has_window_start_time() != query.has_window_end_time()) {
    violations.Add(Field(prefix, query.has_window_start_time()
                                     ? "window_end_time"
                                     : "window_start_time"),
                   "a window needs both its start and its end");
  } else if (query.has_window_start_time()) {
    const absl::Time start = store::FromTimestamp(query.window_start_time());
    const absl::Time end = store::FromTimestamp(query.window_end_time());
    if (end <= start) {
      violations.Add(Field(prefix, "window_end_time"),
                     "must be after window_start_time");
    } else if (end - start > kMaxWindow) {
      violations.Add(Field(prefix, "window_end_time"),
                     "the window may span at most 400 days; page through "
                     "longer periods window by window");
    }
    compiled.window_start = start;
    compiled.window_end = end;
  }
  compiled.free_only = query.free_only();
  if (query.has_max_price_ore()) {
    if (query.max_price_ore() < 0) {
      violations.Add(Field(prefix, "max_price_ore"), "must not be negative");
    }
    compiled.max_price_ore = query.max_price_ore();
  }
  api::CheckText(query.text(), kMaxQueryTextChars, false,
                 Field(prefix, "text"), "", &violations);
  for (absl::string_view word :
       absl::StrSplit(text::FoldForSearch(query.text()), ' ',
                      absl::SkipWhitespace())) {
    compiled.folded_words.emplace_back(word);
  }
  if (!v1::ActivityKind_IsValid(query.kind())) {
    violations.Add(Field(prefix, "kind"), "not an activity kind");
  }
  compiled.kind = query.kind();
  compiled.organiser = query.organiser();
  RETURN_IF_ERROR(violations.ToStatus());
  return compiled;
}

MatchableActivity MakeMatchable(const v1::Activity& activity) {
  MatchableActivity out;
  out.activity = &activity;
  out.folded_area = text::FoldForSearch(activity.place().area());
  out.folded_text = text::FoldForSearch(
      absl::StrCat(activity.display_name(), " ", activity.description()));
  return out;
}

bool MatchesAttributes(const CompiledQuery& query,
                       const MatchableActivity& matchable) {
  const v1::Activity& a = *matchable.activity;
  if (!query.folded_area.empty() && matchable.folded_area != query.folded_area) {
    return false;
  }
  if (!query.categories.empty() && !query.categories.contains(a.category())) {
    return false;
  }
  if (query.kind != v1::ACTIVITY_KIND_UNSPECIFIED && a.kind() != query.kind) {
    return false;
  }
  if (!query.language.empty() &&
      std::find(a.languages().begin(), a.languages().end(), query.language) ==
          a.languages().end()) {
    return false;
  }
  const bool free = a.price().kind() == v1::Price::KIND_FREE;
  if (query.free_only && !free) return false;
  if (query.max_price_ore.has_value() && !free &&
      a.price().amount_ore() > *query.max_price_ore) {
    return false;
  }
  if (!query.organiser.empty() && a.organiser() != query.organiser &&
      std::find(a.co_organisers().begin(), a.co_organisers().end(),
                query.organiser) == a.co_organisers().end()) {
    return false;
  }
  if (!TargetMatches(query, a)) return false;
  for (const std::string& word : query.folded_words) {
    if (!absl::StrContains(matchable.folded_text, word)) return false;
  }
  return true;
}

}  // namespace brobygger::catalogue
