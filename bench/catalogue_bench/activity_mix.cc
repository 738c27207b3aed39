#include "bench/catalogue_bench/activity_mix.h"

#include <algorithm>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "bench/harness/actor_mix.h"

namespace brobygger::bench {
namespace {

namespace cv1 = catalogue::v1;
namespace rv1 = registry::v1;

// What people call their activities of a category, and a sentence or two
// about them (the text searches look into both).
struct CategoryText {
  cv1::Category category;
  int weight;  // among civil offers
  std::vector<std::string> names;
  std::vector<std::string> blurbs;
};

const std::vector<CategoryText>& Categories() {
  static const auto* categories = new std::vector<CategoryText>{
      {cv1::CATEGORY_LANGUAGE_CAFE,
       14,
       {"Sprogcafé", "Dansk sprogcafé", "Sprogcafé for kvinder",
        "Snak dansk over en kop kaffe", "Sprogtræning med frivillige"},
       {"Øv dit danske i en hyggelig stemning med frivillige, kaffe og kage.",
        "Vi taler dansk om hverdagen, arbejde og fritid. Alle niveauer er "
        "velkomne, også begyndere."}},
      {cv1::CATEGORY_HOMEWORK_HELP,
       10,
       {"Lektiehjælp", "Lektiecafé", "Lektiehjælp i matematik og dansk",
        "Hjælp til danskuddannelsen"},
       {"Frivillige hjælper med lektier, opgaver og prøveforberedelse.",
        "Tag dine bøger med; vi har tid til hver enkelt, og der er frugt og "
        "saftevand."}},
      {cv1::CATEGORY_COMMUNAL_DINING,
       10,
       {"Fællesspisning", "Fredagsmad", "Spis sammen", "Madklub for alle"},
       {"Vi laver mad sammen og spiser ved lange borde. Børn er velkomne.",
        "Et varmt måltid og nye bekendtskaber. Sig gerne til, hvis du vil "
        "hjælpe i køkkenet."}},
      {cv1::CATEGORY_SPORT_AND_LEISURE,
       12,
       {"Fodbold for alle", "Svømning for kvinder", "Cykelskole", "Gåtur",
        "Badminton", "Løbeklub"},
       {"Kom og vær med, uanset om du har prøvet det før. Udstyr kan lånes.",
        "Motion og fællesskab; instruktørerne taler dansk og engelsk."}},
      {cv1::CATEGORY_CULTURE,
       8,
       {"Fællessang", "Teaterværksted", "Biblioteksbesøg", "Kunstværksted",
        "Filmaften"},
       {"Oplev dansk kultur og del din egen. Ingen forudsætninger.",
        "Vi synger, spiller og fortæller historier fra hele verden."}},
      {cv1::CATEGORY_COUNSELLING,
       6,
       {"Rådgivning om økonomi", "Juridisk rådgivning", "Åben rådgivning",
        "Hjælp med breve fra det offentlige"},
       {"Få hjælp til breve, regninger og skemaer. Rådgivningen er gratis og "
        "anonym.",
        "Frivillige jurister og socialrådgivere svarer på dine spørgsmål."}},
      {cv1::CATEGORY_HOUSING,
       3,
       {"Boligrådgivning", "Hjælp til boligsøgning"},
       {"Vi hjælper med at skrive sig op til en bolig og forstå "
        "lejekontrakten.",
        "Gode råd om husleje, indskud og naboskab."}},
      {cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS,
       6,
       {"Jobcafé", "CV-værksted", "Praktikformidling", "Mød en virksomhed"},
       {"Skriv dit CV, øv jobsamtalen og mød lokale virksomheder.",
        "Mentorer fra erhvervslivet hjælper dig videre mod job og "
        "uddannelse."}},
      {cv1::CATEGORY_HEALTH,
       5,
       {"Sundhedscafé", "Yoga for kvinder", "Psykisk førstehjælp",
        "Tandpleje for børn"},
       {"Sundhedsplejersker og frivillige svarer på spørgsmål om sundhed.",
        "Ro på krop og sind; vi tilpasser øvelserne til alle."}},
      {cv1::CATEGORY_CHILDREN_AND_YOUTH,
       10,
       {"Ungeklub", "Legestue", "Familieværksted", "Børneteater", "Pigeklub"},
       {"Leg, spil og kreative aktiviteter for børn og unge.",
        "Et trygt sted at mødes efter skole; forældre er velkomne til at "
        "kigge forbi."}},
      {cv1::CATEGORY_DONATIONS_AND_SECOND_HAND,
       6,
       {"Genbrugsbutik", "Tøjbyttedag", "Cykelværksted", "Møbelhjælp"},
       {"Brugt tøj, legetøj og møbler til små penge eller gratis.",
        "Vi reparerer cykler sammen; tag din egen med eller få en doneret."}},
      {cv1::CATEGORY_MEETING_PLACE,
       8,
       {"Åbent hus", "Kvindernes mødested", "Kaffe og snak",
        "Internationalt mødested"},
       {"Et åbent sted at mødes på tværs af sprog og baggrund.",
        "Kaffen er klar; kom forbi og få en snak med naboer og frivillige."}},
      {cv1::CATEGORY_OTHER,
       2,
       {"Introduktion til Danmark", "Hjælp med digital post",
        "Kørekort-teori på arabisk"},
       {"Praktisk hjælp til livet i Danmark: NemID/MitID, e-Boks og "
        "sundhedskort.",
        "Spørg løs; vi finder svaret sammen."}},
  };
  return *categories;
}

// Municipal tasks: what the departments offer newcomers themselves.
const std::vector<std::pair<cv1::Category, std::string>>& MunicipalTasks() {
  static const auto* tasks =
      new std::vector<std::pair<cv1::Category, std::string>>{
          {cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS,
           "Første samtale på Jobcentret"},
          {cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS, "Virksomhedsbesøg"},
          {cv1::CATEGORY_COUNSELLING, "Borgerservice: hjælp til MitID"},
          {cv1::CATEGORY_COUNSELLING, "Informationsmøde om integrationsloven"},
          {cv1::CATEGORY_HOUSING, "Boligmøde for nyankomne"},
          {cv1::CATEGORY_HEALTH, "Helbredsundersøgelse"},
          {cv1::CATEGORY_CHILDREN_AND_YOUTH, "Skoleindskrivning"},
          {cv1::CATEGORY_OTHER, "Introforløb om Aalborg Kommune"},
      };
  return *tasks;
}

struct Language {
  std::string code;
  int weight;
};

// Besides Danish: the newcomers' languages, weighted like the arrivals.
const std::vector<Language>& OtherLanguages() {
  static const auto* languages = new std::vector<Language>{
      {"ar", 25}, {"uk", 20}, {"en", 20}, {"ti", 8}, {"prs", 8},
      {"so", 7},  {"fa", 6},  {"ku", 3},  {"pl", 3}};
  return *languages;
}

const std::vector<std::string>& Streets() {
  static const auto* streets = new std::vector<std::string>{
      "Boulevarden",     "Vesterbro",    "Hobrovej",     "Sohngårdsholmsvej",
      "Kastetvej",       "Hasserisgade", "Vejgaardsvej", "Nørregade",
      "Gammel Kongevej", "Skolevej",     "Kirkevej",     "Stationsvej"};
  return *streets;
}

const std::vector<std::string>& Venues() {
  static const auto* venues = new std::vector<std::string>{
      "Medborgerhus", "Bibliotek", "Skole",    "Fritidscenter",
      "Kirkens sal",  "Beboerhus", "Idrætshal"};
  return *venues;
}

const std::vector<std::string>& ContactNames() {
  static const auto* names = new std::vector<std::string>{
      "Mette",   "Lars",  "Fatima", "Olena", "Ahmad", "Søren",
      "Camilla", "Yonas", "Louise", "Farid", "Anne",  "Hodan"};
  return *names;
}

std::string WeekdayCode(absl::Weekday day) {
  switch (day) {
    case absl::Weekday::monday:
      return "MO";
    case absl::Weekday::tuesday:
      return "TU";
    case absl::Weekday::wednesday:
      return "WE";
    case absl::Weekday::thursday:
      return "TH";
    case absl::Weekday::friday:
      return "FR";
    case absl::Weekday::saturday:
      return "SA";
    case absl::Weekday::sunday:
      return "SU";
  }
  return "MO";
}

std::string DateText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string UntilText(absl::CivilDay day) {
  return absl::StrFormat("%04d%02d%02d", day.year(), day.month(), day.day());
}

class Generator {
 public:
  Generator(uint32_t seed, absl::Time now) : rng_(seed) {
    const absl::TimeZone zone = [] {
      absl::TimeZone copenhagen;
      return absl::LoadTimeZone("Europe/Copenhagen", &copenhagen)
                 ? copenhagen
                 : absl::UTCTimeZone();
    }();
    today_ = absl::ToCivilDay(now, zone);
  }

