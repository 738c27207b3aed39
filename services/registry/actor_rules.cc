#include "services/registry/actor_rules.h"

#include <algorithm>
#include <regex>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/api/field_checks.h"
#include "common/api/resource_name.h"
#include "common/text/fold.h"

namespace brobygger::registry {
namespace {

using google::protobuf::RepeatedPtrField;

constexpr char kActorPattern[] = "municipalities/{municipality}/actors/{actor}";

std::string Field(absl::string_view prefix, absl::string_view name) {
  return prefix.empty() ? std::string(name) : absl::StrCat(prefix, ".", name);
}

std::string Indexed(absl::string_view field, int index) {
  return absl::StrCat(field, "[", index, "]");
}

void TrimInPlace(std::string* text) {
  *text = std::string(absl::StripAsciiWhitespace(*text));
}

using api::CheckTags;
using api::NormalizeTags;

void CheckText(const std::string& text, int max_chars, bool required,
               const std::string& field, FieldViolations* violations) {
  const int length = text::Utf8Length(text);
  if (length < 0) {
    violations->Add(field, "must be valid UTF-8");
  } else if (required && length == 0) {
    violations->Add(field, "is required");
  } else if (length > max_chars) {
    violations->Add(field, absl::StrCat("must be at most ", max_chars,
                                        " characters (has ", length, ")"));
  }
}

void CheckActorReference(const std::string& name,
                         absl::string_view municipality_id,
                         const std::string& field,
                         FieldViolations* violations) {
  auto parts = api::ParseResourceName(name, kActorPattern, field);
  if (!parts.ok()) {
    violations->Add(field, absl::StrCat("must be an actor name like "
                                        "\"municipalities/",
                                        municipality_id, "/actors/12\""));
  } else if ((*parts)[0] != municipality_id) {
    violations->Add(field, "must be an actor of the same municipality");
  }
}

using api::IsValidLanguageCode;

void CheckLanguages(const RepeatedPtrField<v1::LanguageSkill>& languages,
                    const std::string& field, FieldViolations* violations) {
  if (languages.size() > kMaxLanguages) {
    violations->Add(field, absl::StrCat("at most ", kMaxLanguages, " entries"));
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < languages.size(); ++i) {
    const std::string item = Indexed(field, i);
    const v1::LanguageSkill& language = languages[i];
    if (!IsValidLanguageCode(language.code())) {
      violations->Add(Field(item, "code"),
                      "must be a BCP 47 language tag such as \"ar\", \"ti\", "
                      "\"prs\" or \"uk\"");
    } else if (!seen.insert(language.code()).second) {
      violations->Add(Field(item, "code"), "is listed twice");
    }
    if (!v1::Proficiency_IsValid(language.proficiency())) {
      violations->Add(Field(item, "proficiency"), "is not a known value");
    }
  }
}

void CheckDate(const v1::Date& date, const std::string& field,
               FieldViolations* violations) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < 1900 || date.year() > 2200 || day.year() != date.year() ||
      day.month() != date.month() || day.day() != date.day()) {
    violations->Add(field, "must be a valid calendar date");
  }
}

void CheckHousehold(const v1::Household& household, const std::string& field,
                    FieldViolations* violations) {
  if (household.adults() < 0 || household.adults() > 20) {
    violations->Add(Field(field, "adults"),
                    "must be between 1 and 20 (0 means 1)");
  }
  if (household.children_ages_size() > kMaxChildren) {
    violations->Add(Field(field, "children_ages"),
                    absl::StrCat("at most ", kMaxChildren, " children"));
  }
  for (int i = 0; i < household.children_ages_size(); ++i) {
    if (household.children_ages(i) < 0 || household.children_ages(i) > 17) {
      violations->Add(
          Indexed(Field(field, "children_ages"), i),
          "must be an age between 0 and 17 (adults count in `adults`)");
    }
  }
}

void CheckVolunteer(const v1::Actor& actor, const std::string& field,
                    FieldViolations* violations) {
  if (actor.kind() != v1::ACTOR_KIND_VOLUNTEER) {
    if (actor.has_volunteer()) {
      violations->Add(field, "is only for actors of kind VOLUNTEER");
    }
    return;
  }
  if (!actor.has_volunteer()) {
    violations->Add(field, "is required for volunteers (at least capacity)");
    return;
  }
  const v1::VolunteerProfile& volunteer = actor.volunteer();
  if (volunteer.capacity() < 1 || volunteer.capacity() > kMaxCapacity) {
    violations->Add(Field(field, "capacity"),
                    absl::StrCat("must be between 1 and ", kMaxCapacity,
                                 ": how many newcomers at once"));
  }
  if (!v1::Gender_IsValid(volunteer.gender())) {
    violations->Add(Field(field, "gender"), "is not a known value");
  }
  if (volunteer.has_household()) {
    CheckHousehold(volunteer.household(), Field(field, "household"),
                   violations);
  }
}

