#include "bench/harness/actor_mix.h"

#include <algorithm>
#include <random>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace brobygger::bench {
namespace {

namespace v1 = registry::v1;

const std::vector<std::string>& Areas() {
  static const auto* areas = new std::vector<std::string>{
      "Aalborg C", "Aalborg Øst", "Nørresundby", "Vejgaard",  "Hasseris",
      "Kærby",     "Svenstrup",   "Nibe",        "Storvorde", "Vodskov",
      "Gistrup",   "Hals",        "Vadum",       "Klarup"};
  return *areas;
}

// A group of volunteers by mother tongue: its weight in the mix and
// typical first and family names.
struct LanguageGroup {
  std::string code;
  int weight;
  std::vector<std::string> first_names;
  std::vector<std::string> family_names;
};

const std::vector<LanguageGroup>& LanguageGroups() {
  static const auto* groups = new std::vector<LanguageGroup>{
      {"da",
       46,
       {"Mette", "Lars", "Anne", "Søren", "Camilla", "Jens", "Louise", "Mads",
        "Kirsten", "Henrik", "Ida", "Niels"},
       {"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen",
        "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen"}},
      {"ar",
       14,
       {"Ahmad", "Fatima", "Mohammad", "Layla", "Omar", "Noor", "Yousef",
        "Rania", "Khaled", "Huda", "Sami", "Amira"},
       {"Al-Hassan", "Haddad", "Khalil", "Saleh", "Mansour", "Nasser",
        "Darwish", "Othman", "Barakat", "Aziz", "Hamdan", "Jaber"}},
      {"uk",
       10,
       {"Olena", "Andriy", "Iryna", "Oleksandr", "Natalia", "Dmytro", "Yulia",
        "Serhiy", "Oksana", "Taras", "Kateryna", "Mykola"},
       {"Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko",
        "Melnyk", "Boyko", "Oliynyk", "Lysenko", "Marchenko", "Rudenko",
        "Savchenko"}},
      {"ti",
       6,
       {"Semhar", "Yonas", "Helen", "Dawit", "Senait", "Filmon", "Luwam",
        "Tesfay", "Rahel", "Mehari", "Saba", "Yohannes"},
       {"Tesfamariam", "Gebremedhin", "Haile", "Berhane", "Kidane", "Tekle",
        "Ghebre", "Woldu", "Asmelash", "Habte", "Mehreteab", "Negash"}},
      {"prs",
       6,
       {"Farid", "Mariam", "Ahmad Shah", "Zahra", "Habib", "Shabnam", "Nasir",
        "Parwana", "Jawad", "Roya", "Karim", "Freshta"},
       {"Ahmadi", "Rahimi", "Hakimi", "Karimi", "Sultani", "Noori", "Habibi",
        "Rezaei", "Amiri", "Sadat", "Wardak", "Popal"}},
      {"so",
       5,
       {"Abdi", "Hodan", "Mohamed", "Amina", "Hassan", "Faadumo", "Ali",
        "Sahra", "Yusuf", "Ifrah", "Omar", "Nasra"},
       {"Warsame", "Farah", "Hussein", "Abdullahi", "Jama", "Osman", "Aden",
        "Ismail", "Nur", "Egal", "Dirie", "Hirsi"}},
      {"fa",
       4,
       {"Reza", "Shirin", "Ali", "Maryam", "Hossein", "Leila", "Babak",
        "Nasrin", "Kaveh", "Parisa", "Arash", "Neda"},
       {"Hosseini", "Moradi", "Tehrani", "Jafari", "Sadeghi", "Kazemi",
        "Rostami", "Ebrahimi", "Azadi", "Bahrami", "Ghorbani", "Nazari"}},
      {"ku",
       3,
       {"Rojin", "Berzan", "Dilan", "Azad", "Hevi", "Baran", "Shilan", "Kawa",
        "Zhilwan", "Soran", "Nazdar", "Rebin"},
       {"Barzani", "Hawrami", "Qadir", "Salih", "Rashid", "Hama", "Kakai",
        "Sharif", "Mahmoud", "Faraj", "Ahmed", "Karim"}},
      {"pl",
       3,
       {"Anna", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Marek",
        "Magdalena", "Paweł", "Joanna", "Krzysztof", "Ewa", "Michał"},
       {"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński",
        "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski",
        "Kozłowski"}},
      {"en",
       3,
       {"Emma", "James", "Sarah", "David", "Laura", "Michael", "Hannah",
        "Thomas", "Rachel", "Daniel", "Grace", "Peter"},
       {"Smith", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright",
        "Green", "Hall", "Wood", "Clarke", "Hughes"}},
  };
  return *groups;
}

const std::vector<std::string>& Competences() {
  static const auto* tags = new std::vector<std::string>{
      "homework", "bank",    "doctor",    "cv",
      "job",      "housing", "legal",     "bus",
      "shopping", "it",      "cooking",   "language-cafe",
      "forms",    "sport",   "childcare", "interpreting"};
  return *tags;
}

const std::vector<std::string>& Interests() {
  static const auto* tags = new std::vector<std::string>{
      "football",  "cooking", "knitting",    "chess",  "hiking",  "music",
      "gardening", "cycling", "swimming",    "crafts", "reading", "board-games",
      "dance",     "fishing", "photography", "theatre"};
  return *tags;
}

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  int Uniform(int low, int high) {  // inclusive
    return std::uniform_int_distribution<int>(low, high)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Uniform(0, static_cast<int>(items.size()) - 1)];
  }

  // `count` distinct items of `items`.
  std::vector<std::string> PickSome(const std::vector<std::string>& items,
                                    int count) {
    std::vector<std::string> shuffled = items;
    std::shuffle(shuffled.begin(), shuffled.end(), rng_);
    shuffled.resize(std::min<size_t>(count, shuffled.size()));
    return shuffled;
  }

  const LanguageGroup& PickLanguageGroup() {
    int total = 0;
    for (const LanguageGroup& group : LanguageGroups()) total += group.weight;
    int roll = Uniform(1, total);
    for (const LanguageGroup& group : LanguageGroups()) {
      roll -= group.weight;
      if (roll <= 0) return group;
    }
    return LanguageGroups().front();
  }

  // A display name no other planned actor has, so the registry's
  // duplicate check never refuses a seed.
  std::string UniqueName(const std::string& base) {
    std::string name = base;
    for (int n = 2; !names_.insert(name).second; ++n) {
      name = absl::StrCat(base, " ", n);
    }
    return name;
  }

  std::string UniquePersonName(const LanguageGroup& group) {
    const std::string first = Pick(group.first_names);
    const std::string family = Pick(group.family_names);
    std::string name = absl::StrCat(first, " ", family);
    // A middle initial before falling back to a number, as people do.
    for (char initial = 'A'; names_.contains(name) && initial <= 'Z';
         ++initial) {
      name = absl::StrCat(first, " ", std::string(1, initial), ". ", family);
    }
    return UniqueName(name);
  }

  void AddAreas(int low, int high, v1::Actor* actor) {
    for (const std::string& area : PickSome(Areas(), Uniform(low, high))) {
      actor->add_areas(area);
    }
  }

  void AddTags(int competences_low, int competences_high, int interests_high,
               v1::Actor* actor) {
    for (const std::string& tag :
         PickSome(Competences(), Uniform(competences_low, competences_high))) {
      actor->add_competences(tag);
    }
    for (const std::string& tag :
         PickSome(Interests(), Uniform(0, interests_high))) {
      actor->add_interests(tag);
    }
  }

  void AddAvailability(int low, int high, v1::Actor* actor) {
    std::set<int> days;
    const int windows = Uniform(low, high);
    while (static_cast<int>(days.size()) < windows) days.insert(Uniform(1, 7));
    for (const int day : days) {
      v1::WeeklyWindow* window = actor->add_availability();
      window->set_day(static_cast<v1::DayOfWeek>(day));
      const int start = day >= 6 ? Uniform(9, 14) : Uniform(9, 19);
      window->mutable_start_time()->set_hours(start);
      window->mutable_start_time()->set_minutes(Chance(0.5) ? 0 : 30);
      window->mutable_end_time()->set_hours(start + Uniform(2, 3));
    }
  }

  void AddContact(int index, bool person, v1::Actor* actor) {
    v1::ContactChannel* phone = actor->add_contact_channels();
    phone->set_type(person && Chance(0.3) ? v1::ContactChannel::TYPE_SMS
                                          : v1::ContactChannel::TYPE_PHONE);
    phone->set_value(absl::StrFormat("+45 %02d %02d %02d %02d", Uniform(20, 99),
                                     Uniform(0, 99), Uniform(0, 99),
                                     Uniform(0, 99)));
    v1::ContactChannel* email = actor->add_contact_channels();
    email->set_type(v1::ContactChannel::TYPE_EMAIL);
    email->set_value(
        absl::StrCat(person ? "frivillig" : "kontakt", index, "@example.dk"));
    if (!person) {
      phone->set_note("hverdage 9-15");
      v1::ContactChannel* web = actor->add_contact_channels();
      web->set_type(v1::ContactChannel::TYPE_WEBSITE);
      web->set_value(absl::StrCat("https://example.dk/", index));
    }
    (Chance(0.5) ? phone : email)->set_preferred(true);
    const int days = Uniform(1, 3);
    actor->mutable_response_time()->mutable_expected()->set_seconds(days * 24 *
                                                                    3600);
    actor->mutable_response_time()->set_note(
        days == 1 ? "within a day" : absl::StrCat("within ", days, " days"));
  }

  void AddLanguage(const std::string& code, v1::Proficiency proficiency,
                   bool mother_tongue, v1::Actor* actor) {
    v1::LanguageSkill* skill = actor->add_languages();
    skill->set_code(code);
    skill->set_proficiency(proficiency);
    skill->set_mother_tongue(mother_tongue);
  }

 private:
  std::mt19937 rng_;
  std::set<std::string> names_;
};

