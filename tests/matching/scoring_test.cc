// Scoring as a coordinator sees it: who is eligible, who ranks first, and
// what the explanation says.
#include "services/matching/scoring.h"

#include <cmath>
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

const v1::CriterionScore& CriterionOf(const v1::Suggestion& suggestion,
                                      v1::Criterion criterion) {
  for (const v1::CriterionScore& score : suggestion.criteria()) {
    if (score.criterion() == criterion) return score;
  }
  static const v1::CriterionScore* const kMissing = new v1::CriterionScore;
  ADD_FAILURE() << "no " << v1::Criterion_Name(criterion);
  return *kMissing;
}

v1::CriterionWeights Only(v1::Criterion criterion) {
  v1::CriterionWeights weights;
  switch (criterion) {
    case v1::CRITERION_LANGUAGE:
      weights.set_language(100);
      break;
    case v1::CRITERION_AREA:
      weights.set_area(100);
      break;
    case v1::CRITERION_AVAILABILITY:
      weights.set_availability(100);
      break;
    case v1::CRITERION_INTERESTS:
      weights.set_interests(100);
      break;
    default:
      ADD_FAILURE() << "not used by these tests";
  }
  return weights;
}

rv1::WeeklyWindow Window(rv1::DayOfWeek day, int from_hour, int to_hour) {
  rv1::WeeklyWindow window;
  window.set_day(day);
  window.mutable_start_time()->set_hours(from_hour);
  window.mutable_end_time()->set_hours(to_hour);
  return window;
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

TEST(ScoringTest, ExplanationsSayTheLevelThatWasScored) {
  const Seeker seeker = SeekerOf();
  const v1::CriterionWeights weights = Only(v1::CRITERION_LANGUAGE);
  const v1::CriterionScore conversational = CriterionOf(
      Explain(seeker, Volunteer("1", {{"ti", rv1::PROFICIENCY_CONVERSATIONAL}}),
              weights),
      v1::CRITERION_LANGUAGE);
  EXPECT_DOUBLE_EQ(conversational.fit(), 0.8);
  EXPECT_THAT(conversational.explanation(),
              HasSubstr("Tigrinya, the newcomer's mother tongue, "
                        "conversationally"));

  const v1::CriterionScore basic = CriterionOf(
      Explain(seeker, Volunteer("2", {{"ti", rv1::PROFICIENCY_BASIC}}),
              weights),
      v1::CRITERION_LANGUAGE);
  EXPECT_DOUBLE_EQ(basic.fit(), 0.2);
  EXPECT_THAT(basic.explanation(), HasSubstr("a little Tigrinya"))
      << "a few words must not read like fluency";

  const v1::CriterionScore native = CriterionOf(
      Explain(seeker, Volunteer("3", {{"ti", rv1::PROFICIENCY_NATIVE}}),
              weights),
      v1::CRITERION_LANGUAGE);
  EXPECT_DOUBLE_EQ(native.fit(), 1.0);
  EXPECT_DOUBLE_EQ(native.points(), 100);
  EXPECT_THAT(native.explanation(), HasSubstr("as their own mother tongue"));
}

TEST(ScoringTest, RegionalLanguageTagsShareTheLanguage) {
  rv1::Actor newcomer = Newcomer();
  newcomer.clear_languages();
  rv1::LanguageSkill* arabic = newcomer.add_languages();
  arabic->set_code("ar-SY");
  arabic->set_proficiency(rv1::PROFICIENCY_NATIVE);
  arabic->set_mother_tongue(true);
  v1::VolunteerRequest request;
  request.set_kind(v1::MATCH_KIND_RECEPTION_BUDDY);
  request.mutable_constraints()->set_language("ar");
  const Seeker seeker = SeekerFor(request, newcomer);
  const Candidate volunteer = Volunteer("1", {{"ar", rv1::PROFICIENCY_NATIVE}});
  ASSERT_TRUE(Eligible(seeker, volunteer))
      << "an Arabic speaker can talk to a Syrian Arabic speaker";
  const v1::CriterionScore language =
      CriterionOf(Explain(seeker, volunteer, Only(v1::CRITERION_LANGUAGE)),
                  v1::CRITERION_LANGUAGE);
  EXPECT_DOUBLE_EQ(language.fit(), 1.0);
  EXPECT_THAT(language.explanation(), HasSubstr("Arabic"));
}

TEST(ScoringTest, NewcomerWithoutRecordedLanguagesIsNotLeftWithoutVolunteers) {
  rv1::Actor newcomer = Newcomer();
  newcomer.clear_languages();
  v1::VolunteerRequest request;
  request.set_kind(v1::MATCH_KIND_RECEPTION_BUDDY);
  const Seeker seeker = SeekerFor(request, newcomer);
  const Candidate volunteer = Volunteer("1", {{"da", rv1::PROFICIENCY_NATIVE}});
  EXPECT_TRUE(Eligible(seeker, volunteer));
  const v1::CriterionScore language = CriterionOf(
      Explain(seeker, volunteer, DefaultWeights(v1::MATCH_KIND_MENTOR)),
      v1::CRITERION_LANGUAGE);
  EXPECT_EQ(language.fit(), 0);
  EXPECT_EQ(language.explanation(),
            "the newcomer's languages are not recorded");
}

TEST(ScoringTest,
     AreaFitsTheNewcomersTownTheRequestedAreaOrTheWholeMunicipality) {
  const v1::CriterionWeights weights = Only(v1::CRITERION_AREA);
  const Seeker seeker = SeekerOf();  // lives in Vamdrup
  const v1::CriterionScore home = CriterionOf(
      Explain(seeker, Volunteer("1", {{"ti", 4}}, {"Kolding C", "VAMDRUP"}),
              weights),
      v1::CRITERION_AREA);
  EXPECT_DOUBLE_EQ(home.fit(), 1.0);
  EXPECT_EQ(home.explanation(), "active in VAMDRUP, where the newcomer lives");

  const v1::CriterionScore everywhere =
      CriterionOf(Explain(seeker, Volunteer("2", {{"ti", 4}}, {}), weights),
                  v1::CRITERION_AREA);
  EXPECT_DOUBLE_EQ(everywhere.fit(), 0.5);
  EXPECT_THAT(everywhere.explanation(), HasSubstr("whole municipality"));

  const v1::CriterionScore elsewhere = CriterionOf(
      Explain(seeker, Volunteer("3", {{"ti", 4}}, {"Kolding C"}), weights),
      v1::CRITERION_AREA);
  EXPECT_EQ(elsewhere.fit(), 0);
  EXPECT_THAT(elsewhere.explanation(), HasSubstr("Kolding C"));

  v1::HardConstraints constraints;
  constraints.set_area("Lunderskov");
  const v1::CriterionScore requested =
      CriterionOf(Explain(SeekerOf(v1::MATCH_KIND_RECEPTION_BUDDY, constraints),
                          Volunteer("4", {{"ti", 4}}, {"Lunderskov"}), weights),
                  v1::CRITERION_AREA);
  EXPECT_DOUBLE_EQ(requested.fit(), 1.0);
  EXPECT_EQ(requested.explanation(), "active in Lunderskov, as requested");
}

TEST(ScoringTest, AvailabilityFavoursOverlappingWeeklyWindows) {
  rv1::Actor newcomer = Newcomer();
  *newcomer.add_availability() = Window(rv1::DAY_OF_WEEK_TUESDAY, 16, 19);
  v1::VolunteerRequest request;
  request.set_kind(v1::MATCH_KIND_MENTOR);
  const Seeker seeker = SeekerFor(request, newcomer);
  const v1::CriterionWeights weights = Only(v1::CRITERION_AVAILABILITY);

  Candidate tuesday = Volunteer("1", {{"ti", 4}});
  tuesday.availability = {{24 * 60 + 17 * 60, 24 * 60 + 21 * 60}};
  Candidate saturday = Volunteer("2", {{"ti", 4}});
  saturday.availability = {{5 * 24 * 60 + 10 * 60, 5 * 24 * 60 + 16 * 60}};
  const Candidate unknown = Volunteer("3", {{"ti", 4}});

  const v1::CriterionScore overlap = CriterionOf(
      Explain(seeker, tuesday, weights), v1::CRITERION_AVAILABILITY);
  EXPECT_DOUBLE_EQ(overlap.fit(), 2.0 / 3) << "2 of the newcomer's 3 hours";
  EXPECT_THAT(overlap.explanation(), HasSubstr("2 h a week"));
  EXPECT_GT(Score(seeker, tuesday, weights), Score(seeker, unknown, weights));
  EXPECT_GT(Score(seeker, unknown, weights), Score(seeker, saturday, weights))
      << "never free when the newcomer is ranks below not knowing";
  EXPECT_EQ(
      CriterionOf(Explain(seeker, unknown, weights), v1::CRITERION_AVAILABILITY)
          .explanation(),
      "availability not stated");
}

TEST(ScoringTest, InterestsCountUpToThree) {
  rv1::Actor newcomer = Newcomer();
  for (const char* interest : {"Football", "cooking", "chess", "music"}) {
    newcomer.add_interests(interest);
  }
  v1::VolunteerRequest request;
  request.set_kind(v1::MATCH_KIND_FRIENDSHIP_FAMILY);
  const Seeker seeker = SeekerFor(request, newcomer);
  const v1::CriterionWeights weights = Only(v1::CRITERION_INTERESTS);
  Candidate two = Volunteer("1", {{"ti", 4}});
  two.interests = {"chess", "football"};
  Candidate three = two;
  three.interests.push_back("music");
  const v1::CriterionScore partial =
      CriterionOf(Explain(seeker, two, weights), v1::CRITERION_INTERESTS);
  EXPECT_DOUBLE_EQ(partial.fit(), 2.0 / 3);
  EXPECT_THAT(partial.explanation(), HasSubstr("football, chess"))
      << "the newcomer's \"Football\" is the volunteer's \"football\"";
  EXPECT_DOUBLE_EQ(Score(seeker, three, weights), 100)
      << "three shared interests are a full fit";
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
  std::uniform_real_distribution<double> weight(0, 100);
  for (int kind = 1; kind <= 5; ++kind) {
    rv1::Actor newcomer = Newcomer();
    if (kind % 2 == 0) {
      *newcomer.add_availability() = Window(rv1::DAY_OF_WEEK_MONDAY, 9, 13);
      newcomer.add_interests("cooking");
      newcomer.add_interests("football");
    }
    v1::VolunteerRequest request;
    request.set_kind(static_cast<v1::MatchKind>(kind));
    const Seeker seeker = SeekerFor(request, newcomer);
    for (int i = 0; i < 400; ++i) {
      // Default weights, then arbitrary ones with some criteria at 0.
      v1::CriterionWeights weights =
          DefaultWeights(static_cast<v1::MatchKind>(kind));
      if (i % 2 == 1) {
        weights.set_language(pick(random) == 0 ? 0 : weight(random));
        weights.set_area(weight(random));
        weights.set_availability(pick(random) == 0 ? 0 : weight(random));
        weights.set_competences(weight(random));
        weights.set_interests(weight(random));
        weights.set_family_fit(pick(random) == 0 ? 0 : weight(random));
        weights.set_load(weight(random));
        weights.set_former_refugee(weight(random));
      }
      Candidate c = Volunteer(std::to_string(i),
                              {{codes[pick(random)], 1 + pick(random)},
                               {codes[pick(random)], 1 + pick(random)}},
                              {areas[pick(random) % 3]});
      c.competences = {tags[pick(random)], tags[pick(random)]};
      c.interests = {pick(random) == 0 ? "cooking" : "chess"};
      c.capacity = 1 + pick(random);
      c.load = pick(random) % c.capacity;
      c.former_refugee = pick(random) == 0;
      c.children_ages = {pick(random) * 4};
      if (pick(random) != 0) {
        const int start = 24 * 60 * pick(random) + 9 * 60;  // Mon-Thu 9:00
        c.availability = {{start, start + 60 * (1 + pick(random))}};
      }
      const v1::Suggestion explained = Explain(seeker, c, weights);
      EXPECT_EQ(Score(seeker, c, weights), explained.score());
      double points = 0;
      for (const v1::CriterionScore& criterion : explained.criteria()) {
        EXPECT_GE(criterion.fit(), 0);
        EXPECT_LE(criterion.fit(), 1);
        EXPECT_EQ(criterion.points(), criterion.fit() * criterion.weight());
        EXPECT_FALSE(criterion.explanation().empty());
        points += criterion.points();
      }
      EXPECT_NEAR(points, explained.score(), 1e-9)
          << "the score is the sum of the criteria shown";
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
  v1::CriterionWeights not_a_number = DefaultWeights(v1::MATCH_KIND_MENTOR);
  not_a_number.set_load(std::nan(""));
  FieldViolations nan;
  CheckWeights(not_a_number, "weights", &nan);
  ASSERT_FALSE(nan.empty());
  EXPECT_EQ(nan.violations()[0].field, "weights.load");
}

TEST(ScoringTest, MunicipalityWeightsReplaceTheDefaultsForTheirKindOnly) {
  v1::MatchingSettings settings;
  v1::KindWeights* mentor = settings.add_weights();
  mentor->set_kind(v1::MATCH_KIND_MENTOR);
  mentor->mutable_weights()->set_competences(100);
  EXPECT_EQ(WeightsFor(settings, v1::MATCH_KIND_MENTOR).competences(), 100);
  EXPECT_EQ(WeightsFor(settings, v1::MATCH_KIND_MENTOR).language(), 0);
  EXPECT_EQ(WeightsFor(settings, v1::MATCH_KIND_RECEPTION_BUDDY).language(),
            DefaultWeights(v1::MATCH_KIND_RECEPTION_BUDDY).language());
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
