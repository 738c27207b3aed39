// The fields of an HSDS service other than its schedule and references:
// the brobygger-* attributes, description, contact, languages, price,
// target groups and place (rules in hsds.h).
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/catalogue/hsds.h"
#include "services/catalogue/hsds_internal.h"

namespace brobygger::catalogue::hsds_internal {
namespace {

absl::Status UnknownCode(const BrobyggerTerm& term,
                         absl::string_view known_codes) {
  return term.attribute.Child("taxonomy_term")
      .Child("code")
      .Error(absl::StrCat("\"", term.code, "\" is not a code of ",
                          term.taxonomy, "; it has ", known_codes));
}

absl::Status Twice(const BrobyggerTerm& term) {
  return term.attribute.Error(absl::StrCat("a second ", term.taxonomy,
                                           " attribute; an activity has one"));
}

// Appends `text` to `*out` unless it is empty or already there.
void AddDistinct(std::vector<std::pair<std::string, std::string>>* out,
                 std::string text, std::string path) {
  if (text.empty()) return;
  for (const auto& [existing, unused] : *out) {
    if (existing == text) return;
  }
  out->emplace_back(std::move(text), std::move(path));
}

// "6-12" -> {6, 12}.
std::optional<std::pair<int, int>> ParseAges(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  std::pair<int, int> ages;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &ages.first) ||
      !absl::SimpleAtoi(parts[1], &ages.second)) {
    return std::nullopt;
  }
  return ages;
}

}  // namespace

absl::StatusOr<ServiceTerms> ReadServiceTerms(const JsonNode& attributes) {
  ASSIGN_OR_RETURN(std::vector<BrobyggerTerm> terms,
                   BrobyggerTerms(attributes));
  ServiceTerms out;
  for (const BrobyggerTerm& term : terms) {
    const JsonNode value = term.attribute.Child("value");
    if (term.taxonomy == kCategoryTaxonomy) {
      const auto& type = *v1::Category_descriptor();
      const std::optional<int> category =
          EnumFromCode(type, term.code, kCategoryPrefix);
      if (!category.has_value()) {
        return UnknownCode(term, EnumCodeList(type, kCategoryPrefix));
      }
      if (out.category.has_value()) return Twice(term);
      out.category = static_cast<v1::Category>(*category);
    } else if (term.taxonomy == kActivityKindTaxonomy) {
      const auto& type = *v1::ActivityKind_descriptor();
      const std::optional<int> kind =
          EnumFromCode(type, term.code, kActivityKindPrefix);
      if (!kind.has_value()) {
        return UnknownCode(term, EnumCodeList(type, kActivityKindPrefix));
      }
      if (out.kind.has_value()) return Twice(term);
      out.kind = static_cast<v1::ActivityKind>(*kind);
    } else if (term.taxonomy == kTargetGroupTaxonomy) {
      const auto& type = *v1::TargetGroup::Kind_descriptor();
      const std::optional<int> kind =
          EnumFromCode(type, term.code, kKindPrefix);
      if (!kind.has_value()) {
        return UnknownCode(term, EnumCodeList(type, kKindPrefix));
      }
      v1::TargetGroup group;
      group.set_kind(static_cast<v1::TargetGroup::Kind>(*kind));
      if (!term.value.empty()) {
        const std::optional<std::pair<int, int>> ages = ParseAges(term.value);
        if (!ages.has_value()) {
          return value.Error("must be the ages \"min-max\", e.g. \"6-12\"");
        }
        group.set_min_age(ages->first);
        group.set_max_age(ages->second);
      }
      out.has_target_groups = true;
      out.target_groups.push_back(group);
    } else if (term.taxonomy == kCapacityTaxonomy) {
      if (term.code == kSignupRequiredCode) {
        if (term.value != "true" && term.value != "false") {
          return value.Error("must be \"true\" or \"false\"");
        }
        if (out.signup_required.has_value()) return Twice(term);
        out.signup_required = term.value == "true";
      } else if (term.code == kMaxParticipantsCode) {
        int max = 0;
        if (!absl::SimpleAtoi(term.value, &max) || max < 0) {
          return value.Error("must be a whole number of participants");
        }
        if (out.max_participants.has_value()) return Twice(term);
        out.max_participants = max;
      } else {
        return UnknownCode(term, absl::StrCat(kSignupRequiredCode, ", ",
                                              kMaxParticipantsCode));
      }
    } else if (term.taxonomy == kPriceTaxonomy) {
      const auto& type = *v1::Price::Kind_descriptor();
      const std::optional<int> kind =
          EnumFromCode(type, term.code, kKindPrefix);
      if (!kind.has_value()) {
        return UnknownCode(term, EnumCodeList(type, kKindPrefix));
      }
      if (out.price_kind.has_value()) return Twice(term);
      out.price_kind = static_cast<v1::Price::Kind>(*kind);
    } else {
      return term.attribute.Child("taxonomy_term")
          .Child("taxonomy")
          .Error(absl::StrCat("\"", term.taxonomy,
                              "\" is not a Brobygger taxonomy of "
                              "services; they are ",
                              kCategoryTaxonomy, ", ", kActivityKindTaxonomy,
                              ", ", kTargetGroupTaxonomy, ", ",
                              kCapacityTaxonomy, " and ", kPriceTaxonomy));
    }
  }
  return out;
}