  int Uniform(int low, int high) {  // inclusive
    return std::uniform_int_distribution<int>(low, high)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Uniform(0, static_cast<int>(items.size()) - 1)];
  }
  absl::CivilDay today() const { return today_; }

  const CategoryText& PickCategory() {
    int total = 0;
    for (const CategoryText& c : Categories()) total += c.weight;
    int roll = Uniform(1, total);
    for (const CategoryText& c : Categories()) {
      roll -= c.weight;
      if (roll <= 0) return c;
    }
    return Categories().front();
  }

  std::string PickOtherLanguage() {
    int total = 0;
    for (const Language& l : OtherLanguages()) total += l.weight;
    int roll = Uniform(1, total);
    for (const Language& l : OtherLanguages()) {
      roll -= l.weight;
      if (roll <= 0) return l.code;
    }
    return OtherLanguages().front().code;
  }

 private:
  std::mt19937 rng_;
  absl::CivilDay today_;
};

const CategoryText& TextOf(cv1::Category category) {
  for (const CategoryText& c : Categories()) {
    if (c.category == category) return c;
  }
  return Categories().back();
}

void SetDuration(int minutes, cv1::Schedule* schedule) {
  schedule->mutable_duration()->set_seconds(int64_t{minutes} * 60);
}

void SetStart(absl::CivilDay day, int hour, int minute,
              cv1::Schedule* schedule) {
  schedule->set_start_time(absl::StrFormat("%04d-%02d-%02dT%02d:%02d",
                                           day.year(), day.month(), day.day(),
                                           hour, minute));
}

// A schedule people would enter.
void AddSchedule(Generator& gen, bool children, cv1::Schedule* schedule) {
  const double roll = gen.Uniform(0, 999) / 1000.0;
  // Afternoons and evenings mostly; children's activities after school.
  const int hour = children ? gen.Uniform(14, 17) : gen.Uniform(9, 19);
  const int minute = gen.Chance(0.6) ? 0 : 30;
  if (roll < 0.52) {  // weekly
    const absl::CivilDay start = gen.today() + gen.Uniform(-365, 90);
    SetStart(start, hour, minute, schedule);
    SetDuration(gen.Pick(std::vector<int>{60, 90, 120, 120, 180}), schedule);
    const int interval = gen.Chance(0.15) ? 2 : 1;
    std::string days = WeekdayCode(absl::GetWeekday(start));
    if (interval == 1 && gen.Chance(0.15)) {
      absl::StrAppend(&days, ",",
                      WeekdayCode(absl::GetWeekday(start + gen.Uniform(2, 3))));
    }
    std::string rule = absl::StrCat("FREQ=WEEKLY;BYDAY=", days);
    if (interval > 1) absl::StrAppend(&rule, ";INTERVAL=", interval);
    const double end = gen.Uniform(0, 99) / 100.0;
    if (end < 0.25) {  // a season: may be over already
      absl::StrAppend(&rule,
                      ";UNTIL=", UntilText(start + 7 * gen.Uniform(8, 60)));
    } else if (end < 0.40) {  // a course
      absl::StrAppend(&rule, ";COUNT=", gen.Uniform(6, 40));
    }
    schedule->set_rrule(rule);
    if (gen.Chance(0.15)) {  // holidays and closed days
      const int count = gen.Uniform(1, 3);
      for (int i = 0; i < count; ++i) {
        schedule->add_exception_dates(DateText(
            start + 7 * interval * gen.Uniform(1 + 10 * i, 10 + 10 * i)));
      }
    }
  } else if (roll < 0.64) {  // monthly
    const absl::CivilDay start = gen.today() + gen.Uniform(-365, 90);
    SetStart(start, hour, minute, schedule);
    SetDuration(gen.Pick(std::vector<int>{90, 120, 180}), schedule);
    const std::string weekday = WeekdayCode(absl::GetWeekday(start));
    const int ordinal = (start.day() - 1) / 7 + 1;  // "2nd Tuesday"
    const bool last = absl::CivilMonth(start + 7) != absl::CivilMonth(start);
    std::string rule;
    if (gen.Chance(0.4) && start.day() <= 28) {
      rule = absl::StrCat("FREQ=MONTHLY;BYMONTHDAY=", start.day());
    } else if (ordinal == 5 || (last && gen.Chance(0.5))) {
      rule = absl::StrCat("FREQ=MONTHLY;BYDAY=-1", weekday);  // "last Friday"
    } else {
      rule = absl::StrCat("FREQ=MONTHLY;BYDAY=", ordinal, weekday);
    }
    if (gen.Chance(0.2)) absl::StrAppend(&rule, ";COUNT=", gen.Uniform(4, 12));
    schedule->set_rrule(rule);
  } else if (roll < 0.70) {  // daily: a short course or camp, or drop-in
    const absl::CivilDay start = gen.today() + gen.Uniform(-365, 90);
    const bool open_ended = gen.Chance(0.3);
    SetStart(start, open_ended ? hour : 9, open_ended ? minute : 0, schedule);
    SetDuration(open_ended ? 120 : 360, schedule);
    const int count = gen.Uniform(3, 14);
    schedule->set_rrule(open_ended ? "FREQ=DAILY"
                                   : absl::StrCat("FREQ=DAILY;COUNT=", count));
    if (!open_ended && count > 5 && gen.Chance(0.3)) {
      schedule->add_exception_dates(
          DateText(start + gen.Uniform(1, count - 1)));
    }
  } else {  // a one-off event
    SetStart(gen.today() + gen.Uniform(-365, 150), hour, minute, schedule);
    SetDuration(gen.Pick(std::vector<int>{60, 120, 180, 240}), schedule);
  }
}

void AddTargetGroups(Generator& gen, cv1::Category category,
                     cv1::Activity* activity) {
  auto add = [&](cv1::TargetGroup::Kind kind, int min_age = 0,
                 int max_age = 0) {
    cv1::TargetGroup* group = activity->add_target_groups();
    group->set_kind(kind);
    if (kind == cv1::TargetGroup::KIND_CHILDREN) {
      group->set_min_age(min_age);
      group->set_max_age(max_age);
    }
  };
  if (category == cv1::CATEGORY_HOMEWORK_HELP) {
    add(cv1::TargetGroup::KIND_CHILDREN, gen.Uniform(6, 10),
        gen.Uniform(13, 17));
    if (gen.Chance(0.3)) add(cv1::TargetGroup::KIND_YOUTH);
    return;
  }
  if (category == cv1::CATEGORY_CHILDREN_AND_YOUTH) {
    switch (gen.Uniform(0, 3)) {
      case 0:
        add(cv1::TargetGroup::KIND_CHILDREN, 0, 5);
        break;
      case 1:
        add(cv1::TargetGroup::KIND_CHILDREN, 6, 12);
        break;
      case 2:
        add(cv1::TargetGroup::KIND_CHILDREN, 10, 15);
        break;
      default:
        add(cv1::TargetGroup::KIND_YOUTH);
        break;
    }
    if (gen.Chance(0.3)) add(cv1::TargetGroup::KIND_FAMILIES);
    return;
  }
  const int roll = gen.Uniform(0, 99);
  if (roll < 50) return;  // everyone
  if (roll < 55) {
    add(cv1::TargetGroup::KIND_EVERYONE);
  } else if (roll < 70) {
    add(cv1::TargetGroup::KIND_WOMEN);
  } else if (roll < 75) {
    add(cv1::TargetGroup::KIND_MEN);
  } else if (roll < 90) {
    add(cv1::TargetGroup::KIND_FAMILIES);
  } else {
    add(cv1::TargetGroup::KIND_YOUTH);
  }
}

void AddLanguages(Generator& gen, cv1::Activity* activity) {
  if (activity->category() == cv1::CATEGORY_LANGUAGE_CAFE || gen.Chance(0.8)) {
    activity->add_languages("da");
  }
  const int others =
      activity->languages().empty() ? gen.Uniform(1, 2) : gen.Uniform(0, 2);
  for (int i = 0; i < others; ++i) {
    const std::string code = gen.PickOtherLanguage();
    if (std::find(activity->languages().begin(), activity->languages().end(),
                  code) == activity->languages().end()) {
      activity->add_languages(code);
    }
  }
}

void AddPrice(Generator& gen, cv1::Activity* activity) {
  cv1::Price* price = activity->mutable_price();
  const int roll = gen.Uniform(0, 99);
  if (roll < 60 || activity->kind() == cv1::ACTIVITY_KIND_MUNICIPAL_TASK) {
    price->set_kind(cv1::Price::KIND_FREE);
  } else if (roll < 85) {
    price->set_kind(cv1::Price::KIND_LOW_COST);
    price->set_amount_ore(500 * gen.Uniform(2, 10));
    price->set_note("børn gratis");
  } else {
    price->set_kind(cv1::Price::KIND_PAID);
    price->set_amount_ore(5000 * gen.Uniform(1, 8));
    price->set_note("per gang");
  }
}

cv1::Activity MakeActivity(Generator& gen, int index,
                           const std::vector<OrganiserInfo>& organisers,
                           int organiser) {
  const OrganiserInfo& by = organisers[organiser];
  cv1::Activity activity;
  activity.set_organiser(by.name);
  if (organisers.size() > 1 && gen.Chance(0.08)) {
    int other = gen.Uniform(0, static_cast<int>(organisers.size()) - 2);
    if (other >= organiser) ++other;
    activity.add_co_organisers(organisers[other].name);
  }
  const std::string& area = !by.areas.empty() && gen.Chance(0.7)
                                ? gen.Pick(by.areas)
                                : gen.Pick(MunicipalityAreas());
  const bool municipal =
      by.kind == rv1::ACTOR_KIND_MUNICIPAL_DEPARTMENT && gen.Chance(0.6);
  std::string title;
  if (municipal) {
    const auto& task = gen.Pick(MunicipalTasks());
    activity.set_kind(cv1::ACTIVITY_KIND_MUNICIPAL_TASK);
    activity.set_category(task.first);
    title = task.second;
  } else {
    const CategoryText& category = gen.PickCategory();
    activity.set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
    activity.set_category(category.category);
    title = gen.Pick(category.names);
  }
  activity.set_display_name(gen.Chance(0.6) ? absl::StrCat(title, " i ", area)
                                            : title);
  const CategoryText& text = TextOf(activity.category());
  activity.set_description(absl::StrCat(
      gen.Pick(text.blurbs), " ", gen.Pick(text.blurbs), " ", "Arrangeret af ",
      "frivillige og ansatte i ", area,
      ". Spørg efter os ved indgangen (aktivitet nr. ", index, ")."));
  AddTargetGroups(gen, activity.category(), &activity);
  AddLanguages(gen, &activity);
  cv1::Place* place = activity.mutable_place();
  place->set_area(area);
  place->set_address(absl::StrCat(gen.Pick(Streets()), " ", gen.Uniform(1, 180),
                                  ", 9000 Aalborg"));
  place->set_venue(absl::StrCat(area, " ", gen.Pick(Venues())));
  if (gen.Chance(0.7)) {
    place->mutable_coordinates()->set_latitude(57.048 +
                                               gen.Uniform(-800, 800) / 1e4);
    place->mutable_coordinates()->set_longitude(9.919 +
                                                gen.Uniform(-1200, 1200) / 1e4);
  }
  const bool children = activity.category() == cv1::CATEGORY_HOMEWORK_HELP ||
                        activity.category() == cv1::CATEGORY_CHILDREN_AND_YOUTH;
  AddSchedule(gen, children, activity.mutable_schedule());
  if (gen.Chance(0.4)) {
    activity.mutable_capacity()->set_max_participants(5 * gen.Uniform(2, 12));
    if (gen.Chance(0.5)) {
      activity.mutable_capacity()->set_signup_required(true);
      activity.mutable_capacity()->set_signup_instructions(
          "Tilmelding på telefon eller mail senest dagen før.");
    }
  }
  AddPrice(gen, &activity);
  cv1::Contact* contact = activity.mutable_contact();
  contact->set_name(gen.Pick(ContactNames()));
  contact->set_phone(absl::StrFormat("+45 %02d %02d %02d %02d",
                                     gen.Uniform(20, 99), gen.Uniform(0, 99),
                                     gen.Uniform(0, 99), gen.Uniform(0, 99)));
  contact->set_email(absl::StrCat("aktivitet", index, "@example.dk"));
  if (gen.Chance(0.3)) {
    activity.set_accessibility_notes("Trinfri adgang; teleslynge i salen.");
  }
  activity.set_state(cv1::ACTIVITY_STATE_PUBLISHED);
  return activity;
}

// The first organiser of `kind`, else the first one.
int FirstOfKind(const std::vector<OrganiserInfo>& organisers,
                rv1::ActorKind kind) {
  for (size_t i = 0; i < organisers.size(); ++i) {
    if (organisers[i].kind == kind) return static_cast<int>(i);
  }
  return 0;
}

}  // namespace

