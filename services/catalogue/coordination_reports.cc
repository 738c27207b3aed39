#include "services/catalogue/coordination_reports.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "common/text/fold.h"
#include "services/catalogue/activity_schedule.h"

namespace brobygger::catalogue {
namespace {

v1::Category CategoryFromCode(absl::string_view code) {
  for (int value = v1::Category_MIN; value <= v1::Category_MAX; ++value) {
    if (v1::Category_IsValid(value) &&
        CategoryCode(static_cast<v1::Category>(value)) == code) {
      return static_cast<v1::Category>(value);
    }
  }
  return v1::CATEGORY_UNSPECIFIED;
}

// "«Sprogcafé» (Røde Kors Aalborg) and «Lektiecafé» (DFH) are both
// language_cafe in Kærby for similar target groups; 12 occurrences overlap
// in time": the people reading the report know names, not resource names.
std::string OverlapExplanation(
    const std::map<std::string, const v1::Activity*>& by_name,
    const Overlap& overlap, absl::string_view area) {
  const auto describe = [&](const std::string& name) {
    auto it = by_name.find(name);
    if (it == by_name.end()) return name;
    const v1::Activity& a = *it->second;
    return absl::StrCat("\"", a.display_name(), "\" (",
                        a.organiser_display_name().empty()
                            ? a.organiser()
                            : a.organiser_display_name(),
                        ")");
  };
  return absl::StrCat(describe(overlap.first_id), " and ",
                      describe(overlap.second_id), " are both ",
                      absl::StrReplaceAll(overlap.category, {{"_", " "}}),
                      " in ", area, " for similar target groups; ",
                      overlap.shared_occurrences,
                      overlap.shared_occurrences == 1
                          ? " occurrence overlaps"
                          : " occurrences overlap",
                      " in time in the report's window");
}

}  // namespace

const std::map<std::string, std::string>& NeedCategories() {
  static const auto* table = new std::map<std::string, std::string>{
      {"danish", "language_cafe"},
      {"language", "language_cafe"},
      {"homework", "homework_help"},
      {"school", "homework_help"},
      {"network", "meeting_place"},
      {"loneliness", "meeting_place"},
      {"social", "communal_dining"},
      {"sport", "sport_and_leisure"},
      {"leisure", "sport_and_leisure"},
      {"culture", "culture"},
      {"legal", "counselling"},
      {"finance", "counselling"},
      {"bank", "counselling"},
      {"economy", "counselling"},
      {"housing", "housing"},
      {"job", "employment_and_internships"},
      {"work", "employment_and_internships"},
      {"internship", "employment_and_internships"},
      {"health", "health"},
      {"doctor", "health"},
      {"children", "children_and_youth"},
      {"youth", "children_and_youth"},
      {"furniture", "donations_and_second_hand"},
      {"clothes", "donations_and_second_hand"},
  };
  return *table;
}

absl::StatusOr<v1::CoordinationReport> CoordinationReports::Build(
    const auth::Principal& principal, absl::string_view municipality,
    std::optional<absl::Time> window_start,
    std::optional<absl::Time> window_end,
    std::optional<absl::Duration> stale_after) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  const absl::Time now = absl::Now();
  ReportInput input;
  input.now = now;
  input.window_start = window_start.value_or(now);
  input.window_end = window_end.value_or(input.window_start + absl::Hours(24 * 90));
  if (stale_after.has_value()) {
    if (*stale_after < absl::Hours(24)) {
      return InvalidFieldError("stale_after", "must be at least one day");
    }
    input.stale_after = *stale_after;
  }
  ASSIGN_OR_RETURN(std::vector<v1::Activity> activities,
                   index_.All(municipality));
  std::set<std::string> areas;
  std::map<std::string, std::string> display_area;  // folded -> as written
  for (const v1::Activity& activity : activities) {
    if (activity.state() == v1::ACTIVITY_STATE_DRAFT) continue;
    OfferForAnalysis offer;
    offer.id = activity.name();
    offer.organiser = activity.organiser();
    offer.category = CategoryCode(activity.category());
    const std::string area = text::FoldForSearch(activity.place().area());
    offer.areas = {area};
    display_area.emplace(area, activity.place().area());
    areas.insert(area);
    offer.target_groups = TargetGroupsFromProto(activity.target_groups());
    ASSIGN_OR_RETURN(offer.schedule, ScheduleFromProto(activity.schedule()));
    offer.last_updated = store::FromTimestamp(activity.update_time());
    offer.ended = activity.state() == v1::ACTIVITY_STATE_ENDED;
    input.offers.push_back(std::move(offer));
  }
  // Activities' spelling of an area first, then the registry's.
  ASSIGN_OR_RETURN(input.needs_by_area,
                   projection_.NeedsByArea(municipality, &display_area));
  for (const auto& [area, needs] : input.needs_by_area) areas.insert(area);
  input.areas.assign(areas.begin(), areas.end());
  for (int value = v1::Category_MIN; value <= v1::Category_MAX; ++value) {
    if (value != v1::CATEGORY_UNSPECIFIED && value != v1::CATEGORY_OTHER &&
        v1::Category_IsValid(value)) {
      input.categories.push_back(CategoryCode(static_cast<v1::Category>(value)));
    }
  }
  input.need_categories = NeedCategories();
  auto analysed = AnalyzeCoordination(input);
  if (!analysed.ok()) {
    return PrefixFieldViolations(analysed.status(), "report");
  }
  std::map<std::string, const v1::Activity*> by_name;
  for (const v1::Activity& activity : activities) {
    by_name.emplace(activity.name(), &activity);
  }
  const auto shown_area = [&](const std::string& folded) {
    auto it = display_area.find(folded);
    return it == display_area.end() ? folded : it->second;
  };
  v1::CoordinationReport report;
  for (const Overlap& overlap : analysed->overlaps) {
    auto* out = report.add_overlaps();
    out->set_first_activity(overlap.first_id);
    out->set_second_activity(overlap.second_id);
    out->set_category(CategoryFromCode(overlap.category));
    out->set_area(shown_area(overlap.area));
    out->set_shared_occurrences(overlap.shared_occurrences);
    out->set_explanation(OverlapExplanation(
        by_name, overlap, shown_area(overlap.area)));
  }
  for (const Gap& gap : analysed->gaps) {
    auto* out = report.add_gaps();
    out->set_area(shown_area(gap.area));
    out->set_category(CategoryFromCode(gap.category));
    out->set_need(gap.need);
    out->set_explanation(absl::StrReplaceAll(
        gap.explanation, {{absl::StrCat(" ", gap.area), absl::StrCat(
                                                            " ",
                                                            shown_area(gap.area))}}));
  }
  for (const StaleOffer& stale : analysed->stale) {
    auto* out = report.add_stale();
    out->set_activity(stale.id);
    out->set_reason(stale.reason);
  }
  *report.mutable_window_start_time() = store::ToTimestamp(input.window_start);
  *report.mutable_window_end_time() = store::ToTimestamp(input.window_end);
  ASSIGN_OR_RETURN(std::optional<absl::Time> as_of,
                   projection_.AsOf(municipality));
  if (as_of.has_value()) {
    *report.mutable_needs_as_of_time() = store::ToTimestamp(*as_of);
  }
  return report;
}

}  // namespace brobygger::catalogue
