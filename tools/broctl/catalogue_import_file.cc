#include "tools/broctl/catalogue_import_file.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/macros.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "tools/broctl/file_io.h"
#include "tools/broctl/import_file.h"
#include "tools/broctl/import_json.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::catalogue::v1;
using Json = nlohmann::json;

absl::Status CheckRef(absl::string_view ref, absl::string_view key,
                      absl::string_view where) {
  if (IsValidRef(ref)) return absl::OkStatus();
  return EntryError(where, absl::StrCat("\"", key,
                                        "\" must be 1-64 letters, digits, "
                                        "'-', '_' or '.', not \"",
                                        ref.substr(0, kMaxRefLength), "\""));
}

// Removes `key` from `object` and returns its string value (nullopt if
// absent).
absl::StatusOr<std::optional<std::string>> TakeString(Json& object,
                                                      const char* key,
                                                      absl::string_view where) {
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (!it->is_string()) {
    return EntryError(where, absl::StrCat("\"", key, "\" must be a string"));
  }
  std::string value = it->get<std::string>();
  object.erase(it);
  return value;
}

absl::StatusOr<std::string> TakeOrganiserName(Json& object, const char* key,
                                              absl::string_view where) {
  ASSIGN_OR_RETURN(std::optional<std::string> name,
                   TakeString(object, key, where));
  if (!name.has_value() || absl::StripAsciiWhitespace(*name).empty()) {
    return EntryError(where,
                      absl::StrCat("\"", key,
                                   "\" is required: the display name of the "
                                   "organising actor in the registry"));
  }
  if (name->size() > kMaxOrganiserNameBytes) {
    return EntryError(where, absl::StrCat("\"", key, "\" is too long"));
  }
  return *std::move(name);
}

absl::StatusOr<std::vector<std::string>> TakeCoOrganiserNames(
    Json& object, absl::string_view where, absl::string_view organiser) {
  std::vector<std::string> names;
  auto it = object.find("coOrganiserNames");
  if (it == object.end()) return names;
  if (!it->is_array()) {
    return EntryError(where, "\"coOrganiserNames\" must be an array");
  }
  if (it->size() > kMaxCoOrganiserNames) {
    return EntryError(where, absl::StrCat("at most ", kMaxCoOrganiserNames,
                                          " coOrganiserNames"));
  }
  std::set<std::string> seen = {std::string(organiser)};
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& entry = (*it)[i];
    const std::string entry_where =
        absl::StrCat(where, ".coOrganiserNames[", i, "]");
    if (!entry.is_string() ||
        absl::StripAsciiWhitespace(entry.get<std::string>()).empty()) {
      return EntryError(entry_where,
                        "must be the display name of a registry actor");
    }
    std::string name = entry.get<std::string>();
    if (name.size() > kMaxOrganiserNameBytes) {
      return EntryError(entry_where, "is too long");
    }
    if (!seen.insert(name).second) {
      return EntryError(entry_where,
                        "names the organiser or an earlier co-organiser");
    }
    names.push_back(std::move(name));
  }
  object.erase(it);
  return names;
}

// Fields the catalogue or the importer sets, in either JSON spelling.
absl::Status RefuseSetFields(const v1::Activity& activity,
                             absl::string_view where) {
  if (!activity.organiser().empty() || activity.co_organisers_size() > 0) {
    return EntryError(where,
                      "name organisers by organiserName and "
                      "coOrganiserNames (display names in the registry), not "
                      "by organiser or coOrganisers");
  }
  if (!activity.name().empty() || !activity.etag().empty() ||
      !activity.organiser_display_name().empty() ||
      activity.has_create_time() || activity.has_update_time() ||
      activity.cancelled_occurrences_size() > 0) {
    return EntryError(where,
                      "name, etag, organiserDisplayName, createTime, "
                      "updateTime and cancelledOccurrences are set by the "
                      "catalogue");
  }
  return absl::OkStatus();
}

absl::Status ParseActivities(const Json& entries, CatalogueImportFile& file) {
  std::set<std::string> known;
  for (size_t i = 0; i < entries.size(); ++i) {
    Json object = entries[i];
    std::string where = absl::StrCat("activities[", i, "]");
    if (!object.is_object()) return EntryError(where, "must be an object");
    ImportedActivity imported;
    ASSIGN_OR_RETURN(std::optional<std::string> ref,
                     TakeString(object, "ref", where));
    imported.ref = ref.value_or("");
    RETURN_IF_ERROR(CheckRef(imported.ref, "ref", where));
    where = absl::StrCat(where, " (ref \"", imported.ref, "\")");
    if (!known.insert(imported.ref).second) {
      return EntryError(where, "the ref is used by an earlier activity");
    }
    ASSIGN_OR_RETURN(imported.organiser_name,
                     TakeOrganiserName(object, "organiserName", where));
    ASSIGN_OR_RETURN(
        imported.co_organiser_names,
        TakeCoOrganiserNames(object, where, imported.organiser_name));
    RETURN_IF_ERROR(ParseMessage(object, where, &imported.activity));
    RETURN_IF_ERROR(RefuseSetFields(imported.activity, where));
    file.activities.push_back(std::move(imported));
  }
  return absl::OkStatus();
}