// The description with the free-text fields Brobygger has no field for
// appended under a label, so nothing a reader should know is lost.
absl::StatusOr<std::string> ReadDescription(const JsonNode& service) {
  ASSIGN_OR_RETURN(std::string description,
                   service.Child("description").String());
  static constexpr std::pair<absl::string_view, absl::string_view> kExtras[] = {
      {"alternate_name", "Also known as"},
      {"eligibility_description", "Eligibility"},
      {"interpretation_services", "Interpretation"},
      {"accreditations", "Accreditations"},
      {"alert", "Notice"}};
  for (const auto& [field, label] : kExtras) {
    ASSIGN_OR_RETURN(std::string text, service.Child(field).String());
    if (text.empty()) continue;
    if (!description.empty()) description += "\n\n";
    absl::StrAppend(&description, label, ": ", text);
  }
  return description;
}

absl::Status ReadContact(const JsonNode& service, v1::Activity& activity) {
  v1::Contact contact;
  ASSIGN_OR_RETURN(*contact.mutable_url(), service.Child("url").String());
  ASSIGN_OR_RETURN(std::vector<JsonNode> contacts,
                   service.Child("contacts").Objects(kMaxHsdsNestedItems));
  if (contacts.size() > 1) {
    return contacts[1].Error(
        "a second contact; a Brobygger activity has one contact");
  }
  // Candidate emails and phone numbers with their paths; Brobygger keeps
  // one of each, so different ones are refused rather than dropped.
  std::vector<std::pair<std::string, std::string>> emails, phones;
  {
    const JsonNode email = service.Child("email");
    ASSIGN_OR_RETURN(std::string text, email.String());
    AddDistinct(&emails, std::move(text), email.path());
  }
  std::vector<JsonNode> phone_nodes;
  if (!contacts.empty()) {
    const JsonNode& person = contacts[0];
    ASSIGN_OR_RETURN(std::string name, person.Child("name").String());
    ASSIGN_OR_RETURN(std::string title, person.Child("title").String());
    if (!title.empty())
      name = name.empty() ? title : absl::StrCat(name, ", ", title);
    contact.set_name(name);
    const JsonNode email = person.Child("email");
    ASSIGN_OR_RETURN(std::string text, email.String());
    AddDistinct(&emails, std::move(text), email.path());
    ASSIGN_OR_RETURN(phone_nodes,
                     person.Child("phones").Objects(kMaxHsdsNestedItems));
  }
  ASSIGN_OR_RETURN(std::vector<JsonNode> service_phones,
                   service.Child("phones").Objects(kMaxHsdsNestedItems));
  phone_nodes.insert(phone_nodes.end(), service_phones.begin(),
                     service_phones.end());
  for (const JsonNode& phone : phone_nodes) {
    ASSIGN_OR_RETURN(std::string number,
                     phone.Child("number").RequiredString("the phone number"));
    ASSIGN_OR_RETURN(std::optional<long long> extension,
                     phone.Child("extension").Integer());
    if (extension.has_value()) absl::StrAppend(&number, " ext. ", *extension);
    AddDistinct(&phones, std::move(number), phone.Child("number").path());
  }
  if (emails.size() > 1) {
    return InvalidFieldError(emails[1].second,
                             "a second email address; a Brobygger activity "
                             "has one");
  }
  if (phones.size() > 1) {
    return InvalidFieldError(phones[1].second,
                             "a second phone number; a Brobygger activity "
                             "has one");
  }
  if (!emails.empty()) contact.set_email(emails[0].first);
  if (!phones.empty()) contact.set_phone(phones[0].first);
  if (!contact.name().empty() || !contact.phone().empty() ||
      !contact.email().empty() || !contact.url().empty()) {
    *activity.mutable_contact() = std::move(contact);
  }
  return absl::OkStatus();
}

