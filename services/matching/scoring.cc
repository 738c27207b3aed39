#include "services/matching/scoring.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace brobygger::matching {
namespace {

namespace rv1 = ::brobygger::registry::v1;

constexpr double kFullWeeklyMinutes = 180;
constexpr double kBasicLanguageFit = 0.2;
constexpr double kFluentOtherLanguageFit = 0.6;
constexpr double kUnknownAvailability = 0.3;
constexpr int kFamilyAgeGap = 3;
constexpr int kInterestsForFullFit = 3;

enum CriterionIndex {
  kLanguage,
  kArea,
  kAvailability,
  kCompetences,
  kInterests,
  kFamily,
  kLoad,
  kRefugee,
  kCriteria
};

constexpr std::array<v1::Criterion, kCriteria> kCriterionEnum = {
    v1::CRITERION_LANGUAGE,     v1::CRITERION_AREA,
    v1::CRITERION_AVAILABILITY, v1::CRITERION_COMPETENCES,
    v1::CRITERION_INTERESTS,    v1::CRITERION_FAMILY_FIT,
    v1::CRITERION_LOAD,         v1::CRITERION_FORMER_REFUGEE};

std::array<double, kCriteria> WeightArray(const v1::CriterionWeights& w) {
  return {w.language(),  w.area(),       w.availability(), w.competences(),
          w.interests(), w.family_fit(), w.load(),         w.former_refugee()};
}

bool Speaks(const Language& language, int at_least) {
  return language.mother_tongue || language.proficiency >= at_least;
}

// What the fits were computed from, for explanations.
struct Detail {
  const Language* seeker_language = nullptr;
  const Language* candidate_language = nullptr;
  std::string area;             // the volunteer's area that matched, as written
  bool area_requested = false;  // it is the request's required area
  int overlap_minutes = 0;
  int candidate_minutes = 0;
  std::vector<std::string> covered_needs;
  std::vector<std::string> shared_interests;
  int fitting_children = 0;
};

double LanguageFit(const Seeker& s, const Candidate& c, Detail* detail) {
  double best = 0;
  for (const Language& mine : s.languages) {
    for (const Language& theirs : c.languages) {
      if (mine.code != theirs.code) continue;
      double fit;
      const bool basic =
          (!mine.mother_tongue && mine.proficiency == rv1::PROFICIENCY_BASIC) ||
          (!theirs.mother_tongue &&
           theirs.proficiency == rv1::PROFICIENCY_BASIC);
      if (basic) {
        fit = kBasicLanguageFit;
      } else if (mine.mother_tongue) {
        fit = Speaks(theirs, rv1::PROFICIENCY_FLUENT) ? 1.0 : 0.8;
      } else {
        fit = Speaks(theirs, rv1::PROFICIENCY_FLUENT) ? kFluentOtherLanguageFit
                                                      : 0.4;
      }
      if (fit > best) {
        best = fit;
        if (detail != nullptr) {
          detail->seeker_language = &mine;
          detail->candidate_language = &theirs;
        }
      }
    }
  }
  return best;
}

double AreaFit(const Seeker& s, const Candidate& c, Detail* detail) {
  if (c.folded_areas.empty()) return 0.5;
  for (size_t i = 0; i < c.folded_areas.size(); ++i) {
    const std::string& area = c.folded_areas[i];
    const bool wanted =
        (!s.folded_required_area.empty() && area == s.folded_required_area) ||
        std::find(s.folded_areas.begin(), s.folded_areas.end(), area) !=
            s.folded_areas.end();
    if (wanted) {
      if (detail != nullptr) {
        detail->area = c.areas[i];
        detail->area_requested =
            !s.folded_required_area.empty() && area == s.folded_required_area;
      }
      return 1.0;
    }
  }
  return 0;
}

int Minutes(const std::vector<WeekWindow>& windows) {
  int total = 0;
  for (const WeekWindow& w : windows) total += w.end - w.start;
  return total;
}

double AvailabilityFit(const Seeker& s, const Candidate& c, Detail* detail) {
  if (c.availability.empty()) return kUnknownAvailability;
  const int theirs = Minutes(c.availability);
  if (detail != nullptr) detail->candidate_minutes = theirs;
  if (s.availability.empty()) {
    return std::min(1.0, theirs / kFullWeeklyMinutes);
  }
  int overlap = 0;
  for (const WeekWindow& a : s.availability) {
    for (const WeekWindow& b : c.availability) {
      overlap +=
          std::max(0, std::min(a.end, b.end) - std::max(a.start, b.start));
    }
  }
  if (detail != nullptr) detail->overlap_minutes = overlap;
  const double wanted =
      std::min<double>(Minutes(s.availability), kFullWeeklyMinutes);
  return wanted <= 0 ? 0 : std::min(1.0, overlap / wanted);
}

double CompetenceFit(const Seeker& s, const Candidate& c, Detail* detail) {
  if (s.needs.empty()) return 0;
  int covered = 0;
  for (const std::string& need : s.needs) {
    if (std::find(c.competences.begin(), c.competences.end(), need) !=
        c.competences.end()) {
      ++covered;
      if (detail != nullptr) detail->covered_needs.push_back(need);
    }
  }
  return static_cast<double>(covered) / s.needs.size();
}

double InterestFit(const Seeker& s, const Candidate& c, Detail* detail) {
  if (s.interests.empty()) return 0;
  int shared = 0;
  for (const std::string& interest : s.interests) {
    if (std::find(c.interests.begin(), c.interests.end(), interest) !=
        c.interests.end()) {
      ++shared;
      if (detail != nullptr) detail->shared_interests.push_back(interest);
    }
  }
  const int wanted =
      std::min<int>(static_cast<int>(s.interests.size()), kInterestsForFullFit);
  return std::min(1.0, static_cast<double>(shared) / wanted);
}

double FamilyFit(const Seeker& s, const Candidate& c, Detail* detail) {
  if (s.children_ages.empty()) return 0;
  int fitting = 0;
  for (int age : s.children_ages) {
    for (int theirs : c.children_ages) {
      if (std::abs(age - theirs) <= kFamilyAgeGap) {
        ++fitting;
        break;
      }
    }
  }
  if (detail != nullptr) detail->fitting_children = fitting;
  return static_cast<double>(fitting) / s.children_ages.size();
}

double LoadFit(const Candidate& c) {
  if (c.capacity <= 0) return 0;
  return std::max(0.0, 1.0 - static_cast<double>(c.load) / c.capacity);
}

double Fit(int criterion, const Seeker& s, const Candidate& c, Detail* detail) {
  switch (criterion) {
    case kLanguage:
      return LanguageFit(s, c, detail);
    case kArea:
      return AreaFit(s, c, detail);
    case kAvailability:
      return AvailabilityFit(s, c, detail);
    case kCompetences:
      return CompetenceFit(s, c, detail);
    case kInterests:
      return InterestFit(s, c, detail);
    case kFamily:
      return FamilyFit(s, c, detail);
    case kLoad:
      return LoadFit(c);
    case kRefugee:
      return c.former_refugee ? 1.0 : 0.0;
  }
  return 0;
}

std::string Hours(int minutes) {
  return minutes % 60 == 0
             ? absl::StrCat(minutes / 60, " h")
             : absl::StrCat(minutes / 60, " h ", minutes % 60, " min");
}

std::string Explanation(int criterion, double fit, const Seeker& s,
                        const Candidate& c, const Detail& d) {
  switch (criterion) {
    case kLanguage: {
      if (s.languages.empty())
        return "the newcomer's languages are not recorded";
      if (d.candidate_language == nullptr) return "shares no language";
      const std::string name = LanguageName(d.candidate_language->code);
      // Says the level that was scored: "speaks Tigrinya" would overstate
      // a volunteer who knows a few words of it.
      if (fit <= kBasicLanguageFit) {
        return d.seeker_language->mother_tongue
                   ? absl::StrCat("speaks a little ", name,
                                  ", the newcomer's mother tongue")
                   : absl::StrCat("shares ", name, " only at a basic level");
      }
      if (d.seeker_language->mother_tongue) {
        if (d.candidate_language->mother_tongue) {
          return absl::StrCat("speaks ", name,
                              ", the newcomer's mother tongue, as their own "
                              "mother tongue");
        }
        return absl::StrCat("speaks ", name, ", the newcomer's mother tongue",
                            fit >= 1.0 ? ", fluently" : ", conversationally");
      }
      return absl::StrCat(
          "shares ", name, " (not the newcomer's mother tongue)",
          fit >= kFluentOtherLanguageFit ? ", fluently" : ", conversationally");
    }
    case kArea:
      if (!d.area.empty()) {
        return d.area_requested
                   ? absl::StrCat("active in ", d.area, ", as requested")
                   : absl::StrCat("active in ", d.area,
                                  ", where the newcomer lives");
      }
      if (fit > 0) return "active in the whole municipality";
      if (s.folded_areas.empty() && s.folded_required_area.empty()) {
        return "the newcomer's town is not recorded";
      }
      return absl::StrCat("active elsewhere (", absl::StrJoin(c.areas, ", "),
                          ")");
    case kAvailability:
      if (c.availability.empty()) return "availability not stated";
      if (s.availability.empty()) {
        return absl::StrCat("available ", Hours(d.candidate_minutes),
                            " a week");
      }
      return d.overlap_minutes > 0
                 ? absl::StrCat("free ", Hours(d.overlap_minutes),
                                " a week when the newcomer is")
                 : "never free when the newcomer is";
    case kCompetences:
      if (s.needs.empty()) return "no needs stated";
      return absl::StrCat(
          "covers ", d.covered_needs.size(), " of ", s.needs.size(), " needs",
          d.covered_needs.empty()
              ? ""
              : absl::StrCat(": ", absl::StrJoin(d.covered_needs, ", ")));
    case kInterests:
      if (s.interests.empty()) return "no interests stated";
      return d.shared_interests.empty()
                 ? "no shared interests"
                 : absl::StrCat("shares interests: ",
                                absl::StrJoin(d.shared_interests, ", "));
    case kFamily:
      if (s.children_ages.empty()) return "the newcomer has no children listed";
      return absl::StrCat(d.fitting_children, " of ", s.children_ages.size(),
                          " children have a child of similar age in the "
                          "volunteer's household");
    case kLoad:
      return absl::StrCat(c.load, " of ", c.capacity, " matches in use");
    case kRefugee:
      return c.former_refugee ? "came to Denmark as a refugee"
                              : "did not come as a refugee";
  }
  return "";
}

}  // namespace

