// Open Referral HSDS 3.0 (Human Services Data Specification) JSON for the
// catalogue: Brobygger publishes its activities to other directories and
// imports theirs. A pure conversion; storing, access control and the
// Activity business rules are the caller's.
//
// The document is one JSON object with the HSDS 3.0 tables as arrays whose
// records refer to each other by id (the tabular model, in JSON):
//   {"organizations": [...], "services": [...], "locations": [...],
//    "service_at_locations": [...]}
// Services nest their schedules, languages, contacts (with phones),
// cost_options and attributes, as HSDS 3.0 services do; locations nest
// their addresses and accessibility.
//
// Export mapping (Activity -> HSDS). Ids are NameBasedUuid of a "key": the
// activity's resource name (or "external/<external_id>" or "index/<i>" for
// an activity without one) plus a suffix, so they are stable across exports.
//   organization  id NameBasedUuid(organiser); name from
//                 HsdsExportInput::organiser_names, else the activity's
//                 organiser_display_name, else the resource name;
//                 description "" (HSDS requires the field);
//                 organization_identifiers [{identifier_scheme "brobygger",
//                 identifier_type "Brobygger actor", identifier organiser}].
//   service       id external_id, else NameBasedUuid(activity name);
//                 organization_id; name display_name; description; url
//                 contact.url; email contact.email; status PUBLISHED
//                 "active", PAUSED "temporarily closed", ENDED "defunct",
//                 DRAFT (and unspecified) "inactive" (the HSDS 3.0 enum);
//                 application_process capacity.signup_instructions;
//                 minimum_age/maximum_age the envelope of the target groups
//                 if all of them are children; fees_description a readable
//                 price; languages [{code}]; contacts [{name, email,
//                 phones [{number}]}]; cost_options [{currency "DKK",
//                 amount in kroner, amount_description price.note}].
//   attributes    Values HSDS has no field for, as attributes whose
//                 taxonomy_term carries code, name, description, taxonomy
//                 (the taxonomy's name) and taxonomy_detail:
//                   brobygger-category      code CategoryCode ("language_cafe")
//                   brobygger-activity-kind "civil_offer" | "municipal_task"
//                   brobygger-target-group  "everyone" | "children" | "youth" |
//                                           "women" | "men" | "families", one
//                                           per target group in order; value
//                                           "min-max" for children
//                   brobygger-capacity      "signup_required" (value "true"/
//                                           "false"; present iff the activity
//                                           has a capacity), "max_participants"
//                                           (value the number, if not 0)
//                   brobygger-price         "free" | "low_cost" | "paid"
//   location      id NameBasedUuid(key + "/location"); location_type
//                 "physical"; name place.venue; latitude/longitude;
//                 addresses [{address_1 place.address, city place.area,
//                 postal_code the first four-digit number in the address (a
//                 Danish postcode) or "", state_province "", country "DK",
//                 address_type "physical"}]; accessibility [{description
//                 accessibility_notes}]. service_at_location links the two.
//   schedule      One per service. Written natively as far as HSDS 3.0 can:
//                 dtstart the local start date; opens_at/closes_at the
//                 Europe/Copenhagen wall-clock start and end ("HH:MM",
//                 "HH:MM:SS" if there are seconds); timezone the UTC offset
//                 in hours in force at dtstart (HSDS 3.0 has only a numeric
//                 offset and no zone names; Brobygger keeps the wall-clock
//                 time across daylight-saving changes); freq/interval/byday/
//                 bymonthday/count/until (a local date)/wkst from the RRULE.
//                 HSDS 3.0's freq enum is WEEKLY and MONTHLY only, so
//                 FREQ=DAILY with INTERVAL=1 becomes WEEKLY with all seven
//                 days (or with BYDAY's days), DAILY with INTERVAL=7n becomes
//                 WEEKLY with INTERVAL=n; any other DAILY rule has no native
//                 freq and is spelled out in description. A one-off is WEEKLY
//                 with count 1. Exception dates and cancelled occurrences are
//                 listed in notes for readers.
//                 So that Brobygger -> HSDS -> Brobygger is lossless, the
//                 schedule's attributes in taxonomy brobygger-schedule also
//                 carry the exact values: "start_time" (as stored), "duration"
//                 (protobuf JSON form, "5400s"), "rrule" (the exact RFC 5545
//                 text, if any), one "exception_date" per date, and one
//                 "cancelled_occurrence" per cancellation (value a JSON object
//                 {"start_time": ..., "reason": ...}).
// Nested arrays keep the activity's order; the four top-level arrays are
// sorted by id, so the same activities give byte-identical output in any
// order.
//
// Import mapping (HSDS -> Activity) is the inverse. References are
// checked (service.organization_id, service_at_location.service_id/
// location_id), as are HSDS enums and required fields, and every value
// Brobygger cannot represent is refused, never dropped: a second schedule,
// location, contact, phone, email or cost option; freq other than WEEKLY/
// MONTHLY; byweekno/byyearday; virtual or postal locations; a country other
// than DK; a currency other than DKK (absent means DKK); amounts with
// fractions of øre; ages outside 0-17; a price given only as
// fees_description; an unknown code in a brobygger-* taxonomy.
// When a schedule has brobygger-schedule attributes they are authoritative
// and its native fields (derived from them) are not read. Otherwise:
// dtstart (a date), opens_at and closes_at are required; a time with "Z"
// or an offset ("18:00+01:00") is at that offset, else at the schedule's
// timezone offset, else UTC as HSDS 3.0 says; the result is converted to
// Copenhagen wall-clock time at dtstart and kept for every occurrence; a
// closes_at not after opens_at is on the next day; no freq means a one-off.
// Services from other directories without Brobygger attributes get
// defaults: category OTHER, kind CIVIL_OFFER, target groups from
// minimum_age/maximum_age (a children group) or none (everyone), price
// from the cost option (amount 0: FREE, else PAID) or FREE without one,
// signup instructions from application_process. Their free-text fields
// alternate_name, eligibility_description, interpretation_services,
// accreditations and alert are appended to the description under a label,
// and fees_description to the price note. Not imported: provenance and
// administration (metadata, last_modified, assured_date, assurer_email,
// program, funding, required_documents, service_areas, valid_from/valid_to,
// which HSDS defines as the data's validity), organization identifiers
// other than scheme "brobygger", a location's own phones, contacts,
// languages and schedules (the building's, not the activity's), phone types
// and language names, and attributes of taxonomies other than brobygger-*.
// JSON null is treated as an absent field.
#ifndef BROBYGGER_SERVICES_CATALOGUE_HSDS_H_
#define BROBYGGER_SERVICES_CATALOGUE_HSDS_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/catalogue/v1/activity.pb.h"

