#include "bench/matching_bench/population.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/store/resource_io.h"

namespace brobygger::bench {
namespace {

namespace rv1 = ::brobygger::registry::v1;

const std::vector<std::string>& Towns() {
  static const auto* towns = new std::vector<std::string>{"Kolding C",
                                                          "Vamdrup",
                                                          "Christiansfeld",
                                                          "Lunderskov",
                                                          "Sdr. Bjert",
                                                          "Bramdrup",
                                                          "Seest",
                                                          "Harte",
                                                          "Almind",
                                                          "Eltang",
                                                          "Sønder Stenderup",
                                                          "Vonsild"};
  return *towns;
}

// Refugee languages of recent years, weighted by how often they occur.
const std::vector<std::pair<std::string, int>>& RefugeeLanguages() {
  static const auto* languages = new std::vector<std::pair<std::string, int>>{
      {"ar", 30}, {"ti", 15}, {"prs", 12}, {"uk", 25},
      {"so", 8},  {"ku", 5},  {"fa", 5}};
  return *languages;
}

const std::vector<std::string>& Tags() {
  static const auto* tags = new std::vector<std::string>{
      "bank", "doctor",  "bus", "shopping", "homework",
      "job",  "housing", "cv",  "legal",    "school"};
  return *tags;
}

const std::vector<std::string>& Interests() {
  static const auto* interests = new std::vector<std::string>{
      "football", "cooking",  "music",    "walking",
      "chess",    "swimming", "knitting", "cycling"};
  return *interests;
}

std::string PickLanguage(std::mt19937& random) {
  int total = 0;
  for (const auto& [code, weight] : RefugeeLanguages()) total += weight;
  int pick = std::uniform_int_distribution<int>(0, total - 1)(random);
  for (const auto& [code, weight] : RefugeeLanguages()) {
    if (pick < weight) return code;
    pick -= weight;
  }
  return "ar";
}

void AddLanguage(rv1::Actor* actor, const std::string& code,
                 rv1::Proficiency proficiency, bool mother_tongue) {
  rv1::LanguageSkill* skill = actor->add_languages();
  skill->set_code(code);
  skill->set_proficiency(proficiency);
  skill->set_mother_tongue(mother_tongue);
}

template <typename T>
const T& Pick(const std::vector<T>& items, std::mt19937& random) {
  return items[std::uniform_int_distribution<size_t>(0,
                                                     items.size() - 1)(random)];
}

}  // namespace

std::vector<rv1::Actor> MakeVolunteers(const std::string& municipality,
                                       int count, int64_t first_id,
                                       uint32_t seed) {
  std::mt19937 random(seed);
  std::bernoulli_distribution former_refugee(0.3);
  std::bernoulli_distribution second_town(0.4);
  std::uniform_int_distribution<int> capacity(1, 3);
  std::uniform_int_distribution<int> day(1, 7);
  std::uniform_int_distribution<int> hour(8, 19);
  std::vector<rv1::Actor> out;
  out.reserve(count);
  for (int i = 0; i < count; ++i) {
    rv1::Actor actor;
    actor.set_name(absl::StrCat("municipalities/", municipality, "/actors/",
                                first_id + i));
    actor.set_kind(rv1::ACTOR_KIND_VOLUNTEER);
    actor.set_display_name(absl::StrCat("Volunteer ", first_id + i));
    actor.set_parent(
        absl::StrCat("municipalities/", municipality, "/actors/", 1 + i % 20));
    const bool refugee = former_refugee(random);
    if (refugee) {
      AddLanguage(&actor, PickLanguage(random), rv1::PROFICIENCY_NATIVE, true);
      AddLanguage(&actor, "da", rv1::PROFICIENCY_CONVERSATIONAL, false);
    } else {
      AddLanguage(&actor, "da", rv1::PROFICIENCY_NATIVE, true);
      AddLanguage(&actor, "en", rv1::PROFICIENCY_FLUENT, false);
    }
    actor.add_areas(Pick(Towns(), random));
    if (second_town(random)) actor.add_areas(Pick(Towns(), random));
    for (int t = 0; t < 3; ++t) actor.add_competences(Pick(Tags(), random));
    for (int t = 0; t < 2; ++t) actor.add_interests(Pick(Interests(), random));
    rv1::WeeklyWindow* window = actor.add_availability();
    window->set_day(static_cast<rv1::DayOfWeek>(day(random)));
    const int start = hour(random);
    window->mutable_start_time()->set_hours(start);
    window->mutable_end_time()->set_hours(start + 3);
    actor.mutable_volunteer()->set_capacity(capacity(random));
    actor.mutable_volunteer()->set_former_refugee(refugee);
    *actor.mutable_update_time() = store::ToTimestamp(absl::Now());
    out.push_back(std::move(actor));
  }
  return out;
}

std::vector<rv1::Actor> MakeNewcomers(const std::string& municipality,
                                      int count, int64_t first_id,
                                      uint32_t seed) {
  std::mt19937 random(seed);
  std::bernoulli_distribution english(0.4);
  std::uniform_int_distribution<int> children(0, 3);
  std::uniform_int_distribution<int> age(0, 17);
  std::vector<rv1::Actor> out;
  out.reserve(count);
  for (int i = 0; i < count; ++i) {
    rv1::Actor actor;
    actor.set_name(absl::StrCat("municipalities/", municipality, "/actors/",
                                first_id + i));
    actor.set_kind(rv1::ACTOR_KIND_NEWCOMER);
    AddLanguage(&actor, PickLanguage(random), rv1::PROFICIENCY_NATIVE, true);
    if (english(random)) {
      AddLanguage(&actor, "en", rv1::PROFICIENCY_CONVERSATIONAL, false);
    }
    actor.add_areas(Pick(Towns(), random));
    actor.add_interests(Pick(Interests(), random));
    rv1::NewcomerProfile* newcomer = actor.mutable_newcomer();
    newcomer->set_first_name("Newcomer");
    for (int t = 0; t < 3; ++t) newcomer->add_needs(Pick(Tags(), random));
    for (int c = children(random); c > 0; --c) {
      newcomer->mutable_household()->add_children_ages(age(random));
    }
    newcomer->mutable_consent()->set_volunteer_contact(true);
    *actor.mutable_update_time() = store::ToTimestamp(absl::Now());
    out.push_back(std::move(actor));
  }
  return out;
}

}  // namespace brobygger::bench