ActivityMix MakeActivityMix(int count,
                            const std::vector<OrganiserInfo>& organisers,
                            absl::Time now, uint32_t seed) {
  const int organiser_count = static_cast<int>(organisers.size());
  count = std::max(count, organiser_count + 2);
  Generator gen(seed, now);
  ActivityMix mix;
  mix.activities.reserve(count);
  for (int i = 0; i < count; ++i) {
    const int organiser =
        i < organiser_count ? i : gen.Uniform(0, organiser_count - 1);
    mix.activities.push_back(MakeActivity(gen, i, organisers, organiser));
  }

  // The occurrence scenarios' subjects, replacing two ordinary ones: a
  // language café every Tuesday evening for half a year now, and a
  // drop-in café every day for two months.
  mix.weekly_index = organiser_count;
  cv1::Activity& weekly = mix.activities[mix.weekly_index];
  weekly =
      MakeActivity(gen, mix.weekly_index, organisers,
                   FirstOfKind(organisers, rv1::ACTOR_KIND_SOCIAL_ASSOCIATION));
  weekly.set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
  weekly.set_category(cv1::CATEGORY_LANGUAGE_CAFE);
  weekly.set_display_name("Sprogcafé tirsdag aften");
  weekly.clear_target_groups();  // everyone
  weekly.clear_languages();
  weekly.add_languages("da");
  weekly.add_languages("ar");
  weekly.add_languages("uk");
  absl::CivilDay tuesday = gen.today() - 26 * 7;
  while (absl::GetWeekday(tuesday) != absl::Weekday::tuesday) ++tuesday;
  weekly.mutable_schedule()->Clear();
  SetStart(tuesday, 18, 0, weekly.mutable_schedule());
  SetDuration(120, weekly.mutable_schedule());
  weekly.mutable_schedule()->set_rrule("FREQ=WEEKLY;BYDAY=TU");
  weekly.mutable_schedule()->add_exception_dates(DateText(tuesday + 7 * 30));

  mix.daily_index = organiser_count + 1;
  cv1::Activity& daily = mix.activities[mix.daily_index];
  daily =
      MakeActivity(gen, mix.daily_index, organisers,
                   FirstOfKind(organisers, rv1::ACTOR_KIND_VOLUNTEER_CENTRE));
  daily.set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
  daily.set_category(cv1::CATEGORY_MEETING_PLACE);
  daily.set_display_name("Åben café hver dag");
  daily.clear_target_groups();
  daily.mutable_schedule()->Clear();
  SetStart(gen.today() - 60, 10, 0, daily.mutable_schedule());
  SetDuration(240, daily.mutable_schedule());
  daily.mutable_schedule()->set_rrule("FREQ=DAILY");

  for (const cv1::Activity& activity : mix.activities) {
    const std::string& rule = activity.schedule().rrule();
    if (rule.empty()) {
      ++mix.one_off;
    } else if (rule.find("FREQ=WEEKLY") == 0) {
      ++mix.weekly;
    } else if (rule.find("FREQ=MONTHLY") == 0) {
      ++mix.monthly;
    } else {
      ++mix.daily;
    }
    if (!activity.schedule().exception_dates().empty()) {
      ++mix.with_exception_dates;
    }
  }
  return mix;
}

}  // namespace brobygger::bench
