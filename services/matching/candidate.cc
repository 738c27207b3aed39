#include "services/matching/candidate.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "common/text/fold.h"

namespace brobygger::matching {
namespace {

namespace rv1 = ::brobygger::registry::v1;

std::string Lower(absl::string_view text) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
}

template <typename Tags>
std::vector<std::string> LowerTags(const Tags& tags) {
  std::vector<std::string> out;
  out.reserve(tags.size());
  for (const std::string& tag : tags) {
    std::string lower = Lower(tag);
    if (!lower.empty()) out.push_back(std::move(lower));
  }
  return out;
}

std::vector<Language> LanguagesOf(const rv1::Actor& actor) {
  std::vector<Language> out;
  for (const rv1::LanguageSkill& skill : actor.languages()) {
    out.push_back({PrimaryLanguage(skill.code()), skill.proficiency(),
                   skill.mother_tongue()});
  }
  return out;
}

std::vector<WeekWindow> WindowsOf(const rv1::Actor& actor) {
  std::vector<WeekWindow> out;
  for (const rv1::WeeklyWindow& window : actor.availability()) {
    if (window.day() < 1 || window.day() > 7) continue;
    const int day = (window.day() - 1) * 24 * 60;
    const int start =
        day + window.start_time().hours() * 60 + window.start_time().minutes();
    const int end =
        day + window.end_time().hours() * 60 + window.end_time().minutes();
    if (end > start) out.push_back({start, end});
  }
  return out;
}

void FoldAreas(const rv1::Actor& actor, std::vector<std::string>* areas,
               std::vector<std::string>* folded) {
  for (const std::string& area : actor.areas()) {
    areas->push_back(area);
    folded->push_back(text::FoldForSearch(area));
  }
}

}  // namespace

Candidate CandidateFromActor(const rv1::Actor& actor) {
  Candidate out;
  out.name = actor.name();
  out.display_name = actor.display_name();
  out.organisation = actor.parent();
  FoldAreas(actor, &out.areas, &out.folded_areas);
  out.languages = LanguagesOf(actor);
  out.competences = LowerTags(actor.competences());
  out.interests = LowerTags(actor.interests());
  out.availability = WindowsOf(actor);
  out.capacity = actor.volunteer().capacity();
  out.gender = actor.volunteer().gender();
  out.former_refugee = actor.volunteer().former_refugee();
  out.children_ages.assign(
      actor.volunteer().household().children_ages().begin(),
      actor.volunteer().household().children_ages().end());
  return out;
}

Seeker SeekerFor(const v1::VolunteerRequest& request,
                 const rv1::Actor& newcomer) {
  Seeker out;
  out.kind = request.kind();
  out.languages = LanguagesOf(newcomer);
  FoldAreas(newcomer, &out.areas, &out.folded_areas);
  const v1::Wishes& wishes = request.wishes();
  out.needs = wishes.needs().empty() ? LowerTags(newcomer.newcomer().needs())
                                     : LowerTags(wishes.needs());
  out.interests = wishes.interests().empty() ? LowerTags(newcomer.interests())
                                             : LowerTags(wishes.interests());
  const auto& ages = wishes.children_ages().empty()
                         ? newcomer.newcomer().household().children_ages()
                         : wishes.children_ages();
  out.children_ages.assign(ages.begin(), ages.end());
  out.availability = WindowsOf(newcomer);
  out.required_language = PrimaryLanguage(request.constraints().language());
  out.required_area =
      std::string(absl::StripAsciiWhitespace(request.constraints().area()));
  out.folded_required_area =
      out.required_area.empty() ? "" : text::FoldForSearch(out.required_area);
  out.required_gender = request.constraints().volunteer_gender();
  return out;
}

std::string PrimaryLanguage(absl::string_view code) {
  return Lower(code.substr(0, code.find('-')));
}

std::string LanguageName(absl::string_view code) {
  static const auto* names = new absl::flat_hash_map<std::string, std::string>{
      {"da", "Danish"},     {"en", "English"},  {"ar", "Arabic"},
      {"ti", "Tigrinya"},   {"prs", "Dari"},    {"fa", "Persian"},
      {"ps", "Pashto"},     {"so", "Somali"},   {"uk", "Ukrainian"},
      {"ru", "Russian"},    {"ku", "Kurdish"},  {"kmr", "Kurmanji"},
      {"ckb", "Sorani"},    {"tr", "Turkish"},  {"de", "German"},
      {"fr", "French"},     {"es", "Spanish"},  {"sq", "Albanian"},
      {"bs", "Bosnian"},    {"ur", "Urdu"},     {"am", "Amharic"},
      {"pl", "Polish"},     {"ro", "Romanian"}, {"sw", "Swahili"},
      {"vi", "Vietnamese"}, {"th", "Thai"},     {"ta", "Tamil"},
      {"no", "Norwegian"},  {"sv", "Swedish"},  {"hi", "Hindi"}};
  auto it = names->find(PrimaryLanguage(code));
  return it == names->end() ? std::string(code) : it->second;
}

}  // namespace brobygger::matching