void CheckNewcomer(const v1::Actor& actor, absl::string_view municipality_id,
                   const std::string& field, FieldViolations* violations) {
  if (actor.kind() != v1::ACTOR_KIND_NEWCOMER) {
    if (actor.has_newcomer()) {
      violations->Add(field, "is only for actors of kind NEWCOMER");
    }
    return;
  }
  if (!actor.has_newcomer()) {
    violations->Add(field, "is required for newcomers (at least first_name)");
    return;
  }
  const v1::NewcomerProfile& newcomer = actor.newcomer();
  CheckText(newcomer.first_name(), 100, true, Field(field, "first_name"),
            violations);
  CheckText(newcomer.family_name(), 100, false, Field(field, "family_name"),
            violations);
  if (newcomer.has_arrival_date()) {
    CheckDate(newcomer.arrival_date(), Field(field, "arrival_date"),
              violations);
  }
  if (newcomer.has_household()) {
    CheckHousehold(newcomer.household(), Field(field, "household"), violations);
  }
  CheckTags(newcomer.needs(), kMaxNeeds, Field(field, "needs"), violations);
  if (!v1::Gender_IsValid(newcomer.gender())) {
    violations->Add(Field(field, "gender"), "is not a known value");
  }
  if (!newcomer.caseworker().empty()) {
    CheckActorReference(newcomer.caseworker(), municipality_id,
                        Field(field, "caseworker"), violations);
  }
}

}  // namespace

void NormalizeActor(v1::Actor* actor) {
  TrimInPlace(actor->mutable_display_name());
  TrimInPlace(actor->mutable_parent());
  for (std::string& area : *actor->mutable_areas()) TrimInPlace(&area);
  for (v1::LanguageSkill& language : *actor->mutable_languages()) {
    language.set_code(
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(language.code())));
  }
  NormalizeTags(actor->mutable_competences());
  NormalizeTags(actor->mutable_interests());
  for (v1::ContactChannel& channel : *actor->mutable_contact_channels()) {
    TrimInPlace(channel.mutable_value());
  }
  if (actor->has_newcomer()) {
    v1::NewcomerProfile* newcomer = actor->mutable_newcomer();
    TrimInPlace(newcomer->mutable_first_name());
    TrimInPlace(newcomer->mutable_family_name());
    NormalizeTags(newcomer->mutable_needs());
    if (newcomer->has_household() && newcomer->household().adults() == 0) {
      newcomer->mutable_household()->set_adults(1);
    }
    if (actor->display_name().empty()) {
      actor->set_display_name(std::string(absl::StripAsciiWhitespace(
          absl::StrCat(newcomer->first_name(), " ", newcomer->family_name()))));
    }
  }
}

void ValidateContactChannel(const v1::ContactChannel& channel,
                            const std::string& field,
                            FieldViolations* violations) {
  if (channel.type() == v1::ContactChannel::TYPE_UNSPECIFIED ||
      !v1::ContactChannel::Type_IsValid(channel.type())) {
    violations->Add(Field(field, "type"),
                    "is required: PHONE, EMAIL, SMS, IN_PERSON, WEBSITE or "
                    "MESSENGER");
  }
  CheckText(channel.value(), kMaxContactValue, true, Field(field, "value"),
            violations);
  CheckText(channel.note(), 200, false, Field(field, "note"), violations);
}

void ValidateWeeklyWindow(const v1::WeeklyWindow& window,
                          const std::string& field,
                          FieldViolations* violations) {
  if (window.day() == v1::DAY_OF_WEEK_UNSPECIFIED ||
      !v1::DayOfWeek_IsValid(window.day())) {
    violations->Add(Field(field, "day"), "is required (MONDAY..SUNDAY)");
  }
  auto minutes = [](const v1::TimeOfDay& time) {
    return time.hours() * 60 + time.minutes();
  };
  bool times_valid = true;
  for (const auto& [name, time] : {std::pair<const char*, const v1::TimeOfDay*>{
                                       "start_time", &window.start_time()},
                                   {"end_time", &window.end_time()}}) {
    if (time->hours() < 0 || time->hours() > 23 || time->minutes() < 0 ||
        time->minutes() > 59) {
      violations->Add(Field(field, name), "must be a time 00:00-23:59");
      times_valid = false;
    }
  }
  if (times_valid &&
      minutes(window.end_time()) <= minutes(window.start_time())) {
    violations->Add(Field(field, "end_time"),
                    "must be after start_time on the same day (split a "
                    "window that crosses midnight in two)");
  }
}

void ValidateAreas(const RepeatedPtrField<std::string>& areas,
                   const v1::Municipality& municipality,
                   const std::string& field, FieldViolations* violations) {
  if (areas.size() > kMaxAreas) {
    violations->Add(field, absl::StrCat("at most ", kMaxAreas, " areas"));
    return;
  }
  std::set<std::string> known;
  for (const std::string& area : municipality.areas()) {
    known.insert(text::FoldForSearch(area));
  }
  for (int i = 0; i < areas.size(); ++i) {
    const std::string item = Indexed(field, i);
    CheckText(areas[i], kMaxAreaLength, true, item, violations);
    if (!known.empty() && !known.contains(text::FoldForSearch(areas[i]))) {
      violations->Add(item,
                      absl::StrCat("\"", areas[i], "\" is not an area of ",
                                   municipality.display_name(),
                                   "; see the municipality's areas"));
    }
  }
}