bool Eligible(const Seeker& s, const Candidate& c) {
  if (c.load >= c.capacity) return false;
  if (s.required_gender != 0 && c.gender != s.required_gender) return false;
  if (!s.required_language.empty()) {
    bool speaks = false;
    for (const Language& language : c.languages) {
      speaks |= language.code == s.required_language &&
                Speaks(language, rv1::PROFICIENCY_CONVERSATIONAL);
    }
    if (!speaks) return false;
  }
  if (!s.folded_required_area.empty() &&
      std::find(c.folded_areas.begin(), c.folded_areas.end(),
                s.folded_required_area) == c.folded_areas.end()) {
    return false;
  }
  if (!s.languages.empty()) {
    for (const Language& mine : s.languages) {
      for (const Language& theirs : c.languages) {
        if (mine.code == theirs.code) return true;
      }
    }
    return false;
  }
  return true;
}

// Score and Explain add the same terms in the same order (criteria of
// weight 0 are skipped by both: computing them would only add 0), so
// their totals are equal to the last bit.
double Score(const Seeker& seeker, const Candidate& candidate,
             const v1::CriterionWeights& weights) {
  const std::array<double, kCriteria> weight = WeightArray(weights);
  double total = 0;
  for (int i = 0; i < kCriteria; ++i) {
    if (weight[i] == 0) continue;
    total += Fit(i, seeker, candidate, nullptr) * weight[i];
  }
  return total;
}

v1::Suggestion Explain(const Seeker& seeker, const Candidate& candidate,
                       const v1::CriterionWeights& weights) {
  const std::array<double, kCriteria> weight = WeightArray(weights);
  v1::Suggestion out;
  out.set_volunteer(candidate.name);
  out.set_display_name(candidate.display_name);
  out.set_organisation(candidate.organisation);
  out.set_load(candidate.load);
  out.set_capacity(candidate.capacity);
  double total = 0;
  for (int i = 0; i < kCriteria; ++i) {
    if (weight[i] == 0) continue;
    Detail detail;
    const double fit = Fit(i, seeker, candidate, &detail);
    total += fit * weight[i];
    if (weight[i] < 0) continue;  // refused by CheckWeights; never shown
    v1::CriterionScore* criterion = out.add_criteria();
    criterion->set_criterion(kCriterionEnum[i]);
    criterion->set_fit(fit);
    criterion->set_weight(weight[i]);
    criterion->set_points(fit * weight[i]);
    criterion->set_explanation(Explanation(i, fit, seeker, candidate, detail));
  }
  out.set_score(total);
  return out;
}

}  // namespace brobygger::matching