namespace brobygger::catalogue {

// Import limits: a directory export of one municipality's activities fits
// comfortably, and parsing stays cheap.
inline constexpr int kMaxHsdsServices = 1000;
inline constexpr size_t kMaxHsdsJsonBytes = 8 * 1024 * 1024;
// Organizations, locations and service_at_locations each.
inline constexpr int kMaxHsdsRecords = 10000;
// Any nested array (attributes, languages, contacts, ...).
inline constexpr int kMaxHsdsNestedItems = 2000;
// Nesting of JSON arrays and objects; HSDS documents need about 8.
inline constexpr int kMaxHsdsJsonDepth = 32;

// The namespace of NameBasedUuid: a fixed random (version 4) UUID chosen
// for Brobygger. Never change it, or every exported id changes.
inline constexpr absl::string_view kBrobyggerUuidNamespace =
    "3e8cc886-68ef-490e-bc10-953154e57073";

struct HsdsOrganisation {
  std::string hsds_id;  // HSDS organization id
  // Brobygger actor resource name if known
  // ("municipalities/aalborg/actors/7"), else "".
  std::string actor;
  std::string name;
  std::string description, email, website;  // Optional.
};

struct HsdsExportInput {
  // Already filtered by the caller (e.g. to public activities).
  std::vector<v1::Activity> activities;
  // Organiser actor resource name -> display name (organization.name).
  std::map<std::string, std::string> organiser_names;
};

// The HSDS document of the activities. Deterministic: the same input gives
// byte-identical output.
std::string ExportHsdsJson(const HsdsExportInput& input);

struct ImportedService {
  std::string external_id;  // HSDS service id
  HsdsOrganisation organisation;
  // All fields filled except name, organiser, co_organisers, etag and the
  // times; external_id is the service id, organiser_display_name the
  // organization's name, schedule.time_zone "Europe/Copenhagen".
  v1::Activity activity;
};

// The services of an HSDS document, in document order. INVALID_ARGUMENT
// naming the offending JSON path as field, e.g.
// "json.services[3].schedules[0].freq", for malformed JSON ("json"),
// missing required fields, unknown references, values Brobygger cannot
// represent and exceeded limits.
absl::StatusOr<std::vector<ImportedService>> ParseHsdsJson(
    absl::string_view json);

// An RFC 4122 name-based UUID (version 5, SHA-1) of `name` in
// kBrobyggerUuidNamespace, lower-case with dashes.
std::string NameBasedUuid(absl::string_view name);

// The same in another namespace (a UUID in its text form); exposed for the
// RFC 4122 known-answer test. An unparseable namespace counts as nil.
std::string NameBasedUuid(absl::string_view namespace_uuid,
                          absl::string_view name);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_HSDS_H_
