#include "services/matching/request_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/field_checks.h"

namespace brobygger::matching {
namespace {

namespace v1 = ::brobygger::matching::v1;
namespace rv1 = ::brobygger::registry::v1;

std::string Field(absl::string_view prefix, absl::string_view name) {
  return prefix.empty() ? std::string(name) : absl::StrCat(prefix, ".", name);
}

}  // namespace

void NormalizeRequest(v1::VolunteerRequest* request) {
  v1::HardConstraints* constraints = request->mutable_constraints();
  constraints->set_language(absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(constraints->language())));
  constraints->set_area(
      std::string(absl::StripAsciiWhitespace(constraints->area())));
  api::NormalizeTags(request->mutable_wishes()->mutable_needs());
  api::NormalizeTags(request->mutable_wishes()->mutable_interests());
  request->set_note(std::string(absl::StripAsciiWhitespace(request->note())));
}

void CheckRequestFields(const v1::VolunteerRequest& request,
                        const std::string& prefix,
                        FieldViolations* violations) {
  const std::string constraints = Field(prefix, "constraints");
  const v1::HardConstraints& hard = request.constraints();
  if (!hard.language().empty() && !api::IsValidLanguageCode(hard.language())) {
    violations->Add(Field(constraints, "language"),
                    "must be a BCP 47 language tag such as \"ar\", \"ti\" or "
                    "\"prs\"");
  }
  api::CheckText(hard.area(), kMaxAreaLength, false, Field(constraints, "area"),
                 "a town or area", violations);
  if (!rv1::Gender_IsValid(hard.volunteer_gender())) {
    violations->Add(Field(constraints, "volunteer_gender"),
                    "is not a known value");
  }
  const std::string wishes = Field(prefix, "wishes");
  api::CheckTags(request.wishes().needs(), kMaxWishes, Field(wishes, "needs"),
                 violations);
  api::CheckTags(request.wishes().interests(), kMaxWishes,
                 Field(wishes, "interests"), violations);
  const auto& ages = request.wishes().children_ages();
  if (ages.size() > kMaxWishes) {
    violations->Add(Field(wishes, "children_ages"),
                    absl::StrCat("at most ", kMaxWishes, " children"));
  }
  for (int i = 0; i < ages.size() && i < kMaxWishes; ++i) {
    if (ages[i] < 0 || ages[i] > 17) {
      violations->Add(absl::StrCat(Field(wishes, "children_ages"), "[", i, "]"),
                      "must be an age between 0 and 17");
    }
  }
  api::CheckText(request.note(), kMaxNoteLength, false, Field(prefix, "note"),
                 "a note", violations);
}

void DefaultWishes(const rv1::Actor& newcomer, v1::VolunteerRequest* request) {
  v1::Wishes* wishes = request->mutable_wishes();
  if (wishes->needs().empty()) {
    *wishes->mutable_needs() = newcomer.newcomer().needs();
  }
  if (wishes->interests().empty()) {
    *wishes->mutable_interests() = newcomer.interests();
  }
  if (wishes->children_ages().empty()) {
    *wishes->mutable_children_ages() =
        newcomer.newcomer().household().children_ages();
  }
}

v1::VolunteerRequest ForEvent(const v1::VolunteerRequest& request) {
  v1::VolunteerRequest out = request;
  out.clear_wishes();
  out.clear_constraints();
  out.clear_note();
  return out;
}

bool IsOpenRequest(v1::VolunteerRequest::State state) {
  return state == v1::VolunteerRequest::STATE_OPEN ||
         state == v1::VolunteerRequest::STATE_PROPOSED ||
         state == v1::VolunteerRequest::STATE_MATCHED;
}

}  // namespace brobygger::matching
