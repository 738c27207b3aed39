// Volunteers and newcomers as scoring sees them: plain structs prepared
// once (lowercase tags, folded areas) so that scoring 100,000 candidates
// per query touches no protobuf and allocates nothing.
#ifndef BROBYGGER_SERVICES_MATCHING_CANDIDATE_H_
#define BROBYGGER_SERVICES_MATCHING_CANDIDATE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "brobygger/matching/v1/volunteer_request.pb.h"
#include "brobygger/registry/v1/actor.pb.h"

namespace brobygger::matching {

// A language someone speaks, as scoring needs it.
struct Language {
  // The primary language subtag, lowercase: "ar" for "ar-SY". The registry
  // accepts regional tags, and an Arabic speaker recorded as "ar-SY" can
  // talk with one recorded as "ar"; comparing whole tags would find them
  // sharing no language.
  std::string code;
  int proficiency = 0;  // registry::v1::Proficiency
  bool mother_tongue = false;
};

// A weekly window in minutes of the week (Monday 00:00 = 0).
struct WeekWindow {
  int start = 0;
  int end = 0;
};

// A volunteer as matching sees it.
struct Candidate {
  std::string name;  // "municipalities/kolding/actors/12"
  std::string display_name;
  std::string organisation;        // the parent actor, "" if self-organised
  std::vector<std::string> areas;  // as written, for explanations
  std::vector<std::string> folded_areas;  // text::FoldForSearch
  std::vector<Language> languages;
  std::vector<std::string> competences;  // lowercase tags
  std::vector<std::string> interests;    // lowercase tags
  std::vector<WeekWindow> availability;
  int capacity = 0;
  int gender = 0;  // registry::v1::Gender
  bool former_refugee = false;
  std::vector<int> children_ages;  // the volunteer's household
  int load = 0;  // proposed, accepted and active matches (set by the index)
};

// The newcomer side of one request: the newcomer's profile with the
// request's wishes (which default to the profile) and hard constraints.
struct Seeker {
  v1::MatchKind kind = v1::MATCH_KIND_UNSPECIFIED;
  std::vector<Language> languages;
  std::vector<std::string> areas;
  std::vector<std::string> folded_areas;
  std::vector<std::string> needs;
  std::vector<std::string> interests;
  std::vector<int> children_ages;
  std::vector<WeekWindow> availability;
  std::string required_language;  // primary subtag as above; "" for none
  std::string required_area;      // as written
  std::string folded_required_area;
  int required_gender = 0;  // 0 for none
};

// From a registry actor of kind VOLUNTEER.
Candidate CandidateFromActor(const registry::v1::Actor& actor);

// From a request and the registry actor of its newcomer.
Seeker SeekerFor(const v1::VolunteerRequest& request,
                 const registry::v1::Actor& newcomer);

// The primary language subtag of a BCP 47 tag, lowercase ("ar-SY" -> "ar").
std::string PrimaryLanguage(absl::string_view code);

// English name of a language code for explanations ("ti" -> "Tigrinya",
// "ar-SY" -> "Arabic"); the code itself when unknown.
std::string LanguageName(absl::string_view code);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_CANDIDATE_H_
