#include "services/matching/activity_suggestions.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "common/text/fold.h"
#include "services/matching/candidate.h"
#include "services/matching/match_access.h"
#include "services/matching/matching_names.h"

namespace brobygger::matching {
namespace {

namespace cv1 = ::brobygger::catalogue::v1;
namespace rv1 = ::brobygger::registry::v1;

// Searches per newcomer town (plus one municipality-wide), and how many
// activities each reads at most.
constexpr int kMaxTowns = 3;
constexpr int kPerSearch = 200;
constexpr absl::Duration kSoon = absl::Hours(24 * 14);

// Which catalogue categories meet a need or fit an interest tag.
const std::map<std::string, std::vector<cv1::Category>>& CategoriesOfTag() {
  static const auto* map =
      new std::map<std::string, std::vector<cv1::Category>>{
          {"homework", {cv1::CATEGORY_HOMEWORK_HELP}},
          {"school",
           {cv1::CATEGORY_HOMEWORK_HELP, cv1::CATEGORY_CHILDREN_AND_YOUTH}},
          {"job", {cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS}},
          {"work", {cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS}},
          {"cv", {cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS}},
          {"internship", {cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS}},
          {"danish", {cv1::CATEGORY_LANGUAGE_CAFE}},
          {"language", {cv1::CATEGORY_LANGUAGE_CAFE}},
          {"housing", {cv1::CATEGORY_HOUSING}},
          {"doctor", {cv1::CATEGORY_HEALTH}},
          {"health", {cv1::CATEGORY_HEALTH}},
          {"bank", {cv1::CATEGORY_COUNSELLING}},
          {"benefits", {cv1::CATEGORY_COUNSELLING}},
          {"economy", {cv1::CATEGORY_COUNSELLING}},
          {"legal", {cv1::CATEGORY_COUNSELLING}},
          {"network",
           {cv1::CATEGORY_MEETING_PLACE, cv1::CATEGORY_COMMUNAL_DINING}},
          {"friends",
           {cv1::CATEGORY_MEETING_PLACE, cv1::CATEGORY_COMMUNAL_DINING}},
          {"loneliness",
           {cv1::CATEGORY_MEETING_PLACE, cv1::CATEGORY_COMMUNAL_DINING}},
          {"furniture", {cv1::CATEGORY_DONATIONS_AND_SECOND_HAND}},
          {"clothes", {cv1::CATEGORY_DONATIONS_AND_SECOND_HAND}},
          {"football", {cv1::CATEGORY_SPORT_AND_LEISURE}},
          {"sport", {cv1::CATEGORY_SPORT_AND_LEISURE}},
          {"swimming", {cv1::CATEGORY_SPORT_AND_LEISURE}},
          {"music", {cv1::CATEGORY_CULTURE}},
          {"art", {cv1::CATEGORY_CULTURE}},
          {"culture", {cv1::CATEGORY_CULTURE}},
          {"cooking", {cv1::CATEGORY_COMMUNAL_DINING}},
          {"food", {cv1::CATEGORY_COMMUNAL_DINING}},
          {"children", {cv1::CATEGORY_CHILDREN_AND_YOUTH}},
      };
  return *map;
}

bool Fits(const std::string& tag, cv1::Category category) {
  auto it = CategoriesOfTag().find(tag);
  return it != CategoriesOfTag().end() &&
         std::find(it->second.begin(), it->second.end(), category) !=
             it->second.end();
}

bool SpeaksDanishWell(const rv1::Actor& newcomer) {
  for (const rv1::LanguageSkill& skill : newcomer.languages()) {
    if (skill.code() == "da" &&
        (skill.mother_tongue() ||
         skill.proficiency() >= rv1::PROFICIENCY_FLUENT)) {
      return true;
    }
  }
  return false;
}

struct Ranked {
  v1::ActivitySuggestion suggestion;
  absl::Time next = absl::InfiniteFuture();
};

}  // namespace

std::vector<v1::ActivitySuggestion> RankActivities(
    const rv1::Actor& newcomer, const std::vector<cv1::SearchResult>& results,
    absl::Time now) {
  std::map<std::string, std::string> towns;  // folded -> as written
  for (const std::string& area : newcomer.areas()) {
    towns.emplace(text::FoldForSearch(area), area);
  }
  std::set<std::string> languages;
  for (const rv1::LanguageSkill& skill : newcomer.languages()) {
    languages.insert(absl::AsciiStrToLower(skill.code()));
  }
  const auto& children = newcomer.newcomer().household().children_ages();
  const bool learning_danish = !SpeaksDanishWell(newcomer);

  std::vector<Ranked> ranked;
  std::set<std::string> seen;
  for (const cv1::SearchResult& result : results) {
    const cv1::Activity& activity = result.activity();
    if (activity.state() != cv1::ACTIVITY_STATE_PUBLISHED ||
        !result.has_next_occurrence() || !seen.insert(activity.name()).second) {
      continue;
    }
    Ranked entry;
    double points = 0;
    auto& reasons = *entry.suggestion.mutable_reasons();
    const auto town = towns.find(text::FoldForSearch(activity.place().area()));
    if (!activity.place().area().empty() && town != towns.end()) {
      points += 3;
      reasons.Add(
          absl::StrCat("in ", town->second, ", where the newcomer lives"));
    }
    for (const std::string& code : activity.languages()) {
      if (code != "da" && languages.contains(absl::AsciiStrToLower(code))) {
        points += 2;
        reasons.Add(absl::StrCat("held in ", LanguageName(code),
                                 ", which the newcomer speaks"));
        break;
      }
    }
    if (learning_danish && activity.category() == cv1::CATEGORY_LANGUAGE_CAFE) {
      points += 2;
      reasons.Add("a place to practise Danish, which the newcomer is learning");
    }
    for (const std::string& need : newcomer.newcomer().needs()) {
      if (Fits(need, activity.category())) {
        points += 2;
        reasons.Add(absl::StrCat("meets the need: ", need));
      }
    }
    for (const std::string& interest : newcomer.interests()) {
      if (Fits(interest, activity.category())) {
        points += 1;
        reasons.Add(absl::StrCat("fits the interest: ", interest));
      }
    }
    bool for_children = false;
    bool for_families = false;
    for (const cv1::TargetGroup& group : activity.target_groups()) {
      if (group.kind() == cv1::TargetGroup::KIND_CHILDREN) {
        std::vector<int> fitting;
        for (int age : children) {
          if (age >= group.min_age() && age <= group.max_age()) {
            fitting.push_back(age);
          }
        }
        if (!fitting.empty() && !for_children) {
          for_children = true;
          points += 2;
          reasons.Add(absl::StrCat("for children aged ", group.min_age(), "-",
                                   group.max_age(), ", like the children aged ",
                                   absl::StrJoin(fitting, " and ")));
        }
      } else if (group.kind() == cv1::TargetGroup::KIND_FAMILIES &&
                 !children.empty() && !for_families) {
        for_families = true;
        points += 1;
        reasons.Add("for families, and the newcomer has children");
      }
    }
    if (points <= 0) continue;
    entry.next = store::FromTimestamp(result.next_occurrence().start_time());
    if (entry.next - now <= kSoon) {
      points += 0.5;
      reasons.Add(absl::StrCat("next on ",
                               result.next_occurrence().local_start_time()));
    }
    *entry.suggestion.mutable_activity() = activity;
    entry.suggestion.set_score(points);
    ranked.push_back(std::move(entry));
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.suggestion.score() != b.suggestion.score()) {
      return a.suggestion.score() > b.suggestion.score();
    }
    if (a.next != b.next) return a.next < b.next;
    return a.suggestion.activity().name() < b.suggestion.activity().name();
  });
  std::vector<v1::ActivitySuggestion> out;
  out.reserve(ranked.size());
  for (Ranked& entry : ranked) out.push_back(std::move(entry.suggestion));
  return out;
}