struct OrganisationKind {
  v1::ActorKind kind;
  std::vector<std::string> name_patterns;  // "{area}" is replaced
};

const std::vector<OrganisationKind>& LocalOrganisationKinds() {
  static const auto* kinds = new std::vector<OrganisationKind>{
      {v1::ACTOR_KIND_SOCIAL_ASSOCIATION,
       {"Netværket {area}", "Lektiecaféen {area}", "Venskabsforeningen {area}",
        "Mødestedet {area}"}},
      {v1::ACTOR_KIND_SPORTS_ASSOCIATION,
       {"{area} Boldklub", "{area} Idrætsforening", "{area} Svømmeklub",
        "{area} Cykelklub"}},
      {v1::ACTOR_KIND_CULTURE_ASSOCIATION,
       {"{area} Kulturforening", "{area} Kor", "Teaterforeningen {area}"}},
      {v1::ACTOR_KIND_VOLUNTEER_GROUP,
       {"Frivilliggruppen i {area}", "Venner i {area}"}},
      {v1::ACTOR_KIND_LOCAL_COUNCIL, {"{area} Lokalråd", "Samrådet {area}"}},
      {v1::ACTOR_KIND_FAITH_COMMUNITY,
       {"{area} Sogn", "{area} Moské", "Frikirken {area}"}},
      {v1::ACTOR_KIND_BUSINESS,
       {"{area} Bageri", "{area} Tømrerfirma", "Super {area}",
        "{area} Rengøring ApS"}},
  };
  return *kinds;
}

