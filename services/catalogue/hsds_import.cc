// HSDS 3.0 JSON -> activities (mapping in hsds.h): the document, its
// references and limits. The service's fields are read in
// hsds_import_fields.cc, its schedule in hsds_import_schedule.cc.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/catalogue/hsds.h"
#include "services/catalogue/hsds_internal.h"

namespace brobygger::catalogue {
namespace {

using hsds_internal::JsonNode;
using hsds_internal::ServiceTerms;
namespace internal = hsds_internal;

// Refuses nesting beyond kMaxHsdsJsonDepth before the parser sees it.
absl::Status CheckDepth(absl::string_view json) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : json) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxHsdsJsonDepth) {
        return InvalidFieldError(
            "json",
            absl::StrCat("nested deeper than ", kMaxHsdsJsonDepth, " levels"));
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return absl::OkStatus();
}

// Records by their required, unique id.
using RecordIndex = std::map<std::string, JsonNode>;

absl::StatusOr<RecordIndex> IndexById(const std::vector<JsonNode>& records,
                                      absl::string_view what) {
  RecordIndex index;
  for (const JsonNode& record : records) {
    const JsonNode id_node = record.Child("id");
    ASSIGN_OR_RETURN(std::string id,
                     id_node.RequiredString(
                         absl::StrCat("the ", what, "'s unique identifier")));
    if (!index.emplace(id, record).second) {
      return id_node.Error(absl::StrCat("another ", what, " has the id \"", id,
                                        "\"; ids must be unique"));
    }
  }
  return index;
}

absl::StatusOr<HsdsOrganisation> ReadOrganization(const JsonNode& node) {
  HsdsOrganisation organisation;
  ASSIGN_OR_RETURN(
      organisation.hsds_id,
      node.Child("id").RequiredString("the organization's unique identifier"));
  ASSIGN_OR_RETURN(organisation.name, node.Child("name").RequiredString(
                                          "the organization's name"));
  ASSIGN_OR_RETURN(organisation.description,
                   node.Child("description").String());
  ASSIGN_OR_RETURN(organisation.email, node.Child("email").String());
  ASSIGN_OR_RETURN(organisation.website, node.Child("website").String());
  ASSIGN_OR_RETURN(
      std::vector<JsonNode> identifiers,
      node.Child("organization_identifiers").Objects(kMaxHsdsNestedItems));
  for (const JsonNode& identifier : identifiers) {
    ASSIGN_OR_RETURN(std::string scheme,
                     identifier.Child("identifier_scheme").String());
    if (scheme != internal::kIdentifierScheme) continue;
    const JsonNode value = identifier.Child("identifier");
    ASSIGN_OR_RETURN(std::string actor,
                     value.RequiredString("the Brobygger actor's name"));
    if (!organisation.actor.empty() && organisation.actor != actor) {
      return value.Error("a second Brobygger actor; an organization is one");
    }
    organisation.actor = actor;
  }
  return organisation;
}

// Everything a service refers to, by id.
struct Document {
  RecordIndex organizations;
  RecordIndex locations;
  // Top-level service_at_locations by service id.
  std::map<std::string, std::vector<JsonNode>> links;
  std::map<std::string, HsdsOrganisation> read_organizations;
};

absl::StatusOr<HsdsOrganisation> ServiceOrganisation(const JsonNode& service,
                                                     Document& document) {
  const JsonNode id_node = service.Child("organization_id");
  ASSIGN_OR_RETURN(std::string id, id_node.String());
  if (id.empty()) {
    // The HSDS API form nests the organization in the service.
    const JsonNode inline_organization = service.Child("organization");
    if (inline_organization.present()) {
      RETURN_IF_ERROR(inline_organization.ExpectObject());
      return ReadOrganization(inline_organization);
    }
    return id_node.Error(
        "required: the id of the organization that provides the service");
  }
  if (const auto it = document.read_organizations.find(id);
      it != document.read_organizations.end()) {
    return it->second;
  }
  const auto it = document.organizations.find(id);
  if (it == document.organizations.end()) {
    return id_node.Error(absl::StrCat("no organization has the id \"", id,
                                      "\" in json.organizations"));
  }
  ASSIGN_OR_RETURN(HsdsOrganisation organisation, ReadOrganization(it->second));
  document.read_organizations.emplace(id, organisation);
  return organisation;
}

