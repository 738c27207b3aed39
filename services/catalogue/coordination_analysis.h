// The coordination report of a municipality's catalogue: the "no overview"
// failure of the domain brief made visible. It shows offers that duplicate
// each other (same category, same area, overlapping times, similar target
// group, different organisers), gaps (needs recorded for newcomers in an
// area, or categories with no offer there) and offers that have ended or
// have not been updated for a long time.
//
// This is pure analysis on plain structs, so it can be tested on
// constructed cases and fed from the store or from a benchmark alike.
#ifndef BROBYGGER_SERVICES_CATALOGUE_COORDINATION_ANALYSIS_H_
#define BROBYGGER_SERVICES_CATALOGUE_COORDINATION_ANALYSIS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/catalogue/schedule.h"

namespace brobygger::catalogue {

// Limits that keep one report bounded in time and memory.
inline constexpr int kMaxReportOffers = 100000;
inline constexpr int kMaxReportAreas = 10000;
inline constexpr int kMaxReportCategories = 100;
inline constexpr int kMaxReportNeedsPerArea = 1000;

struct TargetGroup {
  enum class Kind { kEveryone, kChildren, kYouth, kWomen, kMen, kFamilies };
  Kind kind = Kind::kEveryone;
  // Inclusive age range; only meaningful for kChildren.
  int min_age = 0;
  int max_age = 0;
};

struct OfferForAnalysis {
  std::string id;
  std::string organiser;  // The organising actor's name.
  std::string category;
  std::vector<std::string> areas;  // Folded (case- and accent-insensitive).
  // Empty means no restriction, i.e. everyone.
  std::vector<TargetGroup> target_groups;
  Schedule schedule;
  absl::Time last_updated;
  bool ended = false;
};

struct Overlap {
  std::string first_id, second_id;  // first_id < second_id.
  std::string category, area;
  // Pairs of occurrences (one of each offer) that overlap in time within
  // the window.
  int shared_occurrences = 0;
  std::string explanation;
};

struct Gap {
  std::string area;
  // The category that is missing. Empty only for a need that no category
  // is mapped to in need_categories.
  std::string category;
  std::string need;  // Empty for "category with no offer".
  std::string explanation;
};

struct StaleOffer {
  std::string id;
  std::string reason;  // "ended" or "not updated since <date>".
};

// Each list is in a deterministic order: overlaps by (category, area,
// first_id, second_id), gaps by (area, category, need), stale by id.
struct CoordinationReport {
  std::vector<Overlap> overlaps;
  std::vector<Gap> gaps;
  std::vector<StaleOffer> stale;
};

struct ReportInput {
  std::vector<OfferForAnalysis> offers;
  std::vector<std::string> areas;       // The municipality's areas, folded.
  std::vector<std::string> categories;  // All categories to check for gaps.
  // Area -> need tag -> number of newcomers with that need.
  std::map<std::string, std::map<std::string, int>> needs_by_area;
  // Need tag -> the category that meets it, e.g. "homework" ->
  // "homework_help".
  std::map<std::string, std::string> need_categories;
  // Overlaps are looked for in [window_start, window_end), at most
  // kMaxWindow long.
  absl::Time window_start, window_end;
  absl::Duration stale_after = absl::Hours(24 * 180);
  absl::Time now;
};

// Similar if some group of one is similar to some group of the other:
// everyone is similar to anything; children are similar to children whose
// age ranges intersect; other kinds only to the same kind. An empty list
// means everyone.
bool TargetGroupsSimilar(const std::vector<TargetGroup>& a,
                         const std::vector<TargetGroup>& b);

// The report. "Active" offers (those that can overlap or fill a gap) are the
// ones not ended. INVALID_ARGUMENT naming "offers" (too many, duplicate or
// empty ids, an invalid schedule), "areas", "categories", "needs_by_area",
// "stale_after" or "window" (as refused by ExpandOccurrences: empty, longer
// than kMaxWindow or out of range).
absl::StatusOr<CoordinationReport> AnalyzeCoordination(
    const ReportInput& input);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_COORDINATION_ANALYSIS_H_
