#include "services/matching/activity_suggestions.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
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
// How far ahead an activity's next occurrence may lie (the catalogue
// allows windows of up to 400 days).
constexpr absl::Duration kHorizon = absl::Hours(24 * 365);
constexpr absl::Duration kSoon = absl::Hours(24 * 14);
// Ages the catalogue's "youth" target group stands for.
constexpr int kYouthFrom = 13;
constexpr int kYouthTo = 17;

// What a need or interest tag means for activities: the categories that
// meet it, and the word beginnings (folded, English and Danish) by which
// an activity's name or description shows it is about it.
struct TagMeaning {
  std::vector<cv1::Category> categories;
  std::vector<std::string> words;
};

const std::map<std::string, TagMeaning>& TagMeanings() {
  static const auto* map = new std::map<std::string, TagMeaning>{
      // The registry's needs.
      {"homework", {{cv1::CATEGORY_HOMEWORK_HELP}, {"homework", "lektie"}}},
      {"job",
       {{cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS},
        {"job", "arbejd", "praktik", "internship"}}},
      {"housing", {{cv1::CATEGORY_HOUSING}, {"housing", "bolig"}}},
      // Independent financial counselling is where bank matters are met.
      {"bank",
       {{cv1::CATEGORY_COUNSELLING}, {"bank", "oekonomi", "budget", "mitid"}}},
      {"doctor",
       {{cv1::CATEGORY_HEALTH}, {"doctor", "laege", "sundhed", "health"}}},
      // No category is about getting around or shopping.
      {"bus",
       {{}, {"bus", "transport", "rejsekort", "cykel", "cycling", "bike"}}},
      {"shopping", {{}, {"shopping", "indkoeb", "supermarked"}}},
      // Other tags people use for needs and interests.
      {"school",
       {{cv1::CATEGORY_HOMEWORK_HELP, cv1::CATEGORY_CHILDREN_AND_YOUTH},
        {"school", "skole"}}},
      {"work",
       {{cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS}, {"work", "arbejd", "job"}}},
      {"cv", {{cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS}, {"cv", "ansoeg"}}},
      {"internship",
       {{cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS}, {"internship", "praktik"}}},
      {"danish", {{cv1::CATEGORY_LANGUAGE_CAFE}, {"danish", "dansk", "sprog"}}},
      {"language",
       {{cv1::CATEGORY_LANGUAGE_CAFE}, {"language", "sprog", "dansk"}}},
      {"health", {{cv1::CATEGORY_HEALTH}, {"health", "sundhed", "laege"}}},
      {"benefits", {{cv1::CATEGORY_COUNSELLING}, {"benefit", "ydelse"}}},
      {"economy",
       {{cv1::CATEGORY_COUNSELLING}, {"econom", "oekonomi", "budget"}}},
      {"legal", {{cv1::CATEGORY_COUNSELLING}, {"legal", "jura", "retshjaelp"}}},
      {"network",
       {{cv1::CATEGORY_MEETING_PLACE, cv1::CATEGORY_COMMUNAL_DINING},
        {"network", "netvaerk"}}},
      {"friends",
       {{cv1::CATEGORY_MEETING_PLACE, cv1::CATEGORY_COMMUNAL_DINING},
        {"friend", "venne", "venskab"}}},
      {"loneliness",
       {{cv1::CATEGORY_MEETING_PLACE, cv1::CATEGORY_COMMUNAL_DINING},
        {"lonel", "ensom"}}},
      {"furniture",
       {{cv1::CATEGORY_DONATIONS_AND_SECOND_HAND}, {"furniture", "moebl"}}},
      {"clothes",
       {{cv1::CATEGORY_DONATIONS_AND_SECOND_HAND}, {"cloth", "toej"}}},
      {"football",
       {{cv1::CATEGORY_SPORT_AND_LEISURE}, {"football", "fodbold"}}},
      {"sport", {{cv1::CATEGORY_SPORT_AND_LEISURE}, {"sport", "idraet"}}},
      {"swimming", {{cv1::CATEGORY_SPORT_AND_LEISURE}, {"swim", "svoem"}}},
      {"music", {{cv1::CATEGORY_CULTURE}, {"music", "musik"}}},
      {"art", {{cv1::CATEGORY_CULTURE}, {"kunst", "painting", "maling"}}},
      {"culture", {{cv1::CATEGORY_CULTURE}, {"cultur", "kultur"}}},
      {"cooking",
       {{cv1::CATEGORY_COMMUNAL_DINING}, {"cook", "madlavning", "koekken"}}},
      {"food", {{cv1::CATEGORY_COMMUNAL_DINING}, {"food", "mad", "spisning"}}},
      {"children",
       {{cv1::CATEGORY_CHILDREN_AND_YOUTH}, {"children", "boern", "famil"}}},
  };
  return *map;
}

