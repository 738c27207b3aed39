#include "services/catalogue/coordination_analysis.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/copenhagen_time.h"

namespace brobygger::catalogue {
namespace {

// Within a window of at most kMaxWindow (400 days) a schedule starts at
// most once a day, and an occurrence lasts at most kMaxDuration (31 days),
// so about 432 occurrences can overlap a window; the margin means
// truncation does not happen for a valid schedule. Should it, the count is
// still a correct lower bound and the explanation says "at least".
constexpr int kMaxOccurrencesPerOffer = 1000;

// Occurrence intervals of one offer in the window, starts and ends each
// sorted for the sweep.
struct Intervals {
  std::vector<absl::Time> starts;
  std::vector<absl::Time> ends;
  bool truncated = false;
};

bool Similar(const TargetGroup& a, const TargetGroup& b) {
  using Kind = TargetGroup::Kind;
  if (a.kind == Kind::kEveryone || b.kind == Kind::kEveryone) return true;
  if (a.kind != b.kind) return false;
  if (a.kind != Kind::kChildren) return true;
  return std::max(a.min_age, b.min_age) <= std::min(a.max_age, b.max_age);
}

// Number of pairs (a, b) whose intervals [start, end) intersect. A pair
// intersects iff b.start < a.end and not b.end <= a.start; the second set
// is contained in the first (b.end <= a.start < a.end implies
// b.start < a.end), so for each a the count is the difference of two
// prefix lengths, which two pointers find in one pass since a's starts and
// ends are both ascending.
int64_t CountOverlappingPairs(const Intervals& a, const Intervals& b) {
  int64_t pairs = 0;
  size_t started = 0;   // b intervals with start < current a.end.
  size_t finished = 0;  // b intervals with end <= current a.start.
  for (size_t i = 0; i < a.starts.size(); ++i) {
    while (started < b.starts.size() && b.starts[started] < a.ends[i]) {
      ++started;
    }
    while (finished < b.ends.size() && b.ends[finished] <= a.starts[i]) {
      ++finished;
    }
    pairs += static_cast<int64_t>(started - finished);
  }
  return pairs;
}

absl::StatusOr<Intervals> ExpandOffer(const OfferForAnalysis& offer,
                                      const ReportInput& input) {
  absl::StatusOr<Expansion> expansion =
      ExpandOccurrences(offer.schedule, input.window_start, input.window_end,
                        kMaxOccurrencesPerOffer);
  if (!expansion.ok()) {
    // Name the offer: a report over thousands of offers is useless with an
    // error that does not say which schedule is wrong.
    return absl::Status(expansion.status().code(),
                        absl::StrCat("offers: offer \"", offer.id,
                                     "\": ", expansion.status().message()));
  }
  Intervals intervals;
  intervals.truncated = expansion->truncated;
  for (const Occurrence& occurrence : expansion->occurrences) {
    intervals.starts.push_back(occurrence.start);
    intervals.ends.push_back(occurrence.end);
  }
  // Ends follow starts for a fixed duration, but sorting both keeps the
  // sweep correct whatever the engine's guarantees.
  std::sort(intervals.starts.begin(), intervals.starts.end());
  std::sort(intervals.ends.begin(), intervals.ends.end());
  return intervals;
}

absl::Status ValidateInput(const ReportInput& input) {
  if (input.offers.size() > static_cast<size_t>(kMaxReportOffers)) {
    return InvalidFieldError(
        "offers", absl::StrCat("a report covers at most ", kMaxReportOffers,
                               " offers, not ", input.offers.size()));
  }
  absl::flat_hash_set<absl::string_view> ids;
  for (const OfferForAnalysis& offer : input.offers) {
    if (offer.id.empty()) {
      return InvalidFieldError("offers", "every offer needs an id");
    }
    // Duplicate ids would make the report ambiguous and its order
    // non-deterministic.
    if (!ids.insert(offer.id).second) {
      return InvalidFieldError(
          "offers", absl::StrCat("the id \"", offer.id, "\" occurs twice"));
    }
  }
  if (input.areas.size() > static_cast<size_t>(kMaxReportAreas)) {
    return InvalidFieldError(
        "areas", absl::StrCat("at most ", kMaxReportAreas, " areas, not ",
                              input.areas.size()));
  }
  if (input.categories.size() > static_cast<size_t>(kMaxReportCategories)) {
    return InvalidFieldError(
        "categories",
        absl::StrCat("at most ", kMaxReportCategories, " categories, not ",
                     input.categories.size()));
  }
  if (input.needs_by_area.size() > static_cast<size_t>(kMaxReportAreas)) {
    return InvalidFieldError(
        "needs_by_area",
        absl::StrCat("at most ", kMaxReportAreas, " areas, not ",
                     input.needs_by_area.size()));
  }
  for (const auto& [area, needs] : input.needs_by_area) {
    if (needs.size() > static_cast<size_t>(kMaxReportNeedsPerArea)) {
      return InvalidFieldError(
          "needs_by_area",
          absl::StrCat("at most ", kMaxReportNeedsPerArea,
                       " needs per area; \"", area, "\" has ", needs.size()));
    }
    for (const auto& [need, count] : needs) {
      if (count < 0) {
        return InvalidFieldError(
            "needs_by_area",
            absl::StrCat("the number of newcomers needing \"", need, "\" in \"",
                         area, "\" is negative (", count, ")"));
      }
    }
  }
  if (input.stale_after <= absl::ZeroDuration()) {
    return InvalidFieldError("stale_after", "must be positive");
  }
  // Let the schedule engine judge the window with its own rules and
  // message, even when no pair of offers needs expanding: a trivial
  // one-off schedule is always valid, so only the window can be refused.
  const Schedule probe{
      absl::CivilSecond(2000, 1, 1), kMinDuration, std::nullopt, {}};
  return ExpandOccurrences(probe, input.window_start, input.window_end, 1)
      .status();
}

std::vector<Overlap> FindOverlaps(const ReportInput& input,
                                  absl::Status& status) {
  // (category, area) -> indices of active offers. Only offers in the same
  // group can overlap, so pairs are compared within groups only.
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> groups;
  for (size_t i = 0; i < input.offers.size(); ++i) {
    const OfferForAnalysis& offer = input.offers[i];
    if (offer.ended) continue;
    // An offer listing an area twice must join that area's group once.
    const std::set<std::string> areas(offer.areas.begin(), offer.areas.end());
    for (const std::string& area : areas) {
      groups[{offer.category, area}].push_back(i);
    }
  }
  std::vector<Overlap> overlaps;
  for (const auto& [key, members] : groups) {
    if (members.size() < 2) continue;
    // Expanded lazily and once per group: most offers in a group are
    // excluded by organiser or target group before their times matter.
    // A std::map, because references to its values stay valid while
    // further offers are added.
    std::map<size_t, Intervals> expanded;
    auto intervals_of = [&](size_t index) -> const Intervals* {
      auto it = expanded.find(index);
      if (it != expanded.end()) return &it->second;
      absl::StatusOr<Intervals> intervals =
          ExpandOffer(input.offers[index], input);
      if (!intervals.ok()) {
        status = intervals.status();
        return nullptr;
      }
      return &expanded.emplace(index, *std::move(intervals)).first->second;
    };
    for (size_t x = 0; x < members.size(); ++x) {
      for (size_t y = x + 1; y < members.size(); ++y) {
        const OfferForAnalysis& a = input.offers[members[x]];
        const OfferForAnalysis& b = input.offers[members[y]];
        if (a.organiser == b.organiser) continue;
        if (!TargetGroupsSimilar(a.target_groups, b.target_groups)) continue;
        const Intervals* ia = intervals_of(members[x]);
        if (ia == nullptr) return {};
        const Intervals* ib = intervals_of(members[y]);
        if (ib == nullptr) return {};
        const int64_t shared = CountOverlappingPairs(*ia, *ib);
        if (shared == 0) continue;
        const bool first_is_a = a.id < b.id;
        const OfferForAnalysis& first = first_is_a ? a : b;
        const OfferForAnalysis& second = first_is_a ? b : a;
        Overlap overlap;
        overlap.first_id = first.id;
        overlap.second_id = second.id;
        overlap.category = key.first;
        overlap.area = key.second;
        overlap.shared_occurrences = static_cast<int>(
            std::min<int64_t>(shared, std::numeric_limits<int>::max()));
        overlap.explanation = absl::StrCat(
            first.organiser, " and ", second.organiser, " both offer ",
            key.first, " in ", key.second, " for similar target groups, and ",
            ia->truncated || ib->truncated ? "at least " : "", shared,
            shared == 1 ? " occurrence overlaps" : " occurrences overlap",
            " in time");
        overlaps.push_back(std::move(overlap));
      }
    }
  }
  std::sort(overlaps.begin(), overlaps.end(),
            [](const Overlap& l, const Overlap& r) {
              return std::tie(l.category, l.area, l.first_id, l.second_id) <
                     std::tie(r.category, r.area, r.first_id, r.second_id);
            });
  return overlaps;
}

std::vector<Gap> FindGaps(const ReportInput& input) {
  // (area, category) pairs with at least one active offer.
  std::set<std::pair<std::string, std::string>> covered;
  for (const OfferForAnalysis& offer : input.offers) {
    if (offer.ended) continue;
    for (const std::string& area : offer.areas) {
      covered.emplace(area, offer.category);
    }
  }
  std::vector<Gap> gaps;
  for (const auto& [area, needs] : input.needs_by_area) {
    for (const auto& [need, newcomers] : needs) {
      if (newcomers == 0) continue;
      auto mapped = input.need_categories.find(need);
      if (mapped == input.need_categories.end()) {
        // Reported rather than dropped: newcomers have this need and no
        // offer is known to meet it.
        gaps.push_back(
            {area, "", need,
             absl::StrCat(newcomers, " newcomers in ", area, " need ", need,
                          ", and no category is mapped to it")});
        continue;
      }
      if (covered.contains({area, mapped->second})) continue;
      gaps.push_back({area, mapped->second, need,
                      absl::StrCat(newcomers, " newcomers in ", area, " need ",
                                   need, ", and there is no active ",
                                   mapped->second, " offer there")});
    }
  }
  for (const std::string& area : input.areas) {
    for (const std::string& category : input.categories) {
      if (covered.contains({area, category})) continue;
      gaps.push_back(
          {area, category, "",
           absl::StrCat("there is no active ", category, " offer in ", area)});
    }
  }
  std::sort(gaps.begin(), gaps.end(), [](const Gap& l, const Gap& r) {
    return std::tie(l.area, l.category, l.need) <
           std::tie(r.area, r.category, r.need);
  });
  // The same area may be listed twice in `areas`.
  gaps.erase(std::unique(gaps.begin(), gaps.end(),
                         [](const Gap& l, const Gap& r) {
                           return std::tie(l.area, l.category, l.need) ==
                                  std::tie(r.area, r.category, r.need);
                         }),
             gaps.end());
  return gaps;
}

std::vector<StaleOffer> FindStale(const ReportInput& input) {
  std::vector<StaleOffer> stale;
  for (const OfferForAnalysis& offer : input.offers) {
    if (offer.ended) {
      stale.push_back({offer.id, "ended"});
    } else if (input.now - offer.last_updated > input.stale_after) {
      // The date as people in the municipality read it.
      stale.push_back(
          {offer.id,
           absl::StrCat("not updated since ",
                        absl::FormatTime("%Y-%m-%d", offer.last_updated,
                                         time::CopenhagenTimeZone()))});
    }
  }
  std::sort(
      stale.begin(), stale.end(),
      [](const StaleOffer& l, const StaleOffer& r) { return l.id < r.id; });
  return stale;
}

}  // namespace

bool TargetGroupsSimilar(const std::vector<TargetGroup>& a,
                         const std::vector<TargetGroup>& b) {
  if (a.empty() || b.empty()) return true;  // No restriction: everyone.
  for (const TargetGroup& x : a) {
    for (const TargetGroup& y : b) {
      if (Similar(x, y)) return true;
    }
  }
  return false;
}

absl::StatusOr<CoordinationReport> AnalyzeCoordination(
    const ReportInput& input) {
  if (absl::Status zone = time::CheckCopenhagenTimeZone(); !zone.ok()) {
    return zone;
  }
  if (absl::Status valid = ValidateInput(input); !valid.ok()) return valid;
  CoordinationReport report;
  absl::Status status;
  report.overlaps = FindOverlaps(input, status);
  if (!status.ok()) return status;
  report.gaps = FindGaps(input);
  report.stale = FindStale(input);
  return report;
}

}  // namespace brobygger::catalogue
