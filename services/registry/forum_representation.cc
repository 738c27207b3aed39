#include "services/registry/forum_representation.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace brobygger::registry {
namespace {

namespace v1 = ::brobygger::registry::v1;

// "only 2 of 9 members are", "only 1 of 9 members is", "none of the 9
// members is", "the one member is not".
std::string FewOf(int count, int total) {
  if (count == 0 && total == 1) return "the one member is not";
  if (count == 0) return absl::StrCat("none of the ", total, " members is");
  return absl::StrCat("only ", count, " of ", total, " members ",
                      count == 1 ? "is" : "are");
}

bool IsWeekday(v1::DayOfWeek day) {
  return day >= v1::DAY_OF_WEEK_MONDAY && day <= v1::DAY_OF_WEEK_FRIDAY;
}

}  // namespace

v1::Representation ComputeRepresentation(const v1::Forum& forum) {
  v1::Representation representation;
  int municipal = 0;
  int civil = 0;
  for (const v1::ForumMember& member : forum.members()) {
    if (member.sector() == v1::SECTOR_MUNICIPAL) ++municipal;
    if (member.sector() == v1::SECTOR_CIVIL_SOCIETY) ++civil;
  }
  const int total = municipal + civil;
  representation.set_municipal_members(municipal);
  representation.set_civil_society_members(civil);
  representation.set_civil_society_share(
      total == 0 ? 0.0 : static_cast<double>(civil) / total);
  // Integer arithmetic: "at least a third" without rounding surprises.
  representation.set_balanced(municipal >= 1 && civil >= 1 &&
                              3 * municipal >= total && 3 * civil >= total);

  if (total == 0) {
    representation.add_warnings(
        "has no members yet: add the municipal and civil-society actors the "
        "terms of reference name");
  } else {
    if (3 * civil < total) {
      representation.add_warnings(absl::StrCat(
          FewOf(civil, total),
          " from civil society: civil actors drop out when meetings become "
          "internal municipal talk"));
    }
    if (3 * municipal < total) {
      representation.add_warnings(absl::StrCat(
          FewOf(municipal, total),
          " from the municipality: without municipal members the forum's "
          "ideas rarely reach the municipality's decisions"));
    }
  }

  const v1::TermsOfReference& terms = forum.terms_of_reference();
  if (terms.has_meeting_time() && IsWeekday(terms.meeting_time().day()) &&
      terms.meeting_time().start_time().hours() < kVolunteerFriendlyHour) {
    representation.add_warnings(absl::StrFormat(
        "meets on a weekday at %02d:%02d: volunteers are mostly free in the "
        "evening and at weekends",
        terms.meeting_time().start_time().hours(),
        terms.meeting_time().start_time().minutes()));
  }
  if (forum.kind() == v1::FORUM_KIND_COORDINATION_FORUM &&
      forum.coordinator().empty()) {
    representation.add_warnings(
        "has no coordinator: a coordination forum is led by one, who is "
        "also the way in for new actors");
  }
  return representation;
}

}  // namespace brobygger::registry