// A category as people say it ("homework help").
std::string CategoryWords(cv1::Category category) {
  switch (category) {
    case cv1::CATEGORY_LANGUAGE_CAFE:
      return "language café";
    case cv1::CATEGORY_HOMEWORK_HELP:
      return "homework help";
    case cv1::CATEGORY_COMMUNAL_DINING:
      return "communal dining";
    case cv1::CATEGORY_SPORT_AND_LEISURE:
      return "sport and leisure";
    case cv1::CATEGORY_CULTURE:
      return "culture";
    case cv1::CATEGORY_COUNSELLING:
      return "counselling";
    case cv1::CATEGORY_HOUSING:
      return "housing";
    case cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS:
      return "employment and internships";
    case cv1::CATEGORY_HEALTH:
      return "health";
    case cv1::CATEGORY_CHILDREN_AND_YOUTH:
      return "children and youth";
    case cv1::CATEGORY_DONATIONS_AND_SECOND_HAND:
      return "donations and second hand";
    case cv1::CATEGORY_MEETING_PLACE:
      return "a meeting place";
    default:
      return "an activity";
  }
}

// "ar-SY" -> "ar".
std::string PrimaryLanguage(absl::string_view tag) {
  return absl::AsciiStrToLower(tag.substr(0, tag.find('-')));
}

// Enough to take part in an activity held in the language; a skill of
// unknown level counts, as the caseworker recorded it.
bool SpeaksWell(const rv1::LanguageSkill& skill) {
  return skill.mother_tongue() ||
         skill.proficiency() == rv1::PROFICIENCY_UNSPECIFIED ||
         skill.proficiency() >= rv1::PROFICIENCY_CONVERSATIONAL;
}

bool FluentInDanish(const rv1::Actor& newcomer) {
  for (const rv1::LanguageSkill& skill : newcomer.languages()) {
    if (PrimaryLanguage(skill.code()) == "da" &&
        (skill.mother_tongue() ||
         skill.proficiency() >= rv1::PROFICIENCY_FLUENT)) {
      return true;
    }
  }
  return false;
}

// The words of an activity's name and description, folded.
std::vector<std::string> WordsOf(const cv1::Activity& activity) {
  const std::string folded = text::FoldForSearch(
      absl::StrCat(activity.display_name(), " ", activity.description()));
  return absl::StrSplit(folded, absl::ByAnyChar(" .,;:!?()[]/\"'&+-"),
                        absl::SkipEmpty());
}

// Whether any word begins with one of the tag's words (Danish compounds:
// "lektiehjaelp" is about "lektie"), or with the tag itself.
bool Mentions(const std::vector<std::string>& words, const std::string& tag,
              const TagMeaning* meaning) {
  auto begins_any = [&](const std::string& term) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
      return absl::StartsWith(w, term);
    });
  };
  if (begins_any(text::FoldForSearch(tag))) return true;
  return meaning != nullptr &&
         std::any_of(meaning->words.begin(), meaning->words.end(), begins_any);
}

bool CategoryMeets(const TagMeaning* meaning, cv1::Category category) {
  return meaning != nullptr &&
         std::find(meaning->categories.begin(), meaning->categories.end(),
                   category) != meaning->categories.end();
}

const TagMeaning* MeaningOf(const std::string& tag) {
  auto it = TagMeanings().find(tag);
  return it == TagMeanings().end() ? nullptr : &it->second;
}

// "the child aged 8", "the children aged 8 and 11", "... 4, 8 and 11".
std::string ChildrenAged(const std::vector<int>& ages) {
  if (ages.size() == 1) return absl::StrCat("the child aged ", ages[0]);
  const std::vector<int> but_last(ages.begin(), ages.end() - 1);
  return absl::StrCat("the children aged ", absl::StrJoin(but_last, ", "),
                      " and ", ages.back());
}

// How an activity's target groups fit the newcomer's household.
struct AudienceFit {
  bool fits = false;
  double points = 0;
  int children = 0;  // how many of the children it is for
  std::string reason;
};