void ValidateActor(const v1::Actor& actor, absl::string_view municipality_id,
                   const v1::Municipality& municipality,
                   absl::string_view prefix, FieldViolations* violations) {
  if (actor.kind() == v1::ACTOR_KIND_UNSPECIFIED ||
      !v1::ActorKind_IsValid(actor.kind())) {
    violations->Add(Field(prefix, "kind"),
                    "is required, e.g. VOLUNTEER, NGO_BRANCH or NEWCOMER");
  }
  CheckText(actor.display_name(), kMaxDisplayName, true,
            Field(prefix, "display_name"), violations);
  if (!actor.parent().empty()) {
    CheckActorReference(actor.parent(), municipality_id,
                        Field(prefix, "parent"), violations);
    if (!actor.name().empty() && actor.parent() == actor.name()) {
      violations->Add(Field(prefix, "parent"), "must not be the actor itself");
    }
  }
  CheckText(actor.description(), kMaxDescription, false,
            Field(prefix, "description"), violations);
  ValidateAreas(actor.areas(), municipality, Field(prefix, "areas"),
                violations);
  CheckLanguages(actor.languages(), Field(prefix, "languages"), violations);
  CheckTags(actor.competences(), kMaxTags, Field(prefix, "competences"),
            violations);
  CheckTags(actor.interests(), kMaxTags, Field(prefix, "interests"),
            violations);
  if (actor.availability_size() > kMaxAvailability) {
    violations->Add(Field(prefix, "availability"),
                    absl::StrCat("at most ", kMaxAvailability, " windows"));
  } else {
    for (int i = 0; i < actor.availability_size(); ++i) {
      ValidateWeeklyWindow(actor.availability(i),
                           Indexed(Field(prefix, "availability"), i),
                           violations);
    }
  }
  if (actor.contact_channels_size() > kMaxContactChannels) {
    violations->Add(Field(prefix, "contact_channels"),
                    absl::StrCat("at most ", kMaxContactChannels, " channels"));
  } else {
    int preferred = 0;
    for (int i = 0; i < actor.contact_channels_size(); ++i) {
      ValidateContactChannel(actor.contact_channels(i),
                             Indexed(Field(prefix, "contact_channels"), i),
                             violations);
      preferred += actor.contact_channels(i).preferred() ? 1 : 0;
    }
    if (preferred > 1) {
      violations->Add(Field(prefix, "contact_channels"),
                      "at most one channel may be preferred");
    }
  }
  if (actor.has_response_time()) {
    const auto& expected = actor.response_time().expected();
    if (expected.seconds() < 0 || expected.nanos() < 0 ||
        expected.seconds() > 90LL * 24 * 3600) {
      violations->Add(Field(prefix, "response_time.expected"),
                      "must be between 0 and 90 days");
    }
    CheckText(actor.response_time().note(), 200, false,
              Field(prefix, "response_time.note"), violations);
  }
  CheckVolunteer(actor, Field(prefix, "volunteer"), violations);
  CheckNewcomer(actor, municipality_id, Field(prefix, "newcomer"), violations);
}

bool IsOrganisation(v1::ActorKind kind) {
  return kind != v1::ACTOR_KIND_UNSPECIFIED &&
         kind != v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE &&
         kind != v1::ACTOR_KIND_VOLUNTEER && kind != v1::ACTOR_KIND_NEWCOMER;
}

v1::Sector SectorOf(v1::ActorKind kind) {
  switch (kind) {
    case v1::ACTOR_KIND_MUNICIPAL_DEPARTMENT:
    case v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE:
      return v1::SECTOR_MUNICIPAL;
    case v1::ACTOR_KIND_UNSPECIFIED:
      return v1::SECTOR_UNSPECIFIED;
    default:
      return v1::SECTOR_CIVIL_SOCIETY;
  }
}

absl::string_view KindFilterName(v1::ActorKind kind) {
  const std::string& full = v1::ActorKind_Name(kind);
  return absl::StripPrefix(full, "ACTOR_KIND_");
}

std::vector<std::string> DuplicateKeys(const v1::Actor& actor) {
  const std::string prefix =
      absl::StrCat(static_cast<int>(actor.kind()), "|",
                   text::FoldForSearch(actor.display_name()), "|");
  std::vector<std::string> keys;
  for (const std::string& area : actor.areas()) {
    keys.push_back(absl::StrCat(prefix, text::FoldForSearch(area)));
  }
  if (keys.empty()) keys.push_back(prefix);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace brobygger::registry