absl::Status ReadLanguages(const JsonNode& service, v1::Activity& activity) {
  ASSIGN_OR_RETURN(std::vector<JsonNode> languages,
                   service.Child("languages").Objects(kMaxHsdsNestedItems));
  for (const JsonNode& language : languages) {
    ASSIGN_OR_RETURN(std::string code,
                     language.Child("code").RequiredString(
                         "the language's ISO 639 code, e.g. \"ar\"; "
                         "Brobygger keeps codes, not names"));
    activity.add_languages(code);
  }
  return absl::OkStatus();
}

absl::Status ReadPrice(const JsonNode& service, const ServiceTerms& terms,
                       v1::Activity& activity) {
  v1::Price& price = *activity.mutable_price();
  ASSIGN_OR_RETURN(std::vector<JsonNode> options,
                   service.Child("cost_options").Objects(kMaxHsdsNestedItems));
  if (options.size() > 1) {
    return options[1].Error(
        "a second cost option; a Brobygger activity has one price");
  }
  // Brobygger's own documents derive fees_description from the price.
  const JsonNode fees_node = service.Child("fees_description");
  std::string fees;
  if (!terms.price_kind.has_value()) {
    ASSIGN_OR_RETURN(fees, fees_node.String());
  }
  if (options.empty()) {
    if (!fees.empty()) {
      return fees_node.Error(
          "Brobygger cannot read a price from text; give it as a cost "
          "option with an amount in DKK");
    }
    price.set_kind(terms.price_kind.value_or(v1::Price::KIND_FREE));
    return absl::OkStatus();
  }
  const JsonNode& option = options[0];
  const JsonNode currency_node = option.Child("currency");
  ASSIGN_OR_RETURN(std::string currency, currency_node.String());
  if (!currency.empty() && absl::AsciiStrToUpper(currency) != kCurrency) {
    return currency_node.Error("Brobygger prices are in DKK");
  }
  const JsonNode amount_node = option.Child("amount");
  ASSIGN_OR_RETURN(std::optional<double> amount, amount_node.Number());
  if (!amount.has_value()) {
    return amount_node.Error("required: the price in DKK (0 if free)");
  }
  const double ore = *amount * 100.0;
  if (!std::isfinite(ore) || ore < 0 || ore > 1e15 ||
      std::fabs(ore - std::round(ore)) > 1e-6) {
    return amount_node.Error(
        "must be a non-negative amount of kroner with at most two decimals");
  }
  price.set_amount_ore(std::llround(ore));
  price.set_kind(terms.price_kind.value_or(
      price.amount_ore() == 0 ? v1::Price::KIND_FREE : v1::Price::KIND_PAID));
  ASSIGN_OR_RETURN(std::string conditions, option.Child("option").String());
  ASSIGN_OR_RETURN(std::string note,
                   option.Child("amount_description").String());
  std::vector<std::string> notes;
  for (std::string* part : {&conditions, &note, &fees}) {
    if (!part->empty()) notes.push_back(std::move(*part));
  }
  price.set_note(absl::StrJoin(notes, "; "));
  return absl::OkStatus();
}

absl::Status ReadTargetGroups(const JsonNode& service,
                              const ServiceTerms& terms,
                              v1::Activity& activity) {
  if (terms.has_target_groups) {
    for (const v1::TargetGroup& group : terms.target_groups) {
      *activity.add_target_groups() = group;
    }
    return absl::OkStatus();  // minimum_age/maximum_age are derived.
  }
  const JsonNode min_node = service.Child("minimum_age");
  const JsonNode max_node = service.Child("maximum_age");
  ASSIGN_OR_RETURN(std::optional<long long> min_age, min_node.Integer());
  ASSIGN_OR_RETURN(std::optional<long long> max_age, max_node.Integer());
  if (!max_age.has_value() && min_age.value_or(0) == 0) {
    return absl::OkStatus();  // Everyone.
  }
  if (!max_age.has_value()) {
    return min_node.Error(
        "Brobygger target groups give ages only for children (0-17); a "
        "lower age limit alone cannot be represented");
  }
  if (*max_age < 0 || *max_age > 17) {
    return max_node.Error(
        "Brobygger target groups give ages only for children (0-17)");
  }
  if (min_age.value_or(0) < 0 || min_age.value_or(0) > *max_age) {
    return min_node.Error("must be 0 to maximum_age");
  }
  v1::TargetGroup& group = *activity.add_target_groups();
  group.set_kind(v1::TargetGroup::KIND_CHILDREN);
  group.set_min_age(static_cast<int>(min_age.value_or(0)));
  group.set_max_age(static_cast<int>(*max_age));
  return absl::OkStatus();
}