AudienceFit FitAudience(const cv1::Activity& activity,
                        const rv1::Actor& newcomer) {
  AudienceFit best;
  if (activity.target_groups().empty()) {
    best.fits = true;  // for everyone
    return best;
  }
  const auto& ages = newcomer.newcomer().household().children_ages();
  const rv1::Gender gender = newcomer.newcomer().gender();
  auto consider = [&best](double points, int children, std::string reason) {
    best.fits = true;
    if (points > best.points ||
        (points == best.points && children > best.children)) {
      best.points = points;
      best.children = children;
      best.reason = std::move(reason);
    }
  };
  auto children_between = [&ages](int from, int to) {
    std::vector<int> out;
    for (int age : ages) {
      if (age >= from && age <= to) out.push_back(age);
    }
    return out;
  };
  for (const cv1::TargetGroup& group : activity.target_groups()) {
    switch (group.kind()) {
      case cv1::TargetGroup::KIND_CHILDREN: {
        const std::vector<int> fitting =
            children_between(group.min_age(), group.max_age());
        if (fitting.empty()) break;
        consider(2, fitting.size(),
                 absl::StrCat(CategoryWords(activity.category()), " for ages ",
                              group.min_age(), "-", group.max_age(), ", fits ",
                              ChildrenAged(fitting)));
        break;
      }
      case cv1::TargetGroup::KIND_YOUTH: {
        const std::vector<int> fitting = children_between(kYouthFrom, kYouthTo);
        if (fitting.empty()) {
          // The newcomer may be young themselves: matching does not know
          // their age.
          best.fits = true;
          break;
        }
        consider(
            2, fitting.size(),
            absl::StrCat(CategoryWords(activity.category()),
                         " for young people, fits ", ChildrenAged(fitting)));
        break;
      }
      case cv1::TargetGroup::KIND_FAMILIES:
        if (!ages.empty()) {
          consider(1, 0, "for families, and the newcomer has children");
        }
        break;
      case cv1::TargetGroup::KIND_WOMEN:
      case cv1::TargetGroup::KIND_MEN: {
        const bool for_women = group.kind() == cv1::TargetGroup::KIND_WOMEN;
        if (gender != rv1::GENDER_FEMALE && gender != rv1::GENDER_MALE) {
          best.fits = true;  // not recorded: let people judge
        } else if ((gender == rv1::GENDER_FEMALE) == for_women) {
          consider(1, 0, for_women ? "a group for women" : "a group for men");
        }
        break;
      }
      default:  // everyone
        best.fits = true;
        break;
    }
  }
  return best;
}

// "2026-12-01T17:00:00" -> "2026-12-01 at 17:00".
std::string WhenLocal(const std::string& local_start) {
  std::string when = local_start.substr(0, 16);
  return absl::StrReplaceAll(when, {{"T", " at "}});
}

struct Ranked {
  v1::ActivitySuggestion suggestion;
  absl::Time next = absl::InfiniteFuture();
};

