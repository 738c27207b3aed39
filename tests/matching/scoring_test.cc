// Scoring as a coordinator sees it: who is eligible, who ranks first, and
// what the explanation says.
#include "services/matching/scoring.h"

#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/matching/candidate.h"
#include "services/matching/default_weights.h"

namespace brobygger::matching {
namespace {

namespace rv1 = ::brobygger::registry::v1;
using ::testing::HasSubstr;

rv1::Actor Newcomer() {
  rv1::Actor actor;
  actor.set_name("municipalities/kolding/actors/200");
  actor.set_kind(rv1::ACTOR_KIND_NEWCOMER);
  actor.add_areas("Vamdrup");
  rv1::LanguageSkill* ti = actor.add_languages();
  ti->set_code("ti");
  ti->set_proficiency(rv1::PROFICIENCY_NATIVE);
  ti->set_mother_tongue(true);
  rv1::LanguageSkill* en = actor.add_languages();
  en->set_code("en");
  en->set_proficiency(rv1::PROFICIENCY_CONVERSATIONAL);
  actor.mutable_newcomer()->add_needs("bank");
  actor.mutable_newcomer()->add_needs("doctor");
  actor.mutable_newcomer()->add_needs("bus");
  actor.mutable_newcomer()->mutable_household()->add_children_ages(8);
  actor.mutable_newcomer()->mutable_household()->add_children_ages(11);
  return actor;
}

Seeker SeekerOf(v1::MatchKind kind = v1::MATCH_KIND_RECEPTION_BUDDY,
                v1::HardConstraints constraints = {}) {
  v1::VolunteerRequest request;
  request.set_kind(kind);
  *request.mutable_constraints() = constraints;
  return SeekerFor(request, Newcomer());
}

Candidate Volunteer(const std::string& id,
                    std::vector<std::pair<std::string, int>> languages,
                    std::vector<std::string> areas = {"Vamdrup"}) {
  rv1::Actor actor;
  actor.set_name("municipalities/kolding/actors/" + id);
  actor.set_display_name("Volunteer " + id);
  actor.set_kind(rv1::ACTOR_KIND_VOLUNTEER);
  for (const auto& [code, proficiency] : languages) {
    rv1::LanguageSkill* skill = actor.add_languages();
    skill->set_code(code);
    skill->set_proficiency(static_cast<rv1::Proficiency>(proficiency));
    skill->set_mother_tongue(proficiency == rv1::PROFICIENCY_NATIVE);
  }
  for (const std::string& area : areas) actor.add_areas(area);
  actor.mutable_volunteer()->set_capacity(2);
  return CandidateFromActor(actor);
}

std::string ExplanationOf(const v1::Suggestion& suggestion,
                          v1::Criterion criterion) {
  for (const v1::CriterionScore& score : suggestion.criteria()) {
    if (score.criterion() == criterion) return score.explanation();
  }
  return "";
}

TEST(ScoringTest, TigrinyaSpeakingFormerRefugeeIsTheBestReceptionBuddy) {
  const Seeker seeker = SeekerOf();
  const v1::CriterionWeights weights =
      DefaultWeights(v1::MATCH_KIND_RECEPTION_BUDDY);
  Candidate corps = Volunteer(
      "1", {{"ti", rv1::PROFICIENCY_NATIVE}, {"da", rv1::PROFICIENCY_FLUENT}});
  corps.former_refugee = true;
  corps.competences = {"bank", "doctor"};
  Candidate dane = Volunteer(
      "2", {{"da", rv1::PROFICIENCY_NATIVE}, {"en", rv1::PROFICIENCY_FLUENT}});
  dane.competences = {"bank", "doctor", "bus"};
  ASSERT_TRUE(Eligible(seeker, corps));
  ASSERT_TRUE(Eligible(seeker, dane)) << "they share English";
  EXPECT_GT(Score(seeker, corps, weights), Score(seeker, dane, weights));

  const v1::Suggestion explained = Explain(seeker, corps, weights);
  EXPECT_THAT(ExplanationOf(explained, v1::CRITERION_LANGUAGE),
              HasSubstr("Tigrinya, the newcomer's mother tongue"));
  EXPECT_THAT(ExplanationOf(explained, v1::CRITERION_AREA),
              HasSubstr("Vamdrup"));
  EXPECT_THAT(ExplanationOf(explained, v1::CRITERION_COMPETENCES),
              HasSubstr("2 of 3 needs: bank, doctor"));
  EXPECT_THAT(ExplanationOf(explained, v1::CRITERION_FORMER_REFUGEE),
              HasSubstr("refugee"));
  EXPECT_THAT(
      ExplanationOf(Explain(seeker, dane, weights), v1::CRITERION_LANGUAGE),
      HasSubstr("English (not the newcomer's mother tongue)"));
}

TEST(ScoringTest, MotherTongueBeatsASecondLanguage) {
  const Seeker seeker = SeekerOf();
  const v1::CriterionWeights weights = DefaultWeights(v1::MATCH_KIND_MENTOR);
  const Candidate mother =
      Volunteer("1", {{"ti", rv1::PROFICIENCY_CONVERSATIONAL}});
  const Candidate second = Volunteer("2", {{"en", rv1::PROFICIENCY_NATIVE}});
  EXPECT_GT(Score(seeker, mother, weights), Score(seeker, second, weights));
}

TEST(ScoringTest, HardConstraintsFilter) {
  v1::HardConstraints constraints;
  constraints.set_language("ti");
  constraints.set_area("vamdrup");
  constraints.set_volunteer_gender(rv1::GENDER_FEMALE);
  const Seeker seeker = SeekerOf(v1::MATCH_KIND_RECEPTION_BUDDY, constraints);
  Candidate fits = Volunteer("1", {{"ti", rv1::PROFICIENCY_CONVERSATIONAL}});
  fits.gender = rv1::GENDER_FEMALE;
  EXPECT_TRUE(Eligible(seeker, fits)) << "area compared ignoring case";

  Candidate man = fits;
  man.gender = rv1::GENDER_MALE;
  EXPECT_FALSE(Eligible(seeker, man));
  Candidate basic = fits;
  basic.languages[0].proficiency = rv1::PROFICIENCY_BASIC;
  EXPECT_FALSE(Eligible(seeker, basic)) << "basic Tigrinya is not enough";
  Candidate elsewhere = fits;
  elsewhere.folded_areas = {"kolding c"};
  EXPECT_FALSE(Eligible(seeker, elsewhere));
  Candidate full = fits;
  full.load = full.capacity;
  EXPECT_FALSE(Eligible(seeker, full));

  const Seeker open = SeekerOf();
  EXPECT_FALSE(
      Eligible(open, Volunteer("9", {{"so", rv1::PROFICIENCY_NATIVE}})))
      << "no shared language";
}

TEST(ScoringTest, WeightsDecideTheRankingAndTheExplanation) {
  const Seeker seeker = SeekerOf();
  Candidate near = Volunteer("1", {{"en", rv1::PROFICIENCY_FLUENT}});
  Candidate speaker =
      Volunteer("2", {{"ti", rv1::PROFICIENCY_NATIVE}}, {"Kolding C"});
  v1::CriterionWeights area_only;
  area_only.set_area(100);
  v1::CriterionWeights language_only;
  language_only.set_language(100);
  EXPECT_GT(Score(seeker, near, area_only), Score(seeker, speaker, area_only));
  EXPECT_GT(Score(seeker, speaker, language_only),
            Score(seeker, near, language_only));
  const v1::Suggestion explained = Explain(seeker, near, area_only);
  ASSERT_EQ(explained.criteria_size(), 1) << "zero weights are left out";
  EXPECT_EQ(explained.criteria(0).criterion(), v1::CRITERION_AREA);
}

TEST(ScoringTest, FamiliesFitByChildrensAges) {
  const Seeker seeker = SeekerOf(v1::MATCH_KIND_NETWORK_FAMILY);
  const v1::CriterionWeights weights =
      DefaultWeights(v1::MATCH_KIND_NETWORK_FAMILY);
  Candidate family = Volunteer("1", {{"en", rv1::PROFICIENCY_FLUENT}});
  family.children_ages = {9, 12};
  Candidate teens = Volunteer("2", {{"en", rv1::PROFICIENCY_FLUENT}});
  teens.children_ages = {16};
  EXPECT_GT(Score(seeker, family, weights), Score(seeker, teens, weights));
  EXPECT_THAT(
      ExplanationOf(Explain(seeker, family, weights), v1::CRITERION_FAMILY_FIT),
      HasSubstr("2 of 2 children"));
}

TEST(ScoringTest, LoadLowersTheScore) {
  const Seeker seeker = SeekerOf();
  const v1::CriterionWeights weights =
      DefaultWeights(v1::MATCH_KIND_RECEPTION_BUDDY);
  Candidate idle = Volunteer("1", {{"ti", rv1::PROFICIENCY_NATIVE}});
  Candidate busy = idle;
  busy.load = 1;
  EXPECT_GT(Score(seeker, idle, weights), Score(seeker, busy, weights));
  EXPECT_EQ(ExplanationOf(Explain(seeker, busy, weights), v1::CRITERION_LOAD),
            "1 of 2 matches in use");
}

TEST(ScoringTest, ScoreEqualsTheExplainedScore) {
  std::mt19937 random(11);
  const std::vector<std::string> codes = {"ti", "en", "da", "ar"};
  const std::vector<std::string> areas = {"Vamdrup", "Kolding C", "Lunderskov"};
  const std::vector<std::string> tags = {"bank", "doctor", "bus", "cv"};
  std::uniform_int_distribution<int> pick(0, 3);
  for (int kind = 1; kind <= 5; ++kind) {
    const Seeker seeker = SeekerOf(static_cast<v1::MatchKind>(kind));
    const v1::CriterionWeights weights =
        DefaultWeights(static_cast<v1::MatchKind>(kind));
    for (int i = 0; i < 200; ++i) {
      Candidate c = Volunteer(std::to_string(i),
                              {{codes[pick(random)], 1 + pick(random)}},
                              {areas[pick(random) % 3]});
      c.competences = {tags[pick(random)], tags[pick(random)]};
      c.load = pick(random) % 2;
      c.former_refugee = pick(random) == 0;
      c.children_ages = {pick(random) * 4};
      c.availability = {{pick(random) * 600, pick(random) * 600 + 120}};
      EXPECT_EQ(Score(seeker, c, weights), Explain(seeker, c, weights).score());
    }
  }
}

TEST(ScoringTest, DefaultWeightsSumToOneHundredAndValidate) {
  for (int kind = 1; kind <= 5; ++kind) {
    const v1::CriterionWeights w =
        DefaultWeights(static_cast<v1::MatchKind>(kind));
    EXPECT_DOUBLE_EQ(w.language() + w.area() + w.availability() +
                         w.competences() + w.interests() + w.family_fit() +
                         w.load() + w.former_refugee(),
                     100);
    FieldViolations violations;
    CheckWeights(w, "weights", &violations);
    EXPECT_TRUE(violations.empty());
  }
  v1::CriterionWeights bad;
  bad.set_area(150);
  FieldViolations violations;
  CheckWeights(bad, "weights", &violations);
  ASSERT_FALSE(violations.empty());
  EXPECT_EQ(violations.violations()[0].field, "weights.area");
  FieldViolations zero;
  CheckWeights(v1::CriterionWeights(), "weights", &zero);
  EXPECT_FALSE(zero.empty()) << "all-zero weights rank nobody";
}

TEST(ScoringTest, SeekerWishesDefaultToTheProfileUnlessGiven) {
  v1::VolunteerRequest request;
  request.set_kind(v1::MATCH_KIND_MENTOR);
  const Seeker defaulted = SeekerFor(request, Newcomer());
  EXPECT_EQ(defaulted.needs,
            (std::vector<std::string>{"bank", "doctor", "bus"}));
  EXPECT_EQ(defaulted.children_ages, (std::vector<int>{8, 11}));
  request.mutable_wishes()->add_needs("CV");
  const Seeker explicit_needs = SeekerFor(request, Newcomer());
  EXPECT_EQ(explicit_needs.needs, (std::vector<std::string>{"cv"}));
}

}  // namespace
}  // namespace brobygger::matching
