#include "services/catalogue/activity_rules.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/field_checks.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "services/catalogue/activity_schedule.h"

namespace brobygger::catalogue {
namespace {

using api::CheckText;

std::string Field(absl::string_view prefix, absl::string_view path) {
  return absl::StrCat(prefix, ".", path);
}

void Trim(std::string* text) {
  *text = std::string(absl::StripAsciiWhitespace(*text));
}

void CheckActorName(const std::string& name, absl::string_view municipality,
                    const std::string& field, FieldViolations* violations) {
  auto parts = api::ParseResourceName(
      name, "municipalities/{municipality}/actors/{actor}", field);
  if (!parts.ok() || !api::IsValidNumericId((*parts)[1])) {
    violations->Add(field, absl::StrCat("must be an actor of the registry, "
                                        "e.g. \"municipalities/",
                                        municipality, "/actors/7\""));
  } else if ((*parts)[0] != municipality) {
    violations->Add(field,
                    "must be an actor of the activity's own municipality");
  }
}

void CheckTargetGroups(const v1::Activity& activity, absl::string_view prefix,
                       FieldViolations* violations) {
  if (activity.target_groups_size() > kMaxTargetGroups) {
    violations->Add(Field(prefix, "target_groups"),
                    absl::StrCat("at most ", kMaxTargetGroups));
    return;
  }
  for (int i = 0; i < activity.target_groups_size(); ++i) {
    const v1::TargetGroup& group = activity.target_groups(i);
    const std::string field =
        Field(prefix, absl::StrCat("target_groups[", i, "]"));
    if (group.kind() == v1::TargetGroup::KIND_UNSPECIFIED ||
        !v1::TargetGroup::Kind_IsValid(group.kind())) {
      violations->Add(field + ".kind",
                      "required: EVERYONE, CHILDREN, YOUTH, WOMEN, MEN or "
                      "FAMILIES");
    } else if (group.kind() == v1::TargetGroup::KIND_CHILDREN) {
      if (group.min_age() < 0 || group.max_age() > kMaxChildAge ||
          group.min_age() > group.max_age()) {
        violations->Add(field, absl::StrCat("children's ages need 0 <= "
                                            "min_age <= max_age <= ",
                                            kMaxChildAge));
      }
    } else if (group.min_age() != 0 || group.max_age() != 0) {
      violations->Add(field, "ages apply to CHILDREN only; leave them 0");
    }
  }
}

void CheckPlace(v1::Place* place, absl::string_view prefix,
                FieldViolations* violations) {
  Trim(place->mutable_area());
  Trim(place->mutable_address());
  Trim(place->mutable_venue());
  CheckText(place->area(), kMaxAreaChars, true, Field(prefix, "place.area"),
            "the town or area, e.g. \"Kærby\"", violations);
  CheckText(place->address(), kMaxAddressChars, false,
            Field(prefix, "place.address"), "", violations);
  CheckText(place->venue(), kMaxDisplayNameChars, false,
            Field(prefix, "place.venue"), "", violations);
  if (place->has_coordinates()) {
    const v1::Coordinates& at = place->coordinates();
    if (!(at.latitude() >= -90 && at.latitude() <= 90) ||
        !(at.longitude() >= -180 && at.longitude() <= 180)) {
      violations->Add(Field(prefix, "place.coordinates"),
                      "latitude must be -90..90 and longitude -180..180");
    }
  }
}

void CheckPrice(const v1::Price& price, absl::string_view prefix,
                FieldViolations* violations) {
  const std::string field = Field(prefix, "price");
  switch (price.kind()) {
    case v1::Price::KIND_FREE:
      if (price.amount_ore() != 0) {
        violations->Add(field + ".amount_ore", "must be 0 for FREE");
      }
      break;
    case v1::Price::KIND_LOW_COST:
    case v1::Price::KIND_PAID:
      if (price.amount_ore() <= 0 || price.amount_ore() > kMaxPriceOre) {
        violations->Add(field + ".amount_ore",
                        absl::StrCat("must be 1..", kMaxPriceOre,
                                     " øre for LOW_COST and PAID"));
      }
      break;
    default:
      violations->Add(field + ".kind", "required: FREE, LOW_COST or PAID");
  }
  CheckText(price.note(), kMaxDisplayNameChars, false, field + ".note", "",
            violations);
}

void CheckContact(v1::Contact* contact, absl::string_view prefix,
                  FieldViolations* violations) {
  const std::string field = Field(prefix, "contact");
  Trim(contact->mutable_email());
  Trim(contact->mutable_url());
  CheckText(contact->name(), kMaxDisplayNameChars, false, field + ".name", "",
            violations);
  CheckText(contact->phone(), 40, false, field + ".phone", "", violations);
  if (!contact->email().empty() &&
      (contact->email().size() > 254 || !absl::StrContains(contact->email(), "@"))) {
    violations->Add(field + ".email", "must be an e-mail address");
  }
  if (!contact->url().empty() &&
      (contact->url().size() > 2000 ||
       !(absl::StartsWith(contact->url(), "https://") ||
         absl::StartsWith(contact->url(), "http://")))) {
    violations->Add(field + ".url", "must be an http(s) URL");
  }
}

}  // namespace

absl::Status ValidateAndNormalizeActivity(absl::string_view municipality,
                                          absl::string_view prefix,
                                          v1::Activity* activity) {
  FieldViolations violations;
  Trim(activity->mutable_display_name());
  if (activity->kind() == v1::ACTIVITY_KIND_UNSPECIFIED ||
      !v1::ActivityKind_IsValid(activity->kind())) {
    violations.Add(Field(prefix, "kind"), "required: CIVIL_OFFER or "
                                          "MUNICIPAL_TASK");
  }
  CheckText(activity->display_name(), kMaxDisplayNameChars, true,
            Field(prefix, "display_name"), "the activity's name", &violations);
  CheckText(activity->description(), kMaxDescriptionChars, false,
            Field(prefix, "description"), "", &violations);
  if (activity->organiser().empty()) {
    violations.Add(Field(prefix, "organiser"),
                   "required: the organising actor, e.g. \"municipalities/" +
                       std::string(municipality) + "/actors/7\"");
  } else {
    CheckActorName(activity->organiser(), municipality,
                   Field(prefix, "organiser"), &violations);
  }
  if (activity->co_organisers_size() > kMaxCoOrganisers) {
    violations.Add(Field(prefix, "co_organisers"),
                   absl::StrCat("at most ", kMaxCoOrganisers));
  } else {
    std::set<std::string> seen = {activity->organiser()};
    for (int i = 0; i < activity->co_organisers_size(); ++i) {
      const std::string field =
          Field(prefix, absl::StrCat("co_organisers[", i, "]"));
      CheckActorName(activity->co_organisers(i), municipality, field,
                     &violations);
      if (!seen.insert(activity->co_organisers(i)).second) {
        violations.Add(field, "is the organiser or listed twice");
      }
    }
  }
  if (activity->category() == v1::CATEGORY_UNSPECIFIED ||
      !v1::Category_IsValid(activity->category())) {
    violations.Add(Field(prefix, "category"),
                   "required, e.g. LANGUAGE_CAFE or COMMUNAL_DINING");
  }
  CheckTargetGroups(*activity, prefix, &violations);
  if (activity->languages_size() > kMaxLanguages) {
    violations.Add(Field(prefix, "languages"),
                   absl::StrCat("at most ", kMaxLanguages));
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < activity->languages_size(); ++i) {
      std::string* code = activity->mutable_languages(i);
      Trim(code);
      const size_t dash = code->find('-');
      *code = absl::AsciiStrToLower(code->substr(0, dash)) +
              (dash == std::string::npos ? "" : code->substr(dash));
      const std::string field =
          Field(prefix, absl::StrCat("languages[", i, "]"));
      if (!api::IsValidLanguageCode(*code)) {
        violations.Add(field, "must be a BCP 47 language tag such as \"da\", "
                              "\"ar\" or \"uk\"");
      } else if (!seen.insert(*code).second) {
        violations.Add(field, "is listed twice");
      }
    }
  }
  if (!activity->has_place()) {
    violations.Add(Field(prefix, "place"),
                   "required: at least the town or area (place.area)");
  } else {
    CheckPlace(activity->mutable_place(), prefix, &violations);
  }
  if (!activity->has_schedule()) {
    violations.Add(Field(prefix, "schedule"),
                   "required: start_time and duration at least");
  } else if (auto schedule = ScheduleFromProto(activity->schedule());
             schedule.ok()) {
    *activity->mutable_schedule() = ScheduleToProto(*schedule);
  } else {
    for (const FieldViolation& v :
         FieldViolationsOf(PrefixFieldViolations(schedule.status(), prefix))) {
      violations.Add(v.field, v.description);
    }
    if (FieldViolationsOf(schedule.status()).empty()) return schedule.status();
  }
  const v1::Capacity& capacity = activity->capacity();
  if (capacity.max_participants() < 0 ||
      capacity.max_participants() > kMaxParticipants) {
    violations.Add(Field(prefix, "capacity.max_participants"),
                   absl::StrCat("must be 0 (no limit) .. ", kMaxParticipants));
  }
  CheckText(capacity.signup_instructions(), kMaxCancelReasonChars, false,
            Field(prefix, "capacity.signup_instructions"), "", &violations);
  if (!activity->has_price()) {
    violations.Add(Field(prefix, "price"),
                   "required: {\"kind\": \"KIND_FREE\"} for free activities");
  } else {
    CheckPrice(activity->price(), prefix, &violations);
  }
  CheckContact(activity->mutable_contact(), prefix, &violations);
  CheckText(activity->accessibility_notes(), kMaxAccessibilityChars, false,
            Field(prefix, "accessibility_notes"), "", &violations);
  if (!v1::ActivityState_IsValid(activity->state())) {
    violations.Add(Field(prefix, "state"),
                   "DRAFT, PUBLISHED, PAUSED or ENDED");
  }
  CheckText(activity->external_id(), kMaxExternalIdChars, false,
            Field(prefix, "external_id"), "", &violations);
  if (activity->cancelled_occurrences_size() > kMaxCancelledOccurrences) {
    violations.Add(Field(prefix, "cancelled_occurrences"),
                   absl::StrCat("at most ", kMaxCancelledOccurrences,
                                " cancelled occurrences are kept"));
  }
  if (activity->state() == v1::ACTIVITY_STATE_UNSPECIFIED) {
    activity->set_state(v1::ACTIVITY_STATE_DRAFT);
  }
  return violations.ToStatus();
}

const api::FieldMaskRules& ActivityMaskRules() {
  static const auto* rules = new api::FieldMaskRules{
      {"name", "organiser_display_name", "cancelled_occurrences", "etag",
       "create_time", "update_time", "schedule.time_zone"},
      {"kind", "organiser"}};
  return *rules;
}

bool IsPublic(const v1::Activity& activity) {
  return activity.state() == v1::ACTIVITY_STATE_PUBLISHED ||
         activity.state() == v1::ACTIVITY_STATE_PAUSED;
}

}  // namespace brobygger::catalogue