// The activity's points and reasons; nullopt when it is left out.
std::optional<Ranked> Rank(const rv1::Actor& newcomer,
                           const cv1::SearchResult& result, absl::Time now) {
  const cv1::Activity& activity = result.activity();
  if (activity.state() != cv1::ACTIVITY_STATE_PUBLISHED ||
      activity.kind() == cv1::ACTIVITY_KIND_MUNICIPAL_TASK ||
      !result.has_next_occurrence() || result.next_occurrence().cancelled()) {
    return std::nullopt;
  }
  const AudienceFit audience = FitAudience(activity, newcomer);
  if (!audience.fits) return std::nullopt;

  Ranked entry;
  double points = 0;
  auto& reasons = *entry.suggestion.mutable_reasons();
  auto earn = [&](double more, std::string reason) {
    points += more;
    reasons.Add(std::move(reason));
  };

  const std::string area = text::FoldForSearch(activity.place().area());
  for (const std::string& town : newcomer.areas()) {
    if (!area.empty() && text::FoldForSearch(town) == area) {
      earn(3, absl::StrCat("in ", town, ", where the newcomer lives"));
      break;
    }
  }

  // The newcomer's languages, mother tongue first, so that the reason
  // names the one they are most at home in.
  std::vector<const rv1::LanguageSkill*> spoken;
  for (const rv1::LanguageSkill& skill : newcomer.languages()) {
    if (SpeaksWell(skill)) spoken.push_back(&skill);
  }
  std::stable_sort(
      spoken.begin(), spoken.end(),
      [](const rv1::LanguageSkill* a, const rv1::LanguageSkill* b) {
        return a->mother_tongue() && !b->mother_tongue();
      });
  std::set<std::string> offered;
  for (const std::string& tag : activity.languages()) {
    offered.insert(PrimaryLanguage(tag));
  }
  // Held only in languages the newcomer does not speak (a Ukrainian group
  // for an Arabic speaker). Danish is always welcome: taking part is how
  // the language is learnt.
  if (!offered.empty() && !offered.contains("da") &&
      std::none_of(spoken.begin(), spoken.end(),
                   [&offered](const rv1::LanguageSkill* skill) {
                     return offered.contains(PrimaryLanguage(skill->code()));
                   })) {
    return std::nullopt;
  }
  for (const rv1::LanguageSkill* skill : spoken) {
    const std::string code = PrimaryLanguage(skill->code());
    // Danish is what nearly every activity is held in; it sets none apart.
    if (code != "da" && offered.contains(code)) {
      earn(2, absl::StrCat("held in ", LanguageName(code),
                           ", which the newcomer speaks"));
      break;
    }
  }
  if (activity.category() == cv1::CATEGORY_LANGUAGE_CAFE &&
      !FluentInDanish(newcomer)) {
    earn(2,
         "a language café to practise Danish, which the newcomer is "
         "learning");
  }

  std::vector<std::string> words;  // folded only when a tag needs them
  bool have_words = false;
  auto mentions = [&](const std::string& tag, const TagMeaning* meaning) {
    if (!have_words) {
      words = WordsOf(activity);
      have_words = true;
    }
    return Mentions(words, tag, meaning);
  };
  std::set<std::string> tags_seen;
  for (const std::string& raw : newcomer.newcomer().needs()) {
    const std::string need = absl::AsciiStrToLower(raw);
    if (!tags_seen.insert(need).second) continue;
    const TagMeaning* meaning = MeaningOf(need);
    if (CategoryMeets(meaning, activity.category())) {
      earn(2, absl::StrCat(CategoryWords(activity.category()),
                           ", which meets the newcomer's need: ", need));
    } else if (mentions(need, meaning)) {
      earn(1, absl::StrCat("speaks of ", need,
                           ", which the newcomer wants help with"));
    }
  }
  for (const std::string& raw : newcomer.interests()) {
    const std::string interest = absl::AsciiStrToLower(raw);
    if (!tags_seen.insert(interest).second) continue;
    const TagMeaning* meaning = MeaningOf(interest);
    if (CategoryMeets(meaning, activity.category()) ||
        mentions(interest, meaning)) {
      earn(1, absl::StrCat("fits the newcomer's interest: ", interest));
    }
  }

  if (audience.points > 0) earn(audience.points, audience.reason);
  if (points <= 0) return std::nullopt;

  entry.next = store::FromTimestamp(result.next_occurrence().start_time());
  if (entry.next - now <= kSoon) {
    earn(0.5,
         result.next_occurrence().local_start_time().empty()
             ? std::string("next time within two weeks")
             : absl::StrCat(
                   "next on ",
                   WhenLocal(result.next_occurrence().local_start_time())));
  }
  *entry.suggestion.mutable_activity() = activity;
  entry.suggestion.set_score(points);
  return entry;
}

}  // namespace

std::vector<v1::ActivitySuggestion> RankActivities(
    const rv1::Actor& newcomer, const std::vector<cv1::SearchResult>& results,
    absl::Time now) {
  std::vector<Ranked> ranked;
  std::set<std::string> seen;
  for (const cv1::SearchResult& result : results) {
    if (!seen.insert(result.activity().name()).second) continue;
    if (std::optional<Ranked> entry = Rank(newcomer, result, now)) {
      ranked.push_back(*std::move(entry));
    }
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
  // newcomer they support; a proposal not yet accepted is not a match.
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
  const absl::string_view name = request.newcomer();
  ASSIGN_OR_RETURN(
      std::string municipality,
      ParseParent(name.substr(0, name.find("/actors/")), "newcomer"));
  ASSIGN_OR_RETURN(std::string newcomer_id,
                   ParseActorId(name, municipality, "newcomer"));
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

  // The catalogue wants both ends of a window or neither; suggestions are
  // for the coming year from `from_time`.
  const absl::Time from =
      request.has_from_time() ? store::FromTimestamp(request.from_time()) : now;
  cv1::ActivityQuery base;
  base.set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
  *base.mutable_window_start_time() = store::ToTimestamp(from);
  *base.mutable_window_end_time() = store::ToTimestamp(from + kHorizon);
  // The municipality-wide search is ordered by date and may stop before a
  // quiet small town's activities; searching each town makes sure those
  // are seen.
  std::vector<cv1::ActivityQuery> queries;
  for (int i = 0; i < newcomer->areas_size() && i < kMaxTowns; ++i) {
    cv1::ActivityQuery query = base;
    query.set_area(newcomer->areas(i));
    queries.push_back(std::move(query));
  }
  queries.push_back(base);
  std::vector<cv1::SearchResult> results;
  for (const cv1::ActivityQuery& query : queries) {
    ASSIGN_OR_RETURN(
        std::vector<cv1::SearchResult> found,
        source_.Search(authorization, municipality, query, kPerSearch));
    std::move(found.begin(), found.end(), std::back_inserter(results));
  }

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
