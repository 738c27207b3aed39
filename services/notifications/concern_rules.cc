#include "services/notifications/concern_rules.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/field_checks.h"
#include "common/api/filter.h"
#include "common/status/macros.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

bool IsTopic(absl::string_view topic) {
  if (topic.empty() || topic.size() > kMaxConcernTopicLength) return false;
  return std::all_of(topic.begin(), topic.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

void AddOnce(std::string name, absl::string_view municipality,
             std::vector<std::string>* out) {
  auto actor = ParseActorName(name, "recipient");
  if (!actor.ok() || actor->municipality != municipality) return;
  if (std::find(out->begin(), out->end(), name) == out->end()) {
    out->push_back(std::move(name));
  }
}

}  // namespace

void NormalizeConcern(v1::Concern* concern) {
  concern->set_topic(
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(concern->topic())));
  concern->set_description(
      std::string(absl::StripAsciiWhitespace(concern->description())));
}

void CheckConcernFields(const v1::Concern& concern,
                        FieldViolations* violations) {
  if (!IsTopic(concern.topic())) {
    violations->Add(
        "concern.topic",
        absl::StrCat("must be the contact-point topic as a tag of lowercase "
                     "letters, digits and \"_\" (at most ",
                     kMaxConcernTopicLength,
                     "), e.g. \"housing\", \"benefits\" or \"health\""));
  }
  api::CheckText(concern.description(), kMaxConcernTextLength,
                 /*required=*/true, "concern.description",
                 "say what is wrong, so whoever handles it need not call back",
                 violations);
}

std::string OpenClaimField(absl::string_view newcomer_id,
                           absl::string_view topic) {
  return absl::StrCat(newcomer_id, "/", topic);
}

v1::Concern ForEvent(const v1::Concern& concern) {
  v1::Concern out = concern;
  out.clear_description();
  out.clear_resolution();
  for (v1::ConcernReporter& reporter : *out.mutable_reporters()) {
    reporter.clear_note();
  }
  return out;
}

std::vector<std::string> ConcernRecipients(ConcernNotice::Kind kind,
                                           const v1::Concern& concern,
                                           absl::string_view joined_by,
                                           absl::string_view municipality) {
  std::vector<std::string> out;
  switch (kind) {
    case ConcernNotice::kRaised:
      AddOnce(concern.contact(), municipality, &out);
      break;
    case ConcernNotice::kJoined:
      AddOnce(concern.contact(), municipality, &out);
      AddOnce(std::string(joined_by), municipality, &out);
      break;
    case ConcernNotice::kResolved:
      for (const v1::ConcernReporter& reporter : concern.reporters()) {
        AddOnce(reporter.reporter(), municipality, &out);
      }
      break;
  }
  return out;
}

absl::StatusOr<ConcernFilter> CompileConcernFilter(absl::string_view text) {
  ASSIGN_OR_RETURN(std::vector<api::Restriction> restrictions,
                   api::ParseFilter(text));
  ConcernFilter filter;
  for (const api::Restriction& r : restrictions) {
    if (r.op != "=") {
      return InvalidFieldError("filter", "supports only `field = value`");
    }
    if (r.field == "state") {
      if (!v1::Concern::State_Parse(absl::StrCat("STATE_", r.value),
                                    &filter.state) ||
          filter.state == v1::Concern::STATE_UNSPECIFIED) {
        return InvalidFieldError("filter", "state must be OPEN or RESOLVED");
      }
    } else if (r.field == "newcomer") {
      filter.newcomer = r.value;
    } else if (r.field == "topic") {
      filter.topic = r.value;
    } else if (r.field == "contact") {
      filter.contact = r.value;
    } else {
      return InvalidFieldError(
          "filter", absl::StrCat("cannot filter on `", r.field,
                                 "`; use state, newcomer, topic or contact"));
    }
  }
  return filter;
}

bool FilterAccepts(const ConcernFilter& filter, const v1::Concern& concern) {
  return (filter.state == v1::Concern::STATE_UNSPECIFIED ||
          concern.state() == filter.state) &&
         (filter.newcomer.empty() || concern.newcomer() == filter.newcomer) &&
         (filter.topic.empty() || concern.topic() == filter.topic) &&
         (filter.contact.empty() || concern.contact() == filter.contact);
}

}  // namespace brobygger::notifications
