// Internals of the HSDS conversion (hsds.h) shared by hsds.cc,
// hsds_export.cc, hsds_import.cc and hsds_import_schedule.cc: the Brobygger
// taxonomies and their codes, and a path-tracking reader of JSON values that
// turns every surprise into INVALID_ARGUMENT naming the JSON path.
#ifndef BROBYGGER_SERVICES_CATALOGUE_HSDS_INTERNAL_H_
#define BROBYGGER_SERVICES_CATALOGUE_HSDS_INTERNAL_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "google/protobuf/descriptor.h"
#include "nlohmann/json.hpp"

namespace brobygger::catalogue::hsds_internal {

// Taxonomies of the attributes that carry what HSDS has no field for.
inline constexpr absl::string_view kTaxonomyPrefix = "brobygger-";
inline constexpr absl::string_view kCategoryTaxonomy = "brobygger-category";
inline constexpr absl::string_view kActivityKindTaxonomy =
    "brobygger-activity-kind";
inline constexpr absl::string_view kTargetGroupTaxonomy =
    "brobygger-target-group";
inline constexpr absl::string_view kCapacityTaxonomy = "brobygger-capacity";
inline constexpr absl::string_view kPriceTaxonomy = "brobygger-price";
inline constexpr absl::string_view kScheduleTaxonomy = "brobygger-schedule";

// Terms of brobygger-capacity and brobygger-schedule.
inline constexpr absl::string_view kSignupRequiredCode = "signup_required";
inline constexpr absl::string_view kMaxParticipantsCode = "max_participants";
inline constexpr absl::string_view kStartTimeCode = "start_time";
inline constexpr absl::string_view kDurationCode = "duration";
inline constexpr absl::string_view kRruleCode = "rrule";
inline constexpr absl::string_view kExceptionDateCode = "exception_date";
inline constexpr absl::string_view kCancelledOccurrenceCode =
    "cancelled_occurrence";

// organization_identifiers entry that names the Brobygger actor.
inline constexpr absl::string_view kIdentifierScheme = "brobygger";
inline constexpr absl::string_view kIdentifierType = "Brobygger actor";

inline constexpr absl::string_view kCurrency = "DKK";
inline constexpr absl::string_view kCountry = "DK";
inline constexpr absl::string_view kTimeZoneName = "Europe/Copenhagen";

// Enum prefixes stripped from the value names to make term codes.
inline constexpr absl::string_view kCategoryPrefix = "CATEGORY_";
inline constexpr absl::string_view kActivityKindPrefix = "ACTIVITY_KIND_";
inline constexpr absl::string_view kKindPrefix = "KIND_";

// The lower-case code of an enum value without its prefix
// (ACTIVITY_KIND_CIVIL_OFFER -> "civil_offer"); "" for 0 (unspecified)
// and unknown values.
std::string EnumCode(const google::protobuf::EnumDescriptor& type, int value,
                     absl::string_view prefix);
// The inverse; nullopt for unknown codes and for the unspecified value.
std::optional<int> EnumFromCode(const google::protobuf::EnumDescriptor& type,
                                absl::string_view code,
                                absl::string_view prefix);
// The codes of all specified values, for error messages.
std::string EnumCodeList(const google::protobuf::EnumDescriptor& type,
                         absl::string_view prefix);

// service.status of an activity state and back (HSDS 3.0 enum).
absl::string_view StatusOfState(v1::ActivityState state);
std::optional<v1::ActivityState> StateOfStatus(absl::string_view status);

// A JSON value and its path in the document ("json.services[3].name").
// Absent members and JSON null read as absent.
class JsonNode {
 public:
  JsonNode(const nlohmann::json* value, std::string path)
      : value_(value), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  bool present() const { return value_ != nullptr && !value_->is_null(); }
  const nlohmann::json& value() const { return *value_; }

  // The member `key` of an object; absent if this is not an object.
  JsonNode Child(absl::string_view key) const;

  absl::Status Error(absl::string_view description) const;