absl::Status ReadPlace(const JsonNode& location, v1::Activity& activity) {
  v1::Place& place = *activity.mutable_place();
  const JsonNode type_node = location.Child("location_type");
  ASSIGN_OR_RETURN(std::string type,
                   type_node.RequiredString("physical, postal or virtual"));
  if (type != "physical") {
    return type_node.Error(
        "Brobygger activities take place at a physical location");
  }
  ASSIGN_OR_RETURN(*place.mutable_venue(), location.Child("name").String());

  const JsonNode latitude_node = location.Child("latitude");
  const JsonNode longitude_node = location.Child("longitude");
  ASSIGN_OR_RETURN(std::optional<double> latitude, latitude_node.Number());
  ASSIGN_OR_RETURN(std::optional<double> longitude, longitude_node.Number());
  if (latitude.has_value() != longitude.has_value()) {
    return (latitude.has_value() ? longitude_node : latitude_node)
        .Error("required together with the other coordinate");
  }
  if (latitude.has_value()) {
    if (*latitude < -90 || *latitude > 90) {
      return latitude_node.Error("must be -90 to 90 (WGS 84)");
    }
    if (*longitude < -180 || *longitude > 180) {
      return longitude_node.Error("must be -180 to 180 (WGS 84)");
    }
    place.mutable_coordinates()->set_latitude(*latitude);
    place.mutable_coordinates()->set_longitude(*longitude);
  }

  const JsonNode addresses_node = location.Child("addresses");
  ASSIGN_OR_RETURN(std::vector<JsonNode> addresses,
                   addresses_node.Objects(kMaxHsdsNestedItems));
  std::vector<JsonNode> physical;
  for (const JsonNode& address : addresses) {
    ASSIGN_OR_RETURN(std::string address_type,
                     address.Child("address_type").String());
    if (address_type == "physical") physical.push_back(address);
  }
  if (addresses.size() == 1) physical = addresses;
  if (physical.size() != 1) {
    return addresses_node.Error(
        addresses.empty()
            ? "required: the address where the activity takes place"
            : "give exactly one physical address; Brobygger keeps one");
  }
  const JsonNode& address = physical[0];
  // HSDS requires the property; an empty value is a place without a street
  // address (a town, as Brobygger exports it).
  ASSIGN_OR_RETURN(std::string line, address.Child("address_1").String());
  ASSIGN_OR_RETURN(std::string line_2, address.Child("address_2").String());
  ASSIGN_OR_RETURN(std::string city,
                   address.Child("city").RequiredString("the town or area"));
  ASSIGN_OR_RETURN(std::string postal_code,
                   address.Child("postal_code").String());
  const JsonNode country_node = address.Child("country");
  ASSIGN_OR_RETURN(std::string country, country_node.String());
  if (!country.empty() && absl::AsciiStrToUpper(country) != kCountry) {
    return country_node.Error("Brobygger places are in Denmark (\"DK\")");
  }
  if (!line_2.empty()) absl::StrAppend(&line, ", ", line_2);
  // Brobygger's address is one line with the postcode and town, as
  // written in Denmark; a Brobygger export already has it in address_1.
  if (!postal_code.empty() && !absl::StrContains(line, postal_code)) {
    absl::StrAppend(&line, ", ", postal_code, " ", city);
  }
  place.set_address(line);
  place.set_area(city);

  ASSIGN_OR_RETURN(
      std::vector<JsonNode> accessibility,
      location.Child("accessibility").Objects(kMaxHsdsNestedItems));
  std::vector<std::string> notes;
  for (const JsonNode& entry : accessibility) {
    for (absl::string_view field : {"description", "details", "url"}) {
      ASSIGN_OR_RETURN(std::string text, entry.Child(field).String());
      if (!text.empty()) notes.push_back(std::move(text));
    }
  }
  activity.set_accessibility_notes(absl::StrJoin(notes, "; "));
  return absl::OkStatus();
}

}  // namespace brobygger::catalogue::hsds_internal