// The one service_at_location of the service: from the top-level list or
// nested in the service.
absl::StatusOr<JsonNode> ServiceLink(const JsonNode& service,
                                     const std::string& service_id,
                                     const Document& document) {
  std::vector<JsonNode> links;
  if (const auto it = document.links.find(service_id);
      it != document.links.end()) {
    links = it->second;
  }
  const JsonNode nested_node = service.Child("service_at_locations");
  ASSIGN_OR_RETURN(std::vector<JsonNode> nested,
                   nested_node.Objects(kMaxHsdsNestedItems));
  links.insert(links.end(), nested.begin(), nested.end());
  if (links.size() != 1) {
    return nested_node.Error(
        links.empty()
            ? "required: the location of the service (a service_at_location "
              "linking it to a location)"
            : "the service is at several locations; a Brobygger activity "
              "has one place");
  }
  return links[0];
}

absl::StatusOr<JsonNode> LinkedLocation(const JsonNode& link,
                                        const Document& document) {
  const JsonNode inline_location = link.Child("location");
  if (inline_location.present()) {
    RETURN_IF_ERROR(inline_location.ExpectObject());
    return inline_location;
  }
  const JsonNode id_node = link.Child("location_id");
  ASSIGN_OR_RETURN(std::string id,
                   id_node.RequiredString("the id of the location"));
  const auto it = document.locations.find(id);
  if (it == document.locations.end()) {
    return id_node.Error(
        absl::StrCat("no location has the id \"", id, "\" in json.locations"));
  }
  return it->second;
}

absl::StatusOr<ImportedService> ReadService(const JsonNode& service,
                                            Document& document) {
  ImportedService imported;
  v1::Activity& activity = imported.activity;
  ASSIGN_OR_RETURN(
      imported.external_id,
      service.Child("id").RequiredString("the service's unique identifier"));
  activity.set_external_id(imported.external_id);
  ASSIGN_OR_RETURN(*activity.mutable_display_name(),
                   service.Child("name").RequiredString("the service's name"));
  const JsonNode status_node = service.Child("status");
  ASSIGN_OR_RETURN(std::string status,
                   status_node.RequiredString(
                       "active, inactive, defunct or temporarily closed"));
  const std::optional<v1::ActivityState> state =
      internal::StateOfStatus(status);
  if (!state.has_value()) {
    return status_node.Error(absl::StrCat(
        "\"", status,
        "\" is not an HSDS status; use active, inactive, defunct or "
        "temporarily closed"));
  }
  activity.set_state(*state);
  ASSIGN_OR_RETURN(imported.organisation,
                   ServiceOrganisation(service, document));
  activity.set_organiser_display_name(imported.organisation.name);

  ASSIGN_OR_RETURN(ServiceTerms terms,
                   internal::ReadServiceTerms(service.Child("attributes")));
  activity.set_category(terms.category.value_or(v1::CATEGORY_OTHER));
  activity.set_kind(terms.kind.value_or(v1::ACTIVITY_KIND_CIVIL_OFFER));
  ASSIGN_OR_RETURN(*activity.mutable_description(),
                   internal::ReadDescription(service));
  RETURN_IF_ERROR(internal::ReadTargetGroups(service, terms, activity));
  RETURN_IF_ERROR(internal::ReadLanguages(service, activity));
  RETURN_IF_ERROR(internal::ReadContact(service, activity));
  RETURN_IF_ERROR(internal::ReadPrice(service, terms, activity));

  ASSIGN_OR_RETURN(std::string application_process,
                   service.Child("application_process").String());
  if (terms.signup_required.has_value() || terms.max_participants.has_value() ||
      !application_process.empty()) {
    v1::Capacity& capacity = *activity.mutable_capacity();
    capacity.set_signup_required(terms.signup_required.value_or(false));
    capacity.set_max_participants(terms.max_participants.value_or(0));
    capacity.set_signup_instructions(application_process);
  }

  ASSIGN_OR_RETURN(JsonNode link,
                   ServiceLink(service, imported.external_id, document));
  ASSIGN_OR_RETURN(JsonNode location, LinkedLocation(link, document));
  RETURN_IF_ERROR(internal::ReadPlace(location, activity));

  // The schedule may be the service's or the service-at-location's.
  const JsonNode schedules_node = service.Child("schedules");
  ASSIGN_OR_RETURN(std::vector<JsonNode> schedules,
                   schedules_node.Objects(kMaxHsdsNestedItems));
  ASSIGN_OR_RETURN(std::vector<JsonNode> link_schedules,
                   link.Child("schedules").Objects(kMaxHsdsNestedItems));
  schedules.insert(schedules.end(), link_schedules.begin(),
                   link_schedules.end());
  if (schedules.size() != 1) {
    return schedules_node.Error(
        schedules.empty()
            ? "required: when the activity takes place (one schedule)"
            : "several schedules; a Brobygger activity has one (use one "
              "rule, e.g. byday TU,TH, or split the service)");
  }
  ASSIGN_OR_RETURN(internal::ImportedSchedule schedule,
                   internal::ImportSchedule(schedules[0]));
  *activity.mutable_schedule() = std::move(schedule.schedule);
  for (v1::CancelledOccurrence& cancelled : schedule.cancelled) {
    *activity.add_cancelled_occurrences() = std::move(cancelled);
  }
  return imported;
}

}  // namespace

