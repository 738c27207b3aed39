// An ActivityQuery checked and compiled once, then matched against many
// activities (searches, occurrence lists, calendar feeds). Pure: no store.
#ifndef BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_QUERY_H_
#define BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_QUERY_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "brobygger/catalogue/v1/catalogue_service.pb.h"

namespace brobygger::catalogue {

inline constexpr int kMaxQueryTextChars = 200;
inline constexpr int kMaxQueryCategories = 20;

struct CompiledQuery {
  std::string folded_area;
  std::set<int> categories;
  v1::TargetGroup::Kind target_group = v1::TargetGroup::KIND_UNSPECIFIED;
  std::optional<int> child_age;
  std::string language;
  std::optional<absl::Time> window_start, window_end;
  bool free_only = false;
  std::optional<int64_t> max_price_ore;
  std::vector<std::string> folded_words;
  v1::ActivityKind kind = v1::ACTIVITY_KIND_UNSPECIFIED;
  std::string organiser;
};

// INVALID_ARGUMENT naming fields under `prefix` ("query.child_age",
// "query.window_end_time", ...): a window needs both ends, end after
// start, at most 400 days; texts and lists are bounded.
absl::StatusOr<CompiledQuery> CompileQuery(const v1::ActivityQuery& query,
                                           absl::string_view prefix);

// The attributes of an activity a query looks at, precomputed (folded
// texts) so that matching many activities is cheap.
struct MatchableActivity {
  const v1::Activity* activity = nullptr;
  std::string folded_area;
  std::string folded_text;  // display name and description
};

MatchableActivity MakeMatchable(const v1::Activity& activity);

// Everything but the time window (which needs the schedule).
bool MatchesAttributes(const CompiledQuery& query,
                       const MatchableActivity& activity);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_QUERY_H_