absl::Status ParseTemplate(Json object, CatalogueImportFile& file) {
  constexpr absl::string_view kWhere = "timelineTemplate";
  if (!object.is_object()) return EntryError(kWhere, "must be an object");
  std::set<std::string> activity_refs;
  for (const ImportedActivity& activity : file.activities) {
    activity_refs.insert(activity.ref);
  }
  if (auto items = object.find("items"); items != object.end()) {
    if (!items->is_array()) {
      return EntryError(kWhere, "\"items\" must be an array");
    }
    for (size_t i = 0; i < items->size(); ++i) {
      Json& item = (*items)[i];
      const std::string where = absl::StrCat(kWhere, ".items[", i, "]");
      if (!item.is_object()) return EntryError(where, "must be an object");
      ASSIGN_OR_RETURN(std::optional<std::string> ref,
                       TakeString(item, "activity", where));
      if (ref.has_value()) {
        RETURN_IF_ERROR(CheckRef(*ref, "activity", where));
        if (!activity_refs.contains(*ref)) {
          return EntryError(where, absl::StrCat("\"activity\" \"", *ref,
                                                "\" is not the ref of an "
                                                "activity of the file"));
        }
      }
      file.template_activity_refs.push_back(ref.value_or(""));
    }
  }
  v1::TimelineTemplate timeline;
  RETURN_IF_ERROR(ParseMessage(object, kWhere, &timeline));
  if (!timeline.name().empty() || !timeline.etag().empty() ||
      timeline.has_update_time()) {
    return EntryError(kWhere,
                      "name, etag and updateTime are set by the catalogue");
  }
  file.timeline_template = std::move(timeline);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CatalogueImportFile> ParseCatalogueImportFile(
    absl::string_view text, absl::string_view default_municipality_id) {
  ASSIGN_OR_RETURN(Json root,
                   ParseJsonObject(text, "the catalogue file", kMaxImportFileBytes));
  if (!root.is_object()) {
    return absl::InvalidArgumentError(
        "the catalogue file must be a JSON object with \"municipality\", "
        "\"activities\" and \"timelineTemplate\"");
  }
  static const std::set<std::string> kTopLevelKeys = {
      "comment", "municipality", "activities", "timelineTemplate"};
  for (const auto& [key, value] : root.items()) {
    if (!kTopLevelKeys.contains(key)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown top-level field \"", key.substr(0, 64),
                       "\": expected municipality, activities, "
                       "timelineTemplate or comment"));
    }
  }

  CatalogueImportFile file;
  file.municipality_id = std::string(default_municipality_id);
  if (auto it = root.find("municipality"); it != root.end()) {
    if (!it->is_string()) {
      return absl::InvalidArgumentError(
          "\"municipality\" must be the municipality's id, e.g. \"aalborg\"");
    }
    const std::string id = it->get<std::string>();
    if (!default_municipality_id.empty() && id != default_municipality_id) {
      return absl::InvalidArgumentError(
          absl::StrCat("the file is for municipality \"", id.substr(0, 64),
                       "\", not \"", default_municipality_id,
                       "\": drop --parent or import the right file"));
    }
    file.municipality_id = id;
  }
  if (file.municipality_id.empty()) {
    return absl::InvalidArgumentError(
        "which municipality? give \"municipality\" in the file or --parent "
        "municipalities/ID");
  }
  if (!api::IsValidMunicipalityId(file.municipality_id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", file.municipality_id.substr(0, 64),
        "\" is not a municipality id: 2-63 lowercase letters, digits or "
        "'-', starting with a letter"));
  }

  if (auto it = root.find("activities"); it != root.end()) {
    if (!it->is_array()) {
      return absl::InvalidArgumentError("\"activities\" must be an array");
    }
    if (it->size() > kMaxImportedActivities) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"activities\" has ", it->size(), " entries; at most ",
          kMaxImportedActivities, " may be imported at once: split the file"));
    }
    RETURN_IF_ERROR(ParseActivities(*it, file));
  }
  if (auto it = root.find("timelineTemplate"); it != root.end()) {
    RETURN_IF_ERROR(ParseTemplate(*it, file));
  }
  return file;
}

absl::StatusOr<CatalogueImportFile> ReadCatalogueImportFile(
    const std::string& path, absl::string_view default_municipality_id) {
  ASSIGN_OR_RETURN(
      const std::string text,
      ReadFileLimited(path, kMaxImportFileBytes, "the catalogue file"));
  return ParseCatalogueImportFile(text, default_municipality_id);
}

absl::StatusOr<v1::TimelineTemplate> ResolveTimelineTemplate(
    const CatalogueImportFile& file,
    const std::map<std::string, std::string>& activity_names) {
  if (!file.timeline_template.has_value()) {
    return absl::InternalError("the file has no timeline template");
  }
  v1::TimelineTemplate timeline = *file.timeline_template;
  timeline.set_name(absl::StrCat("municipalities/", file.municipality_id,
                                 "/timelineTemplate"));
  for (int i = 0; i < timeline.items_size(); ++i) {
    const std::string& ref = file.template_activity_refs[i];
    if (ref.empty()) continue;
    auto it = activity_names.find(ref);
    if (it == activity_names.end()) {
      return absl::InternalError(absl::StrCat("timelineTemplate.items[", i,
                                              "]: activity \"", ref,
                                              "\" was not imported"));
    }
    timeline.mutable_items(i)->set_activity(it->second);
  }
  return timeline;
}

}  // namespace brobygger::broctl
