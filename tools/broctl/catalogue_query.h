// The options the catalogue commands share: the activity query (what
// search, occurrences, calendar and feed select), times and numbers.
//
//   --area A --category LANGUAGE_CAFE,COMMUNAL_DINING --target CHILDREN
//   --child-age 9 --language ar --from T --to T --free --max-price-ore N
//   --text "words" --kind CIVIL_OFFER --organiser municipalities/X/actors/N
//
// Enum values are accepted with or without their prefix and in any case
// ("language_cafe", "CATEGORY_LANGUAGE_CAFE"). Every bad value is
// INVALID_ARGUMENT naming the option and saying what it takes.
#ifndef BROBYGGER_TOOLS_BROCTL_CATALOGUE_QUERY_H_
#define BROBYGGER_TOOLS_BROCTL_CATALOGUE_QUERY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "brobygger/catalogue/v1/catalogue_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {

// More categories than exist cannot mean anything; a bound on the list.
inline constexpr size_t kMaxQueryCategories = 20;

// `options` followed by the query options (with --from/--to when
// `with_window`: the query's own window; commands whose request has its own
// window add those themselves).
std::vector<absl::string_view> WithQueryOptions(
    std::vector<absl::string_view> options, bool with_window);

// The query described by the options. `with_window`: --from/--to fill the
// query's window (both or neither).
absl::StatusOr<catalogue::v1::ActivityQuery> ActivityQueryFrom(
    const Args& args, bool with_window);

// An instant: RFC 3339 ("2026-12-01T18:00:00+01:00", "...Z"), or a
// Europe/Copenhagen wall-clock time "2026-12-01T18:00[:00]" or date
// "2026-12-01" (its midnight). `option` names it in errors.
absl::StatusOr<absl::Time> ParseInstant(absl::string_view text,
                                        absl::string_view option);

// --from and --to: both or neither (nullopt), --to after --from.
struct TimeWindow {
  absl::Time start;
  absl::Time end;
};
absl::StatusOr<std::optional<TimeWindow>> OptionalWindow(const Args& args);
// The same, but both are required.
absl::StatusOr<TimeWindow> RequiredWindow(const Args& args);

google::protobuf::Timestamp ToProtoTimestamp(absl::Time time);

// A boolean option: absent false; "--x" or "--x=true" true; "--x=false"
// false; anything else is an error.
absl::StatusOr<bool> BoolOption(const Args& args, absl::string_view option);

// An integer option in [min, max], or nullopt when absent.
absl::StatusOr<std::optional<int64_t>> IntOption(const Args& args,
                                                 absl::string_view option,
                                                 int64_t min, int64_t max);

// The number of the value of `descriptor` named by `text`, with or
// without `prefix`, in any case, "-" for "_": ("TOPIC_", "activities") ->
// TOPIC_ACTIVITIES. The UNSPECIFIED value (0) is no answer; an unknown one
// is INVALID_ARGUMENT naming `option` and listing the values.
absl::StatusOr<int> ParseEnum(
    const google::protobuf::EnumDescriptor* descriptor,
    absl::string_view prefix, absl::string_view text, absl::string_view option);

// "LANGUAGE_CAFE", "language-cafe" or "CATEGORY_LANGUAGE_CAFE".
absl::StatusOr<catalogue::v1::Category> ParseCategory(absl::string_view text);
// "CHILDREN" or "KIND_CHILDREN".
absl::StatusOr<catalogue::v1::TargetGroup::Kind> ParseTargetKind(
    absl::string_view text);
// "CIVIL_OFFER" or "ACTIVITY_KIND_CIVIL_OFFER".
absl::StatusOr<catalogue::v1::ActivityKind> ParseActivityKind(
    absl::string_view text);

// "aalborg" or "municipalities/aalborg" plus "/timelineTemplate".
std::string TimelineTemplateName(absl::string_view parent);

// A resource of the municipality given by its full name or by its id
// alone: ("municipalities/aalborg", "actors", "7") ->
// "municipalities/aalborg/actors/7"; a name with '/' is kept as it is.
std::string ChildName(absl::string_view parent, absl::string_view collection,
                      absl::string_view id_or_name);

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_CATALOGUE_QUERY_H_