std::string FillArea(const std::string& pattern, const std::string& area) {
  std::string out = pattern;
  const size_t at = out.find("{area}");
  if (at != std::string::npos) out.replace(at, 6, area);
  return out;
}

}  // namespace

const std::vector<std::string>& MunicipalityAreas() { return Areas(); }

bool IsArabicSpeakingVolunteer(const registry::v1::Actor& actor) {
  if (actor.kind() != v1::ACTOR_KIND_VOLUNTEER) return false;
  return std::any_of(actor.languages().begin(), actor.languages().end(),
                     [](const v1::LanguageSkill& skill) {
                       return skill.code() == "ar" && skill.mother_tongue();
                     });
}

namespace {

// Adds planned actors to a mix; the generator's call order decides every
// actor, so the same calls in the same order give the same mix.
class MixBuilder {
 public:
  MixBuilder(Generator& gen, ActorMix& mix) : gen_(gen), mix_(mix) {
    mix_.municipality.set_display_name("Aalborg Kommune");
    for (const std::string& area : Areas()) mix_.municipality.add_areas(area);
    mix_.municipality.set_time_zone("Europe/Copenhagen");
  }

  int size() const { return static_cast<int>(mix_.actors.size()); }

  v1::Actor& Add(v1::ActorKind kind, const std::string& name, int wave,
                 int parent) {
    PlannedActor planned;
    planned.actor.set_kind(kind);
    planned.actor.set_display_name(gen_.UniqueName(name));
    planned.wave = wave;
    planned.parent = parent;
    mix_.actors.push_back(std::move(planned));
    return mix_.actors.back().actor;
  }

