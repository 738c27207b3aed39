#include "services/matching/default_weights.h"

#include <cmath>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace brobygger::matching {
namespace {

v1::CriterionWeights Weights(double language, double area, double availability,
                             double competences, double interests,
                             double family_fit, double load,
                             double former_refugee) {
  v1::CriterionWeights w;
  w.set_language(language);
  w.set_area(area);
  w.set_availability(availability);
  w.set_competences(competences);
  w.set_interests(interests);
  w.set_family_fit(family_fit);
  w.set_load(load);
  w.set_former_refugee(former_refugee);
  return w;
}

}  // namespace

v1::CriterionWeights DefaultWeights(v1::MatchKind kind) {
  switch (kind) {
    case v1::MATCH_KIND_RECEPTION_BUDDY:
      return Weights(35, 20, 5, 15, 0, 0, 10, 15);
    case v1::MATCH_KIND_MENTOR:
      return Weights(25, 15, 10, 25, 10, 0, 15, 0);
    case v1::MATCH_KIND_NETWORK_FAMILY:
    case v1::MATCH_KIND_FRIENDSHIP_FAMILY:
      return Weights(20, 20, 10, 5, 15, 20, 10, 0);
    case v1::MATCH_KIND_LOCAL_WELCOME_CONTACT:
      return Weights(20, 45, 10, 5, 5, 0, 15, 0);
    default:
      return Weights(25, 20, 10, 15, 10, 5, 15, 0);
  }
}

v1::CriterionWeights WeightsFor(const v1::MatchingSettings& settings,
                                v1::MatchKind kind) {
  for (const v1::KindWeights& entry : settings.weights()) {
    if (entry.kind() == kind) return entry.weights();
  }
  return DefaultWeights(kind);
}

void CheckWeights(const v1::CriterionWeights& weights, const std::string& field,
                  FieldViolations* violations) {
  const std::vector<std::pair<const char*, double>> all = {
      {"language", weights.language()},
      {"area", weights.area()},
      {"availability", weights.availability()},
      {"competences", weights.competences()},
      {"interests", weights.interests()},
      {"family_fit", weights.family_fit()},
      {"load", weights.load()},
      {"former_refugee", weights.former_refugee()}};
  bool any = false;
  for (const auto& [name, value] : all) {
    if (!std::isfinite(value) || value < 0 || value > kMaxWeight) {
      violations->Add(absl::StrCat(field, ".", name),
                      "must be a number between 0 and 100");
    } else if (value > 0) {
      any = true;
    }
  }
  if (!any) {
    violations->Add(field, "at least one criterion must weigh more than 0");
  }
}

}  // namespace brobygger::matching
