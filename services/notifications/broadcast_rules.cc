#include "services/notifications/broadcast_rules.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "common/api/field_checks.h"
#include "common/auth/authorizer.h"
#include "common/store/resource_io.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;

const absl::TimeZone& Denmark() {
  static const absl::TimeZone* zone = [] {
    auto* tz = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/Copenhagen", tz)) *tz = absl::UTCTimeZone();
    return tz;
  }();
  return *zone;
}

std::string Trimmed(const std::string& text) {
  return std::string(absl::StripAsciiWhitespace(text));
}

void CheckAudience(const v1::Audience& audience, absl::string_view municipality,
                   FieldViolations* violations) {
  switch (audience.target_case()) {
    case v1::Audience::TARGET_NOT_SET:
      violations->Add(
          "broadcast.audience",
          "is required: a forum, the volunteers in an area (\"\" for the "
          "whole municipality) or a kind of actor");
      break;
    case v1::Audience::kForum: {
      auto forum = ParseForumId(audience.forum(), municipality,
                                "broadcast.audience.forum");
      if (!forum.ok()) {
        for (FieldViolation& v : FieldViolationsOf(forum.status())) {
          violations->Add(std::move(v.field), std::move(v.description));
        }
      }
      break;
    }
    case v1::Audience::kVolunteersInArea:
      api::CheckText(audience.volunteers_in_area(), kMaxBroadcastAreaLength,
                     /*required=*/false,
                     "broadcast.audience.volunteers_in_area", "", violations);
      break;
    case v1::Audience::kActorKind:
      if (audience.actor_kind() == rv1::ACTOR_KIND_NEWCOMER) {
        violations->Add(
            "broadcast.audience.actor_kind",
            "cannot be ACTOR_KIND_NEWCOMER: newcomers have no inbox here and "
            "are told by their caseworker; address volunteers or "
            "organisations instead");
      } else if (audience.actor_kind() == rv1::ACTOR_KIND_UNSPECIFIED ||
                 !rv1::ActorKind_IsValid(audience.actor_kind())) {
        violations->Add("broadcast.audience.actor_kind",
                        "must be a kind of actor, e.g. ACTOR_KIND_VOLUNTEER "
                        "or ACTOR_KIND_NGO_BRANCH");
      }
      break;
  }
}

void CheckStartTime(const v1::Broadcast& broadcast, absl::Time now,
                    FieldViolations* violations) {
  if (!broadcast.has_start_time()) return;
  const google::protobuf::Timestamp& start = broadcast.start_time();
  if (start.nanos() < 0 || start.nanos() > 999'999'999) {
    violations->Add("broadcast.start_time", "is not a valid timestamp");
    return;
  }
  const absl::Time time = store::FromTimestamp(start);
  if (time > now + kMaxBroadcastLead) {
    violations->Add("broadcast.start_time",
                    "must be at most a year ahead; schedule it later or "
                    "leave it unset to send now");
  } else if (time < now - kBroadcastStartTolerance) {
    violations->Add("broadcast.start_time",
                    "is in the past; leave it unset to send now");
  }
}

void CheckRepetition(const v1::Broadcast& broadcast,
                     FieldViolations* violations) {
  const int count = broadcast.repeat_count();
  const int days = broadcast.repeat_interval_days();
  if (count < 0 || count > kMaxBroadcastRepeatCount) {
    violations->Add("broadcast.repeat_count",
                    absl::StrCat("must be 0 or 1 to send once, or at most ",
                                 kMaxBroadcastRepeatCount,
                                 " (a weekly reminder for a year)"));
  }
  const bool interval_valid = days >= 1 && days <= kMaxBroadcastIntervalDays;
  if (count > 1 && !interval_valid) {
    violations->Add("broadcast.repeat_interval_days",
                    absl::StrCat("must be 1-", kMaxBroadcastIntervalDays,
                                 " for a repeated broadcast, e.g. 7 to send "
                                 "it weekly"));
  } else if (count <= 1 && days != 0 && !interval_valid) {
    violations->Add("broadcast.repeat_interval_days",
                    absl::StrCat("must be 0 (or 1-", kMaxBroadcastIntervalDays,
                                 ") for a broadcast sent once"));
  }
}

}  // namespace

absl::Status RequireBroadcastStaff(const auth::Principal& principal,
                                   absl::string_view municipality) {
  if (principal.role != auth::Role::kCaseworker &&
      principal.role != auth::Role::kCoordinator) {
    return PermissionDeniedError(
        "ROLE",
        "broadcasts are sent and read by the municipality's caseworkers and "
        "coordinators; ask your coordinator to send the announcement");
  }
  return auth::RequireMunicipality(principal, municipality);
}