  void OrganisationFields(v1::Actor& actor, int areas_high) {
    const int index = size();
    gen_.AddAreas(1, areas_high, &actor);
    gen_.AddLanguage("da", v1::PROFICIENCY_FLUENT, false, &actor);
    if (gen_.Chance(0.6)) {
      gen_.AddLanguage("en", v1::PROFICIENCY_CONVERSATIONAL, false, &actor);
    }
    gen_.AddTags(1, 4, 3, &actor);
    gen_.AddAvailability(1, 5, &actor);
    gen_.AddContact(index, /*person=*/false, &actor);
    actor.set_description(absl::StrCat(actor.display_name(),
                                       " tager imod nye borgere i ",
                                       actor.areas(0), "."));
  }

  // Wave 0: municipal departments, NGOs, volunteer centres and
  // `local_organisations` local ones; wave 1: `branches` NGO branches.
  void AddOrganisations(int local_organisations, int branches) {
    for (const char* name :
         {"Jobcenter Integration", "Borgerservice", "Hovedbiblioteket",
          "Familiecentret", "Socialcenter Integration", "Fritid og Kultur"}) {
      departments_.push_back(size());
      OrganisationFields(Add(v1::ACTOR_KIND_MUNICIPAL_DEPARTMENT, name, 0, -1),
                         3);
    }
    std::vector<int> ngos;
    for (const char* name : {"Dansk Røde Kors", "Dansk Flygtningehjælp",
                             "Red Barnet", "Mødrehjælpen"}) {
      ngos.push_back(size());
      OrganisationFields(Add(v1::ACTOR_KIND_NGO, name, 0, -1), 2);
    }
    for (const char* name :
         {"Frivilligcenter Aalborg", "Frivilligcenter Nibe"}) {
      volunteer_homes_.push_back(size());
      OrganisationFields(Add(v1::ACTOR_KIND_VOLUNTEER_CENTRE, name, 0, -1), 3);
    }
    for (int i = 0; i < local_organisations; ++i) {
      const OrganisationKind& kind =
          LocalOrganisationKinds()[i % LocalOrganisationKinds().size()];
      const std::string& area = gen_.Pick(Areas());
      const int index = size();
      v1::Actor& actor =
          Add(kind.kind, FillArea(gen_.Pick(kind.name_patterns), area), 0, -1);
      OrganisationFields(actor, 2);
      if (kind.kind != v1::ACTOR_KIND_BUSINESS &&
          kind.kind != v1::ACTOR_KIND_LOCAL_COUNCIL) {
        volunteer_homes_.push_back(index);
      }
    }
    for (int i = 0; i < branches; ++i) {
      const int ngo = ngos[i % ngos.size()];
      const std::string& area = gen_.Pick(Areas());
      const int index = size();
      v1::Actor& actor =
          Add(v1::ACTOR_KIND_NGO_BRANCH,
              absl::StrCat(mix_.actors[ngo].actor.display_name(), " ", area), 1,
              ngo);
      OrganisationFields(actor, 1);
      actor.set_areas(0, area);
      volunteer_homes_.push_back(index);
    }
  }