absl::Status ActivitySuggestions::RequireAccess(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view newcomer_id) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  if (IsStaff(principal)) return absl::OkStatus();
  // A matched volunteer (or their organisation's app) may ask for the
  // newcomer they support.
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   store_.IdsIn(ctx_.keys.Index(municipality, kMatchCollection,
                                                "newcomer", newcomer_id)));
  ASSIGN_OR_RETURN(std::vector<StoredMatch> matches,
                   store_.LoadMatches(municipality, ids));
  for (const StoredMatch& match : matches) {
    const v1::Match::State state = match.resource.state();
    if ((state == v1::Match::STATE_ACCEPTED ||
         state == v1::Match::STATE_ACTIVE) &&
        AnswersFor(principal, match.resource)) {
      return absl::OkStatus();
    }
  }
  return PermissionDeniedError(
      "NOT_MATCHED",
      "activity suggestions for a newcomer are for the municipality's staff "
      "and the volunteer matched to the newcomer");
}

absl::StatusOr<v1::SuggestActivitiesResponse> ActivitySuggestions::Suggest(
    const auth::Principal& principal, absl::string_view authorization,
    const v1::SuggestActivitiesRequest& request, absl::Time now) {
  ASSIGN_OR_RETURN(std::string municipality,
                   ParseParent(request.newcomer().substr(
                                   0, request.newcomer().find("/actors/")),
                               "newcomer"));
  ASSIGN_OR_RETURN(std::string newcomer_id,
                   ParseActorId(request.newcomer(), municipality, "newcomer"));
  if (request.top_k() < 0 || request.top_k() > kMaxActivities) {
    return InvalidFieldError(
        "top_k", absl::StrCat("must be between 1 and ", kMaxActivities,
                              " (0 for ", kDefaultActivities, ")"));
  }
  RETURN_IF_ERROR(RequireAccess(principal, municipality, newcomer_id));
  ASSIGN_OR_RETURN(std::optional<rv1::Actor> newcomer,
                   projection_.FindNewcomer(municipality, newcomer_id));
  if (!newcomer.has_value()) {
    return PreconditionError(
        "NEWCOMER", request.newcomer(),
        "matching knows no such newcomer (erased, or registered moments ago; "
        "retry in a few seconds)");
  }

  cv1::ActivityQuery base;
  if (request.has_from_time()) {
    *base.mutable_window_start_time() = request.from_time();
  }
  std::vector<cv1::SearchResult> results;
  std::vector<cv1::ActivityQuery> queries;
  for (int i = 0; i < newcomer->areas_size() && i < kMaxTowns; ++i) {
    cv1::ActivityQuery query = base;
    query.set_area(newcomer->areas(i));
    queries.push_back(std::move(query));
  }
  queries.push_back(base);  // the whole municipality
  for (const cv1::ActivityQuery& query : queries) {
    ASSIGN_OR_RETURN(
        std::vector<cv1::SearchResult> found,
        source_.Search(authorization, municipality, query, kPerSearch));
    for (cv1::SearchResult& result : found)
      results.push_back(std::move(result));
  }
  const absl::Time from =
      request.has_from_time() ? store::FromTimestamp(request.from_time()) : now;
  std::vector<v1::ActivitySuggestion> ranked =
      RankActivities(*newcomer, results, from);
  const size_t top_k =
      request.top_k() == 0 ? kDefaultActivities : request.top_k();
  if (ranked.size() > top_k) ranked.resize(top_k);
  v1::SuggestActivitiesResponse response;
  for (v1::ActivitySuggestion& suggestion : ranked) {
    *response.add_suggestions() = std::move(suggestion);
  }
  return response;
}

}  // namespace brobygger::matching
