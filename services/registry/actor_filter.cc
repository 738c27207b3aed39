#include "services/registry/actor_filter.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/api/filter.h"
#include "common/status/errors.h"
#include "common/text/fold.h"
#include "services/registry/actor_rules.h"

namespace brobygger::registry {
namespace {

absl::Status BadValue(absl::string_view field, absl::string_view what) {
  return InvalidFieldError("filter", absl::StrCat(field, ": ", what));
}

const absl::TimeZone& Copenhagen() {
  static const absl::TimeZone* zone = [] {
    auto* tz = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/Copenhagen", tz)) {
      // Without tzdata, fall back to CET; availability across the DST
      // change is then off by an hour in summer. tzdata is a dependency.
      *tz = absl::FixedTimeZone(3600);
    }
    return tz;
  }();
  return *zone;
}

int IsoWeekday(absl::Weekday weekday) {
  switch (weekday) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 0;
}

bool HasLanguage(const v1::Actor& actor, const std::string& code,
                 bool mother_tongue_only) {
  return std::any_of(actor.languages().begin(), actor.languages().end(),
                     [&](const v1::LanguageSkill& language) {
                       return language.code() == code &&
                              (!mother_tongue_only || language.mother_tongue());
                     });
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::optional<v1::ActorKind> ParseKind(std::string value) {
  value = absl::AsciiStrToUpper(value);
  v1::ActorKind kind;
  if (v1::ActorKind_Parse(value, &kind) ||
      v1::ActorKind_Parse(absl::StrCat("ACTOR_KIND_", value), &kind)) {
    if (kind != v1::ACTOR_KIND_UNSPECIFIED) return kind;
  }
  return std::nullopt;
}

}  // namespace

bool AvailableAt(const v1::Actor& actor, absl::Time time) {
  const absl::CivilSecond local = absl::ToCivilSecond(time, Copenhagen());
  const int day = IsoWeekday(absl::GetWeekday(local));
  const int minute = local.hour() * 60 + local.minute();
  return std::any_of(actor.availability().begin(), actor.availability().end(),
                     [&](const v1::WeeklyWindow& window) {
                       const int start = window.start_time().hours() * 60 +
                                         window.start_time().minutes();
                       const int end = window.end_time().hours() * 60 +
                                       window.end_time().minutes();
                       return static_cast<int>(window.day()) == day &&
                              start <= minute && minute < end;
                     });
}

bool ActorFilter::Matches(const v1::Actor& actor) const {
  if (kind && actor.kind() != *kind) return false;
  if (area && std::none_of(actor.areas().begin(), actor.areas().end(),
                           [&](const std::string& a) {
                             return text::FoldForSearch(a) == *area;
                           })) {
    return false;
  }
  if (language && !HasLanguage(actor, *language, false)) return false;
  if (mother_tongue && !HasLanguage(actor, *mother_tongue, true)) return false;
  if (competence && !Contains(actor.competences(), *competence)) return false;
  if (interest && !Contains(actor.interests(), *interest)) return false;
  if (parent && actor.parent() != *parent) return false;
  if (former_refugee && actor.volunteer().former_refugee() != *former_refugee) {
    return false;
  }
  if (available_at && !AvailableAt(actor, *available_at)) return false;
  if (!name_words.empty()) {
    const std::string folded = text::FoldForSearch(actor.display_name());
    for (const std::string& word : name_words) {
      if (folded.find(word) == std::string::npos) return false;
    }
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> ActorFilter::IndexCandidates()
    const {
  std::vector<std::pair<std::string, std::string>> candidates;
  if (kind) candidates.emplace_back("kind", std::string(KindFilterName(*kind)));
  if (area) candidates.emplace_back("area", *area);
  if (language) candidates.emplace_back("language", *language);
  if (mother_tongue) candidates.emplace_back("mother_tongue", *mother_tongue);
  if (competence) candidates.emplace_back("competence", *competence);
  if (interest) candidates.emplace_back("interest", *interest);
  if (parent) candidates.emplace_back("parent", *parent);
  return candidates;
}

std::vector<std::pair<std::string, std::string>> ActorIndexTerms(
    const v1::Actor& actor) {
  std::vector<std::pair<std::string, std::string>> terms;
  terms.emplace_back("kind", std::string(KindFilterName(actor.kind())));
  for (const std::string& area : actor.areas()) {
    terms.emplace_back("area", text::FoldForSearch(area));
  }
  for (const v1::LanguageSkill& language : actor.languages()) {
    terms.emplace_back("language", language.code());
    if (language.mother_tongue()) {
      terms.emplace_back("mother_tongue", language.code());
    }
  }
  for (const std::string& tag : actor.competences()) {
    terms.emplace_back("competence", tag);
  }
  for (const std::string& tag : actor.interests()) {
    terms.emplace_back("interest", tag);
  }
  if (!actor.parent().empty()) terms.emplace_back("parent", actor.parent());
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

absl::StatusOr<ActorFilter> ParseActorFilter(absl::string_view text) {
  auto restrictions = api::ParseFilter(text);
  if (!restrictions.ok()) return restrictions.status();
  ActorFilter filter;
  for (const api::Restriction& r : *restrictions) {
    const std::string& f = r.field;
    if (r.op == ":" && f != "name") {
      return BadValue(f, "use '=' (':' is only for name)");
    }
    if (f == "kind") {
      filter.kind = ParseKind(r.value);
      if (!filter.kind) {
        return BadValue(f, absl::StrCat("unknown kind \"", r.value,
                                        "\", e.g. VOLUNTEER or NGO_BRANCH"));
      }
    } else if (f == "area") {
      filter.area = text::FoldForSearch(r.value);
    } else if (f == "language") {
      filter.language = absl::AsciiStrToLower(r.value);
    } else if (f == "mother_tongue") {
      filter.mother_tongue = absl::AsciiStrToLower(r.value);
    } else if (f == "competence") {
      filter.competence = absl::AsciiStrToLower(r.value);
    } else if (f == "interest") {
      filter.interest = absl::AsciiStrToLower(r.value);
    } else if (f == "parent") {
      filter.parent = r.value;
    } else if (f == "former_refugee") {
      if (r.value != "true" && r.value != "false") {
        return BadValue(f, "must be true or false");
      }
      filter.former_refugee = r.value == "true";
    } else if (f == "available_at") {
      absl::Time time;
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, r.value, &time, &error)) {
        return BadValue(f,
                        "must be an RFC 3339 time such as "
                        "\"2026-11-24T18:00:00+01:00\"");
      }
      filter.available_at = time;
    } else if (f == "name") {
      for (absl::string_view word : absl::StrSplit(text::FoldForSearch(r.value),
                                                   ' ', absl::SkipEmpty())) {
        filter.name_words.emplace_back(word);
      }
      if (filter.name_words.empty()) return BadValue(f, "must not be empty");
    } else {
      return BadValue(f,
                      "unknown field; use kind, area, language, "
                      "mother_tongue, competence, interest, parent, "
                      "former_refugee, available_at or name");
    }
  }
  return filter;
}

}  // namespace brobygger::registry