  // "" if absent; INVALID_ARGUMENT if not a string.
  absl::StatusOr<std::string> String() const;
  // A non-empty string; INVALID_ARGUMENT "required" otherwise.
  absl::StatusOr<std::string> RequiredString(absl::string_view what) const;
  // nullopt if absent; INVALID_ARGUMENT if not a number.
  absl::StatusOr<std::optional<double>> Number() const;
  // An integer given as a JSON number or a decimal string (HSDS drafts typed
  // some counts as strings); nullopt if absent.
  absl::StatusOr<std::optional<long long>> Integer() const;
  // The elements of an array, each required to be an object; empty if
  // absent. At most `max_items`.
  absl::StatusOr<std::vector<JsonNode>> Objects(int max_items) const;
  absl::Status ExpectObject() const;

 private:
  const nlohmann::json* value_;
  std::string path_;
};

// An attribute in one of the brobygger-* taxonomies.
struct BrobyggerTerm {
  std::string taxonomy;  // "brobygger-category"
  std::string code;      // taxonomy_term.code, "language_cafe"
  std::string value;     // attribute.value, "" if absent
  JsonNode attribute;    // For error paths.
};

// The attributes in brobygger-* taxonomies, in order; other attributes
// (third-party classifications) are skipped.
absl::StatusOr<std::vector<BrobyggerTerm>> BrobyggerTerms(
    const JsonNode& attributes);

// The values of the service's brobygger-* attributes.
struct ServiceTerms {
  std::optional<v1::Category> category;
  std::optional<v1::ActivityKind> kind;
  bool has_target_groups = false;
  std::vector<v1::TargetGroup> target_groups;
  std::optional<bool> signup_required;
  std::optional<int> max_participants;
  std::optional<v1::Price::Kind> price_kind;
};

absl::StatusOr<ServiceTerms> ReadServiceTerms(const JsonNode& attributes);

// The description with the free-text fields Brobygger has no field for
// (eligibility_description, ...) appended under a label.
absl::StatusOr<std::string> ReadDescription(const JsonNode& service);

// Readers of one service's fields into `activity`; they refuse values
// Brobygger cannot represent (a second contact, a non-DKK price, ...).
absl::Status ReadContact(const JsonNode& service, v1::Activity& activity);
absl::Status ReadLanguages(const JsonNode& service, v1::Activity& activity);
absl::Status ReadPrice(const JsonNode& service, const ServiceTerms& terms,
                       v1::Activity& activity);
absl::Status ReadTargetGroups(const JsonNode& service,
                              const ServiceTerms& terms,
                              v1::Activity& activity);
absl::Status ReadPlace(const JsonNode& location, v1::Activity& activity);

// A schedule read from HSDS: the schedule and the cancelled occurrences that
// travel with it.
struct ImportedSchedule {
  v1::Schedule schedule;
  std::vector<v1::CancelledOccurrence> cancelled;
};
absl::StatusOr<ImportedSchedule> ImportSchedule(const JsonNode& schedule);

// Export helpers shared by hsds_export.cc and hsds_export_schedule.cc.

// An attribute linking `link_id` (of table `link_entity`) to the term
// `code` of `taxonomy`; `value` is left out if empty.
nlohmann::ordered_json MakeAttribute(absl::string_view attribute_id,
                                     absl::string_view link_id,
                                     absl::string_view link_entity,
                                     absl::string_view taxonomy,
                                     absl::string_view code,
                                     absl::string_view value);

// The schedule of `activity` as an HSDS schedule; `key` makes the ids.
nlohmann::ordered_json ExportSchedule(const v1::Activity& activity,
                                      absl::string_view key,
                                      absl::string_view service_id);

// Serialization that never throws: invalid UTF-8 is replaced.
std::string DumpJson(const nlohmann::ordered_json& json, int indent);

}  // namespace brobygger::catalogue::hsds_internal

#endif  // BROBYGGER_SERVICES_CATALOGUE_HSDS_INTERNAL_H_
