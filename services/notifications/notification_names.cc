#include "services/notifications/notification_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"

namespace brobygger::notifications {
namespace {

absl::StatusOr<ParsedName> ParseNumeric(absl::string_view name,
                                        absl::string_view pattern,
                                        absl::string_view field,
                                        absl::string_view example) {
  auto parts = api::ParseResourceName(name, pattern, field);
  if (!parts.ok() || !api::IsValidNumericId((*parts)[1])) {
    return InvalidFieldError(
        field, absl::StrCat("must be a name such as \"", example, "\""));
  }
  return ParsedName{(*parts)[0], (*parts)[1]};
}

bool AllDigits(absl::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::StatusOr<std::string> ParseChildId(absl::string_view name,
                                         absl::string_view municipality,
                                         absl::string_view collection,
                                         absl::string_view field) {
  const std::string pattern =
      absl::StrCat("municipalities/{municipality}/", collection, "/{id}");
  auto parts = api::ParseResourceName(name, pattern, field);
  if (!parts.ok() || (*parts)[0] != municipality ||
      !api::IsValidNumericId((*parts)[1])) {
    return InvalidFieldError(
        field, absl::StrCat("must name one of this municipality's ", collection,
                            " as the registry does, e.g. "
                            "\"municipalities/",
                            municipality, "/", collection, "/12\""));
  }
  return (*parts)[1];
}

}  // namespace

bool IsStreamId(absl::string_view id) {
  const size_t dash = id.find('-');
  if (dash == absl::string_view::npos) return false;
  return AllDigits(id.substr(0, dash)) && AllDigits(id.substr(dash + 1));
}

std::string MunicipalityName(absl::string_view municipality) {
  return absl::StrCat("municipalities/", municipality);
}

std::string ActorName(absl::string_view municipality, absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/actors/", id);
}

std::string SubscriptionName(absl::string_view municipality,
                             absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/subscriptions/", id);
}

std::string WebhookName(absl::string_view municipality, absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/webhooks/", id);
}

std::string BroadcastName(absl::string_view municipality,
                          absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/broadcasts/", id);
}

std::string ConcernName(absl::string_view municipality, absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/concerns/", id);
}

std::string InboxName(absl::string_view municipality, absl::string_view inbox) {
  return absl::StrCat("municipalities/", municipality, "/inboxes/", inbox);
}

std::string NotificationName(absl::string_view municipality,
                             absl::string_view inbox, absl::string_view entry) {
  return absl::StrCat("municipalities/", municipality, "/inboxes/", inbox,
                      "/notifications/", entry);
}

std::string PreferencesName(absl::string_view municipality,
                            absl::string_view inbox) {
  return absl::StrCat("municipalities/", municipality, "/inboxes/", inbox,
                      "/preferences");
}

std::string DeadLetterName(absl::string_view id) {
  return absl::StrCat("deadLetters/", id);
}

absl::StatusOr<std::string> ParseParent(absl::string_view parent,
                                        absl::string_view field) {
  auto parts =
      api::ParseResourceName(parent, "municipalities/{municipality}", field);
  if (!parts.ok()) {
    return InvalidFieldError(
        field, "must be a municipality such as \"municipalities/aalborg\"");
  }
  return (*parts)[0];
}

absl::StatusOr<ParsedName> ParseSubscriptionName(absl::string_view name,
                                                 absl::string_view field) {
  return ParseNumeric(
      name, "municipalities/{municipality}/subscriptions/{subscription}", field,
      "municipalities/aalborg/subscriptions/12");
}

absl::StatusOr<ParsedName> ParseWebhookName(absl::string_view name,
                                            absl::string_view field) {
  return ParseNumeric(name, "municipalities/{municipality}/webhooks/{webhook}",
                      field, "municipalities/aalborg/webhooks/12");
}

absl::StatusOr<ParsedName> ParseBroadcastName(absl::string_view name,
                                              absl::string_view field) {
  return ParseNumeric(name,
                      "municipalities/{municipality}/broadcasts/{broadcast}",
                      field, "municipalities/aalborg/broadcasts/12");
}

absl::StatusOr<ParsedName> ParseConcernName(absl::string_view name,
                                            absl::string_view field) {
  return ParseNumeric(name, "municipalities/{municipality}/concerns/{concern}",
                      field, "municipalities/aalborg/concerns/12");
}

absl::StatusOr<ParsedName> ParseInboxName(absl::string_view name,
                                          absl::string_view field) {
  return ParseNumeric(name, "municipalities/{municipality}/inboxes/{inbox}",
                      field, "municipalities/aalborg/inboxes/12");
}

absl::StatusOr<ParsedName> ParsePreferencesName(absl::string_view name,
                                                absl::string_view field) {
  return ParseNumeric(
      name, "municipalities/{municipality}/inboxes/{inbox}/preferences", field,
      "municipalities/aalborg/inboxes/12/preferences");
}

absl::StatusOr<ParsedNotificationName> ParseNotificationName(
    absl::string_view name, absl::string_view field) {
  auto parts = api::ParseResourceName(
      name,
      "municipalities/{municipality}/inboxes/{inbox}/notifications/"
      "{notification}",
      field);
  if (!parts.ok() || !api::IsValidNumericId((*parts)[1]) ||
      !IsStreamId((*parts)[2])) {
    return InvalidFieldError(
        field,
        "must be a name such as "
        "\"municipalities/aalborg/inboxes/12/notifications/1732450000000-0\"");
  }
  return ParsedNotificationName{(*parts)[0], (*parts)[1], (*parts)[2]};
}

absl::StatusOr<std::string> ParseDeadLetterName(absl::string_view name,
                                                absl::string_view field) {
  constexpr absl::string_view kPrefix = "deadLetters/";
  if (!absl::StartsWith(name, kPrefix) ||
      !IsStreamId(name.substr(kPrefix.size()))) {
    return InvalidFieldError(
        field, "must be a name such as \"deadLetters/1732450000000-0\"");
  }
  return std::string(name.substr(kPrefix.size()));
}

absl::StatusOr<ParsedName> ParseActorName(absl::string_view name,
                                          absl::string_view field) {
  return ParseNumeric(name, "municipalities/{municipality}/actors/{actor}",
                      field, "municipalities/aalborg/actors/12");
}

absl::StatusOr<std::string> ParseActorId(absl::string_view name,
                                         absl::string_view municipality,
                                         absl::string_view field) {
  return ParseChildId(name, municipality, "actors", field);
}

absl::StatusOr<std::string> ParseForumId(absl::string_view name,
                                         absl::string_view municipality,
                                         absl::string_view field) {
  return ParseChildId(name, municipality, "forums", field);
}

}  // namespace brobygger::notifications
