// The file format of `broctl catalogue import`: a municipality's activities
// and reception timeline in one JSON document, e.g.
// deploy/demo/aalborg-catalogue.json:
//
//   {
//     "comment": "...",
//     "municipality": "aalborg",
//     "activities": [
//       {"ref": "faellesspisning-st-restrup",
//        "organiserName": "St. Restrup Lokalråd",
//        "coOrganiserNames": ["Røde Kors Aalborg"],
//        "kind": "ACTIVITY_KIND_CIVIL_OFFER", "displayName": ..., ...}
//     ],
//     "timelineTemplate": {
//       "maxNewItemsPerWeek": 3,
//       "items": [{"id": "furniture", "weekOffset": -1, "owner": "...",
//                  "activity": "donationslager"}, ...],
//       "orderRules": [...]
//     }
//   }
//
// Each activity is catalogue.v1.Activity proto3 JSON plus "ref" (names it
// within the file and makes its request_id), "organiserName" (required)
// and "coOrganiserNames": the display names of registry actors, because
// actor resource names are unknown when the file is written. The importer
// looks them up in the registry. "timelineTemplate" is a
// catalogue.v1.TimelineTemplate whose items' "activity" holds an activity
// ref of the file. Everything else the catalogue sets (name, organiser,
// etag, times, cancelled occurrences) is refused.
#ifndef BROBYGGER_TOOLS_BROCTL_CATALOGUE_IMPORT_FILE_H_
#define BROBYGGER_TOOLS_BROCTL_CATALOGUE_IMPORT_FILE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "brobygger/catalogue/v1/timeline.pb.h"
#include "tools/broctl/import_file.h"

namespace brobygger::broctl {

// Limits: an import is a municipality's catalogue, not a bulk channel (the
// file size limit is kMaxImportFileBytes of import_file.h).
inline constexpr size_t kMaxImportedActivities = 1'000;
// Activity.co_organisers holds at most 20.
inline constexpr size_t kMaxCoOrganiserNames = 20;
// Actor display names are at most 200 characters.
inline constexpr size_t kMaxOrganiserNameBytes = 800;

struct ImportedActivity {
  std::string ref;
  std::string organiser_name;
  std::vector<std::string> co_organiser_names;
  // Without organiser and co_organisers: the importer sets them.
  catalogue::v1::Activity activity;
};

struct CatalogueImportFile {
  std::string municipality_id;
  std::vector<ImportedActivity> activities;
  // Without the items' activities (see template_activity_refs) and without
  // a name.
  std::optional<catalogue::v1::TimelineTemplate> timeline_template;
  // Parallel to timeline_template->items(): the ref of each item's
  // activity, "" for none.
  std::vector<std::string> template_activity_refs;
};

// Parses and checks a whole file before anything is sent: unknown fields,
// duplicate or dangling refs, missing organiser names and oversized
// collections are INVALID_ARGUMENT naming the entry
// ("activities[3] (ref \"x\"): ..."). `municipality_id` comes from the
// file's "municipality", else from `default_municipality_id`; both given
// and different is an error.
absl::StatusOr<CatalogueImportFile> ParseCatalogueImportFile(
    absl::string_view json, absl::string_view default_municipality_id = "");

absl::StatusOr<CatalogueImportFile> ReadCatalogueImportFile(
    const std::string& path, absl::string_view default_municipality_id = "");

// The file's template for the municipality, its items' activity refs
// replaced by the created activities' names (`activity_names`: ref ->
// name). An unknown ref is INTERNAL (the parser checked them all).
absl::StatusOr<catalogue::v1::TimelineTemplate> ResolveTimelineTemplate(
    const CatalogueImportFile& file,
    const std::map<std::string, std::string>& activity_names);

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_CATALOGUE_IMPORT_FILE_H_