absl::StatusOr<std::vector<ImportedService>> ParseHsdsJson(
    absl::string_view json) {
  if (json.size() > kMaxHsdsJsonBytes) {
    return InvalidFieldError(
        "json", absl::StrCat("at most ", kMaxHsdsJsonBytes, " bytes"));
  }
  RETURN_IF_ERROR(CheckDepth(json));
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::parse_error& error) {
    return InvalidFieldError(
        "json", absl::StrCat("not valid JSON (UTF-8) near byte ", error.byte));
  }
  const JsonNode root(&parsed, "json");
  RETURN_IF_ERROR(root.ExpectObject());

  ASSIGN_OR_RETURN(std::vector<JsonNode> services,
                   root.Child("services").Objects(kMaxHsdsServices));
  ASSIGN_OR_RETURN(std::vector<JsonNode> organizations,
                   root.Child("organizations").Objects(kMaxHsdsRecords));
  ASSIGN_OR_RETURN(std::vector<JsonNode> locations,
                   root.Child("locations").Objects(kMaxHsdsRecords));
  ASSIGN_OR_RETURN(std::vector<JsonNode> links,
                   root.Child("service_at_locations").Objects(kMaxHsdsRecords));

  Document document;
  ASSIGN_OR_RETURN(RecordIndex services_by_id, IndexById(services, "service"));
  ASSIGN_OR_RETURN(document.organizations,
                   IndexById(organizations, "organization"));
  ASSIGN_OR_RETURN(document.locations, IndexById(locations, "location"));
  // Only checks the ids: links are looked up by service below.
  RETURN_IF_ERROR(IndexById(links, "service_at_location").status());
  for (const JsonNode& link : links) {
    const JsonNode service_id_node = link.Child("service_id");
    ASSIGN_OR_RETURN(std::string service_id,
                     service_id_node.RequiredString("the id of the service"));
    if (!services_by_id.contains(service_id)) {
      return service_id_node.Error(absl::StrCat(
          "no service has the id \"", service_id, "\" in json.services"));
    }
    // Checks location_id now, so that a dangling reference is reported
    // even on a service that fails for another reason later.
    RETURN_IF_ERROR(LinkedLocation(link, document).status());
    document.links[service_id].push_back(link);
  }

  std::vector<ImportedService> imported;
  imported.reserve(services.size());
  for (const JsonNode& service : services) {
    ASSIGN_OR_RETURN(ImportedService one, ReadService(service, document));
    imported.push_back(std::move(one));
  }
  return imported;
}

}  // namespace brobygger::catalogue
