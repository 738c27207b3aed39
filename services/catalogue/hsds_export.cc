// Activities -> HSDS 3.0 JSON (mapping in hsds.h); the schedule is in
// hsds_export_schedule.cc.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "services/catalogue/hsds.h"
#include "services/catalogue/hsds_internal.h"

namespace brobygger::catalogue {
namespace {

using hsds_internal::EnumCode;
using hsds_internal::MakeAttribute;
using nlohmann::ordered_json;
namespace internal = hsds_internal;

// What ids are derived from: the resource name, or something else unique
// to the activity in this export if it has none.
std::string ActivityKey(const v1::Activity& activity, size_t index) {
  if (!activity.name().empty()) return activity.name();
  if (!activity.external_id().empty()) {
    return absl::StrCat("external/", activity.external_id());
  }
  return absl::StrCat("index/", index);
}

std::string ServiceId(const v1::Activity& activity) {
  return activity.external_id().empty() ? NameBasedUuid(activity.name())
                                        : activity.external_id();
}

// The first run of exactly four digits: a Danish postcode
// ("Tove Ditlevsens Vej 2, 9000 Aalborg" -> "9000"), "" if none.
std::string PostalCodeOf(absl::string_view address) {
  size_t i = 0;
  while (i < address.size()) {
    if (!absl::ascii_isdigit(address[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < address.size() && absl::ascii_isdigit(address[end])) ++end;
    if (end - i == 4) return std::string(address.substr(i, 4));
    i = end;
  }
  return "";
}

// An amount in øre as HSDS's number of kroner: whole kroner as an integer,
// otherwise with the øre as decimals (2050 -> 20.5).
ordered_json Kroner(int64_t ore) {
  if (ore % 100 == 0) return ore / 100;
  return static_cast<double>(ore) / 100.0;
}

std::string KronerText(int64_t ore) {
  return absl::StrFormat("%s%d.%02d DKK", ore < 0 ? "-" : "",
                         std::llabs(ore) / 100, std::llabs(ore) % 100);
}

std::string FeesText(const v1::Price& price) {
  std::string text;
  switch (price.kind()) {
    case v1::Price::KIND_FREE:
      text = "Free";
      break;
    case v1::Price::KIND_LOW_COST:
      text = absl::StrCat("Low cost: ", KronerText(price.amount_ore()));
      break;
    default:
      text = KronerText(price.amount_ore());
      break;
  }
  if (!price.note().empty()) absl::StrAppend(&text, ", ", price.note());
  return text;
}

ordered_json Organization(const std::string& actor, const std::string& name) {
  const std::string id = NameBasedUuid(actor);
  ordered_json org = ordered_json::object();
  org["id"] = id;
  org["name"] = name;
  org["description"] = "";  // Required by HSDS; the registry has the text.
  ordered_json identifiers = ordered_json::array();
  if (!actor.empty()) {
    ordered_json identifier = ordered_json::object();
    identifier["id"] = NameBasedUuid(
        absl::StrCat(actor, "/identifiers/", internal::kIdentifierScheme));
    identifier["organization_id"] = id;
    identifier["identifier_scheme"] = internal::kIdentifierScheme;
    identifier["identifier_type"] = internal::kIdentifierType;
    identifier["identifier"] = actor;
    identifiers.push_back(std::move(identifier));
  }
  org["organization_identifiers"] = std::move(identifiers);
  return org;
}

ordered_json Location(const v1::Activity& activity, const std::string& key,
                      const std::string& organization_id) {
  const v1::Place& place = activity.place();
  const std::string id = NameBasedUuid(absl::StrCat(key, "/location"));
  ordered_json location = ordered_json::object();
  location["id"] = id;
  location["location_type"] = "physical";
  location["organization_id"] = organization_id;
  if (!place.venue().empty()) location["name"] = place.venue();
  if (place.has_coordinates()) {
    location["latitude"] = place.coordinates().latitude();
    location["longitude"] = place.coordinates().longitude();
  }
  ordered_json address = ordered_json::object();
  address["id"] = NameBasedUuid(absl::StrCat(key, "/location/address"));
  address["location_id"] = id;
  address["address_1"] = place.address();
  address["city"] = place.area();
  // Required by HSDS; Denmark has no states and the region is unknown.
  address["state_province"] = "";
  address["postal_code"] = PostalCodeOf(place.address());
  address["country"] = internal::kCountry;
  address["address_type"] = "physical";
  location["addresses"] = ordered_json::array({std::move(address)});
  if (!activity.accessibility_notes().empty()) {
    ordered_json accessibility = ordered_json::object();
    accessibility["id"] =
        NameBasedUuid(absl::StrCat(key, "/location/accessibility"));
    accessibility["location_id"] = id;
    accessibility["description"] = activity.accessibility_notes();
    location["accessibility"] = ordered_json::array({std::move(accessibility)});
  }
  return location;
}

ordered_json ServiceAttributes(const v1::Activity& activity,
                               const std::string& key,
                               const std::string& service_id) {
  ordered_json attributes = ordered_json::array();
  auto add = [&](absl::string_view taxonomy, absl::string_view code,
                 absl::string_view value) {
    if (code.empty()) return;  // An unspecified enum: nothing to say.
    attributes.push_back(MakeAttribute(
        NameBasedUuid(absl::StrCat(key, "/attributes/", attributes.size())),
        service_id, "service", taxonomy, code, value));
  };
  add(internal::kCategoryTaxonomy,
      EnumCode(*v1::Category_descriptor(), activity.category(),
               internal::kCategoryPrefix),
      "");
  add(internal::kActivityKindTaxonomy,
      EnumCode(*v1::ActivityKind_descriptor(), activity.kind(),
               internal::kActivityKindPrefix),
      "");
  for (const v1::TargetGroup& group : activity.target_groups()) {
    const bool ages = group.kind() == v1::TargetGroup::KIND_CHILDREN ||
                      group.min_age() != 0 || group.max_age() != 0;
    add(internal::kTargetGroupTaxonomy,
        EnumCode(*v1::TargetGroup::Kind_descriptor(), group.kind(),
                 internal::kKindPrefix),
        ages ? absl::StrCat(group.min_age(), "-", group.max_age()) : "");
  }
  if (activity.has_capacity()) {
    add(internal::kCapacityTaxonomy, internal::kSignupRequiredCode,
        activity.capacity().signup_required() ? "true" : "false");
    if (activity.capacity().max_participants() != 0) {
      add(internal::kCapacityTaxonomy, internal::kMaxParticipantsCode,
          absl::StrCat(activity.capacity().max_participants()));
    }
  }
  if (activity.has_price()) {
    add(internal::kPriceTaxonomy,
        EnumCode(*v1::Price::Kind_descriptor(), activity.price().kind(),
                 internal::kKindPrefix),
        "");
  }
  return attributes;
}

// HSDS's eligibility ages, if every target group is children.
void WriteAges(const v1::Activity& activity, ordered_json& service) {
  if (activity.target_groups().empty()) return;
  int min_age = 0;
  int max_age = 0;
  bool first = true;
  for (const v1::TargetGroup& group : activity.target_groups()) {
    if (group.kind() != v1::TargetGroup::KIND_CHILDREN) return;
    min_age = first ? group.min_age() : std::min(min_age, group.min_age());
    max_age = first ? group.max_age() : std::max(max_age, group.max_age());
    first = false;
  }
  service["minimum_age"] = min_age;
  service["maximum_age"] = max_age;
}

ordered_json Service(const v1::Activity& activity, const std::string& key,
                     const std::string& service_id,
                     const std::string& organization_id) {
  const v1::Contact& contact = activity.contact();
  ordered_json service = ordered_json::object();
  service["id"] = service_id;
  service["organization_id"] = organization_id;
  service["name"] = activity.display_name();
  if (!activity.description().empty()) {
    service["description"] = activity.description();
  }
  if (!contact.url().empty()) service["url"] = contact.url();
  if (!contact.email().empty()) service["email"] = contact.email();
  service["status"] = internal::StatusOfState(activity.state());
  if (!activity.capacity().signup_instructions().empty()) {
    service["application_process"] = activity.capacity().signup_instructions();
  }
  if (activity.has_price()) {
    service["fees_description"] = FeesText(activity.price());
  }
  WriteAges(activity, service);

  service["schedules"] = ordered_json::array(
      {internal::ExportSchedule(activity, key, service_id)});

  ordered_json languages = ordered_json::array();
  for (const std::string& code : activity.languages()) {
    ordered_json language = ordered_json::object();
    language["id"] =
        NameBasedUuid(absl::StrCat(key, "/languages/", languages.size()));
    language["service_id"] = service_id;
    language["code"] = code;
    languages.push_back(std::move(language));
  }
  service["languages"] = std::move(languages);

  ordered_json contacts = ordered_json::array();
  if (!contact.name().empty() || !contact.phone().empty() ||
      !contact.email().empty()) {
    const std::string contact_id = NameBasedUuid(absl::StrCat(key, "/contact"));
    ordered_json out = ordered_json::object();
    out["id"] = contact_id;
    out["service_id"] = service_id;
    if (!contact.name().empty()) out["name"] = contact.name();
    if (!contact.email().empty()) out["email"] = contact.email();
    ordered_json phones = ordered_json::array();
    if (!contact.phone().empty()) {
      ordered_json phone = ordered_json::object();
      phone["id"] = NameBasedUuid(absl::StrCat(key, "/contact/phone"));
      phone["contact_id"] = contact_id;
      phone["number"] = contact.phone();
      phones.push_back(std::move(phone));
    }
    out["phones"] = std::move(phones);
    contacts.push_back(std::move(out));
  }
  service["contacts"] = std::move(contacts);

  ordered_json cost_options = ordered_json::array();
  if (activity.has_price()) {
    ordered_json option = ordered_json::object();
    option["id"] = NameBasedUuid(absl::StrCat(key, "/cost_option"));
    option["service_id"] = service_id;
    option["currency"] = internal::kCurrency;
    option["amount"] = Kroner(activity.price().amount_ore());
    if (!activity.price().note().empty()) {
      option["amount_description"] = activity.price().note();
    }
    cost_options.push_back(std::move(option));
  }
  service["cost_options"] = std::move(cost_options);
  service["attributes"] = ServiceAttributes(activity, key, service_id);
  return service;
}

// "language_cafe" -> "Language cafe".
std::string TermName(absl::string_view code) {
  std::string name = absl::StrReplaceAll(code, {{"_", " "}});
  if (!name.empty()) name[0] = absl::ascii_toupper(name[0]);
  return name;
}

absl::string_view TaxonomyDescription(absl::string_view taxonomy) {
  if (taxonomy == internal::kCategoryTaxonomy) {
    return "What a Brobygger activity is about.";
  }
  if (taxonomy == internal::kActivityKindTaxonomy) {
    return "Whether a Brobygger activity is offered by civil society or is "
           "an authority task of the municipality.";
  }
  if (taxonomy == internal::kTargetGroupTaxonomy) {
    return "Whom a Brobygger activity is for; the attribute value "
           "\"min-max\" gives children's ages.";
  }
  if (taxonomy == internal::kCapacityTaxonomy) {
    return "Sign-up and the participant limit of a Brobygger activity; the "
           "attribute value holds the setting.";
  }
  if (taxonomy == internal::kPriceTaxonomy) {
    return "The kind of price of a Brobygger activity.";
  }
  return "The exact Brobygger schedule: Europe/Copenhagen wall-clock start, "
         "duration, RFC 5545 rule, exception dates and cancelled "
         "occurrences; the attribute value holds each.";
}

}  // namespace

namespace hsds_internal {

ordered_json MakeAttribute(absl::string_view attribute_id,
                           absl::string_view link_id,
                           absl::string_view link_entity,
                           absl::string_view taxonomy, absl::string_view code,
                           absl::string_view value) {
  const std::string taxonomy_id =
      NameBasedUuid(absl::StrCat("taxonomies/", taxonomy));
  ordered_json detail = ordered_json::object();
  detail["id"] = taxonomy_id;
  detail["name"] = taxonomy;
  detail["description"] = TaxonomyDescription(taxonomy);
  ordered_json term = ordered_json::object();
  const std::string term_id =
      NameBasedUuid(absl::StrCat("taxonomies/", taxonomy, "/", code));
  term["id"] = term_id;
  term["code"] = code;
  term["name"] = TermName(code);
  term["description"] =
      absl::StrCat("The term \"", code, "\" of the taxonomy ", taxonomy, ".");
  term["taxonomy"] = taxonomy;
  term["taxonomy_id"] = taxonomy_id;
  term["taxonomy_detail"] = std::move(detail);
  ordered_json attribute = ordered_json::object();
  attribute["id"] = attribute_id;
  attribute["link_id"] = link_id;
  attribute["link_type"] = taxonomy;
  attribute["link_entity"] = link_entity;
  attribute["taxonomy_term_id"] = term_id;
  if (!value.empty()) attribute["value"] = value;
  attribute["taxonomy_term"] = std::move(term);
  return attribute;
}

std::string DumpJson(const ordered_json& json, int indent) {
  return json.dump(indent, ' ', /*ensure_ascii=*/false,
                   ordered_json::error_handler_t::replace);
}

}  // namespace hsds_internal

std::string ExportHsdsJson(const HsdsExportInput& input) {
  // Keyed by id, so every array comes out sorted by id whatever the order
  // of the input.
  std::map<std::string, ordered_json> organizations, services, locations,
      service_at_locations;
  for (size_t i = 0; i < input.activities.size(); ++i) {
    const v1::Activity& activity = input.activities[i];
    const std::string key = ActivityKey(activity, i);
    const std::string service_id = ServiceId(activity);
    const std::string organization_id = NameBasedUuid(activity.organiser());

    std::string organiser_name = activity.organiser_display_name();
    if (const auto it = input.organiser_names.find(activity.organiser());
        it != input.organiser_names.end()) {
      organiser_name = it->second;
    }
    if (organiser_name.empty()) organiser_name = activity.organiser();
    organizations.emplace(organization_id,
                          Organization(activity.organiser(), organiser_name));

    ordered_json location = Location(activity, key, organization_id);
    const std::string location_id = location["id"].get<std::string>();
    ordered_json link = ordered_json::object();
    const std::string link_id =
        NameBasedUuid(absl::StrCat(key, "/service_at_location"));
    link["id"] = link_id;
    link["service_id"] = service_id;
    link["location_id"] = location_id;

    locations.emplace(location_id, std::move(location));
    service_at_locations.emplace(link_id, std::move(link));
    services.emplace(service_id,
                     Service(activity, key, service_id, organization_id));
  }
  auto as_array = [](std::map<std::string, ordered_json>& records) {
    ordered_json array = ordered_json::array();
    for (auto& [id, record] : records) array.push_back(std::move(record));
    return array;
  };
  ordered_json document = ordered_json::object();
  document["organizations"] = as_array(organizations);
  document["services"] = as_array(services);
  document["locations"] = as_array(locations);
  document["service_at_locations"] = as_array(service_at_locations);
  return internal::DumpJson(document, 2) + "\n";
}

}  // namespace brobygger::catalogue
