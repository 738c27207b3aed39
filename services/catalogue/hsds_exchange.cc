#include "services/catalogue/hsds_exchange.h"

#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "common/text/fold.h"
#include "services/catalogue/activity_query.h"
#include "services/catalogue/hsds.h"

namespace brobygger::catalogue {

absl::StatusOr<v1::HsdsDocument> HsdsExchange::Export(
    const auth::Principal& principal, absl::string_view municipality) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(CompiledQuery everything,
                   CompileQuery(v1::ActivityQuery(), "query"));
  HsdsExportInput input;
  ASSIGN_OR_RETURN(input.activities, index_.Matching(municipality, everything));
  for (const v1::Activity& activity : input.activities) {
    input.organiser_names[activity.organiser()] =
        activity.organiser_display_name();
  }
  ASSIGN_OR_RETURN(auto organisers, projection_.Organisers(municipality));
  for (const auto& [name, organiser] : organisers) {
    if (input.organiser_names.contains(name)) {
      input.organiser_names[name] = organiser.display_name;
    }
  }
  v1::HsdsDocument document;
  document.set_service_count(static_cast<int>(input.activities.size()));
  document.set_json(ExportHsdsJson(input));
  return document;
}

absl::StatusOr<v1::ImportHsdsResponse> HsdsExchange::Import(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view json, bool validate_only, bool publish) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(std::vector<ImportedService> services, ParseHsdsJson(json));
  ASSIGN_OR_RETURN(auto organisers, projection_.Organisers(municipality));
  std::map<std::string, std::string> by_folded_name;
  for (const auto& [name, organiser] : organisers) {
    by_folded_name.emplace(text::FoldForSearch(organiser.display_name), name);
  }
  // Organisations map to registry actors: by the Brobygger identifier an
  // export wrote, else by name.
  FieldViolations violations;
  for (size_t i = 0; i < services.size(); ++i) {
    ImportedService& service = services[i];
    std::string actor;
    if (!service.organisation.actor.empty() &&
        organisers.contains(service.organisation.actor)) {
      actor = service.organisation.actor;
    } else if (auto it = by_folded_name.find(
                   text::FoldForSearch(service.organisation.name));
               it != by_folded_name.end()) {
      actor = it->second;
    } else {
      violations.Add(
          absl::StrCat("json.services[", i, "].organization_id"),
          absl::StrCat("organisation \"", service.organisation.name,
                       "\" is not an organisation in this municipality's "
                       "registry; register it first (matched by name, "
                       "ignoring case and accents)"));
      continue;
    }
    service.activity.set_organiser(actor);
    if (publish && service.activity.state() == v1::ACTIVITY_STATE_DRAFT) {
      service.activity.set_state(v1::ACTIVITY_STATE_PUBLISHED);
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());
  // Services this municipality exported carry the name-based UUID of the
  // activity they came from; importing them back updates that activity.
  ASSIGN_OR_RETURN(std::vector<v1::Activity> existing, index_.All(municipality));
  std::map<std::string, std::string> exported_ids;
  for (const v1::Activity& activity : existing) {
    exported_ids.emplace(NameBasedUuid(activity.name()),
                         store::IdOf(activity.name()));
  }
  const auto exported_id = [&](const ImportedService& service) {
    auto it = exported_ids.find(service.external_id);
    return it == exported_ids.end() ? std::string() : it->second;
  };
  // Validate everything before writing anything.
  for (size_t i = 0; i < services.size(); ++i) {
    auto checked = activities_.Import(principal, municipality,
                                      services[i].activity, true,
                                      exported_id(services[i]));
    if (!checked.ok()) {
      return PrefixFieldViolations(checked.status(),
                                   absl::StrCat("json.services[", i, "]"));
    }
  }
  v1::ImportHsdsResponse response;
  for (const ImportedService& service : services) {
    ASSIGN_OR_RETURN(ImportResult result,
                     activities_.Import(principal, municipality,
                                        service.activity, validate_only,
                                        exported_id(service)));
    switch (result.outcome) {
      case ImportOutcome::kCreated:
        response.set_created(response.created() + 1);
        break;
      case ImportOutcome::kUpdated:
        response.set_updated(response.updated() + 1);
        break;
      case ImportOutcome::kUnchanged:
        response.set_unchanged(response.unchanged() + 1);
        break;
    }
    if (!result.name.empty() && result.outcome != ImportOutcome::kUnchanged) {
      response.add_activities(result.name);
    }
  }
  return response;
}

}  // namespace brobygger::catalogue