void NormalizeBroadcast(v1::Broadcast* broadcast) {
  broadcast->set_title(Trimmed(broadcast->title()));
  broadcast->set_body(Trimmed(broadcast->body()));
  if (broadcast->audience().target_case() == v1::Audience::kVolunteersInArea) {
    broadcast->mutable_audience()->set_volunteers_in_area(
        Trimmed(broadcast->audience().volunteers_in_area()));
  }
  if (broadcast->urgency() == v1::URGENCY_UNSPECIFIED) {
    broadcast->set_urgency(v1::URGENCY_NORMAL);
  }
}

void CheckBroadcastFields(const v1::Broadcast& broadcast,
                          absl::string_view municipality, absl::Time now,
                          FieldViolations* violations) {
  CheckAudience(broadcast.audience(), municipality, violations);
  api::CheckText(broadcast.title(), kMaxBroadcastTitleLength,
                 /*required=*/true, "broadcast.title",
                 "one line saying what it is about, e.g. \"New meeting place "
                 "for the language café\"",
                 violations);
  if (absl::StrContains(broadcast.title(), '\n') ||
      absl::StrContains(broadcast.title(), '\r')) {
    violations->Add("broadcast.title",
                    "must be one line; put the details in the body");
  }
  api::CheckText(broadcast.body(), kMaxBroadcastBodyLength, /*required=*/true,
                 "broadcast.body", "the announcement itself", violations);
  if (!v1::Urgency_IsValid(broadcast.urgency())) {
    violations->Add("broadcast.urgency",
                    "must be URGENCY_NORMAL or URGENCY_URGENT");
  }
  CheckStartTime(broadcast, now, violations);
  CheckRepetition(broadcast, violations);
}

int TotalSendings(const v1::Broadcast& broadcast) {
  return broadcast.repeat_count() > 1 ? broadcast.repeat_count() : 1;
}

absl::Time FirstSendTime(const v1::Broadcast& broadcast, absl::Time now) {
  if (!broadcast.has_start_time()) return now;
  const absl::Time start = store::FromTimestamp(broadcast.start_time());
  return start > now ? start : now;
}

absl::Time NextSendTime(absl::Time planned, int interval_days, absl::Time now) {
  if (interval_days < 1) interval_days = 1;
  const absl::TimeZone& zone = Denmark();
  // The part below a second, which civil time drops.
  const absl::Duration fraction =
      planned - absl::FromUnixSeconds(absl::ToUnixSeconds(planned));
  const absl::CivilSecond local = absl::ToCivilSecond(planned, zone);
  absl::CivilDay day(local);
  absl::Time next = planned;
  while (next <= planned || next <= now) {
    day += interval_days;
    next = absl::FromCivil(
               absl::CivilSecond(day.year(), day.month(), day.day(),
                                 local.hour(), local.minute(), local.second()),
               zone) +
           fraction;
  }
  return next;
}

std::string BroadcastDedupeKey(absl::string_view broadcast_name, int sending) {
  return absl::StrCat(broadcast_name, "#", sending);
}

PersonMessage BroadcastMessage(const v1::Broadcast& broadcast, int sending) {
  PersonMessage message;
  message.dedupe_key = BroadcastDedupeKey(broadcast.name(), sending);
  v1::Notification& notification = message.notification;
  notification.set_topic(v1::TOPIC_BROADCASTS);
  notification.set_urgency(broadcast.urgency() == v1::URGENCY_UNSPECIFIED
                               ? v1::URGENCY_NORMAL
                               : broadcast.urgency());
  notification.set_title(broadcast.title());
  notification.set_body(broadcast.body());
  notification.set_resource(broadcast.name());
  notification.set_event_type(kBroadcastType);
  // A broadcast's sending has no event of its own before it is made; its
  // dedupe key identifies it the same way.
  notification.set_event_id(message.dedupe_key);
  return message;
}

std::string DescribeAudience(const v1::Audience& audience) {
  switch (audience.target_case()) {
    case v1::Audience::kForum:
      return absl::StrCat("forum ", audience.forum());
    case v1::Audience::kVolunteersInArea:
      return audience.volunteers_in_area().empty()
                 ? "volunteers in the whole municipality"
                 : absl::StrCat("volunteers in ",
                                audience.volunteers_in_area());
    case v1::Audience::kActorKind: {
      std::string kind = absl::AsciiStrToLower(absl::StripPrefix(
          rv1::ActorKind_Name(audience.actor_kind()), "ACTOR_KIND_"));
      absl::StrReplaceAll({{"_", " "}}, &kind);
      return absl::StrCat("every ", kind.empty() ? "actor" : kind);
    }
    case v1::Audience::TARGET_NOT_SET:
      break;
  }
  return "nobody";
}

}  // namespace brobygger::notifications