  // Wave 1: municipal employees of the departments.
  void AddEmployees(int employees) {
    for (int i = 0; i < employees; ++i) {
      const LanguageGroup& group = LanguageGroups().front();  // Danish
      const int index = size();
      v1::Actor& actor =
          Add(v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE, gen_.UniquePersonName(group),
              1, departments_[i % departments_.size()]);
      gen_.AddAreas(1, 2, &actor);
      gen_.AddLanguage("da", v1::PROFICIENCY_NATIVE, true, &actor);
      gen_.AddLanguage("en", v1::PROFICIENCY_FLUENT, false, &actor);
      gen_.AddTags(1, 3, 0, &actor);
      gen_.AddAvailability(3, 5, &actor);
      gen_.AddContact(index, /*person=*/true, &actor);
    }
  }

  // Wave 2: volunteers, some of them members of an organisation.
  void AddVolunteers(int volunteers) {
    for (int i = 0; i < volunteers; ++i) {
      const LanguageGroup& group = gen_.PickLanguageGroup();
      const int parent = gen_.Chance(0.4) ? gen_.Pick(volunteer_homes_) : -1;
      const int index = size();
      v1::Actor& actor = Add(v1::ACTOR_KIND_VOLUNTEER,
                             gen_.UniquePersonName(group), 2, parent);
      gen_.AddAreas(1, 3, &actor);
      gen_.AddLanguage(group.code, v1::PROFICIENCY_NATIVE, true, &actor);
      if (group.code != "da" && gen_.Chance(0.7)) {
        gen_.AddLanguage("da",
                         static_cast<v1::Proficiency>(gen_.Uniform(
                             v1::PROFICIENCY_BASIC, v1::PROFICIENCY_FLUENT)),
                         false, &actor);
      }
      if (group.code != "en" && gen_.Chance(0.5)) {
        gen_.AddLanguage("en",
                         gen_.Chance(0.5) ? v1::PROFICIENCY_FLUENT
                                          : v1::PROFICIENCY_CONVERSATIONAL,
                         false, &actor);
      }
      // Some Danes learnt Arabic: speakers who must not match mother_tongue.
      if (group.code == "da" && gen_.Chance(0.05)) {
        gen_.AddLanguage("ar", v1::PROFICIENCY_BASIC, false, &actor);
      }
      gen_.AddTags(1, 4, 3, &actor);
      gen_.AddAvailability(1, 3, &actor);
      gen_.AddContact(index, /*person=*/true, &actor);
      v1::VolunteerProfile* profile = actor.mutable_volunteer();
      profile->set_capacity(gen_.Uniform(1, 4));
      profile->set_gender(static_cast<v1::Gender>(gen_.Uniform(0, 2)));
      profile->set_former_refugee(group.code != "da" && group.code != "en" &&
                                  group.code != "pl" && gen_.Chance(0.6));
      ++mix_.volunteers;
      if (IsArabicSpeakingVolunteer(actor)) {
        ++mix_.arabic_mother_tongue_volunteers;
      }
    }
  }

 private:
  Generator& gen_;
  ActorMix& mix_;
  std::vector<int> departments_;
  std::vector<int> volunteer_homes_;  // organisations volunteers belong to
};

}  // namespace

ActorMix MakeActorMix(int count, uint32_t seed) {
  count = std::max(count, 50);
  Generator gen(seed);
  ActorMix mix;
  MixBuilder builder(gen, mix);
  builder.AddOrganisations(/*local_organisations=*/std::max(7, count * 8 / 100),
                           /*branches=*/std::max(2, count / 100));
  builder.AddEmployees(std::max(3, count * 3 / 100));
  builder.AddVolunteers(count - builder.size());
  mix.waves = 3;
  return mix;
}

ActorMix MakeOrganisationMix(int count, uint32_t seed) {
  // 12 fixed: the municipal departments, NGOs and volunteer centres.
  count = std::max(count, kMinOrganisations);
  const int branches = std::max(2, (count - 12) * 15 / 100);
  Generator gen(seed);
  ActorMix mix;
  MixBuilder builder(gen, mix);
  builder.AddOrganisations(count - 12 - branches, branches);
  mix.waves = 2;
  return mix;
}

}  // namespace brobygger::bench
