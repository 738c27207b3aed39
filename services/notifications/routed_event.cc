#include "services/notifications/routed_event.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "brobygger/catalogue/v1/events.pb.h"
#include "brobygger/matching/v1/events.pb.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/store/resource_io.h"
#include "common/text/utf8.h"
#include "services/notifications/broadcast_rules.h"

namespace brobygger::notifications {
namespace {

namespace cv1 = ::brobygger::catalogue::v1;
namespace mv1 = ::brobygger::matching::v1;
namespace rv1 = ::brobygger::registry::v1;

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxBody = 2000;

std::string CategoryWords(cv1::Category category) {
  switch (category) {
    case cv1::CATEGORY_LANGUAGE_CAFE:
      return "language café";
    case cv1::CATEGORY_HOMEWORK_HELP:
      return "homework help";
    case cv1::CATEGORY_COMMUNAL_DINING:
      return "communal dining";
    case cv1::CATEGORY_SPORT_AND_LEISURE:
      return "sport and leisure";
    case cv1::CATEGORY_CULTURE:
      return "culture";
    case cv1::CATEGORY_COUNSELLING:
      return "counselling";
    case cv1::CATEGORY_HOUSING:
      return "housing";
    case cv1::CATEGORY_EMPLOYMENT_AND_INTERNSHIPS:
      return "employment and internships";
    case cv1::CATEGORY_HEALTH:
      return "health";
    case cv1::CATEGORY_CHILDREN_AND_YOUTH:
      return "children and youth";
    case cv1::CATEGORY_DONATIONS_AND_SECOND_HAND:
      return "donations and second hand";
    case cv1::CATEGORY_MEETING_PLACE:
      return "meeting place";
    default:
      return "activity";
  }
}

std::string KindWords(mv1::MatchKind kind) {
  switch (kind) {
    case mv1::MATCH_KIND_RECEPTION_BUDDY:
      return "reception buddy";
    case mv1::MATCH_KIND_MENTOR:
      return "mentor";
    case mv1::MATCH_KIND_NETWORK_FAMILY:
      return "network family";
    case mv1::MATCH_KIND_FRIENDSHIP_FAMILY:
      return "friendship family";
    default:
      return "volunteer";
  }
}

RoutedEvent Bounded(RoutedEvent routed) {
  routed.title = text::TruncateUtf8(routed.title, kMaxTitle);
  routed.body = text::TruncateUtf8(routed.body, kMaxBody);
  return routed;
}

std::optional<RoutedEvent> FromActivity(const cv1::Activity& activity,
                                        absl::string_view what,
                                        absl::string_view extra) {
  // Municipal tasks are appointments the municipality makes with one
  // newcomer, not offers to announce; drafts are not public yet.
  if (activity.kind() == cv1::ACTIVITY_KIND_MUNICIPAL_TASK) return std::nullopt;
  RoutedEvent routed;
  routed.topic = v1::TOPIC_ACTIVITIES;
  routed.resource = activity.name();
  routed.category = activity.category();
  if (!activity.place().area().empty()) {
    routed.areas.push_back(activity.place().area());
  }
  const std::string where = activity.place().area().empty()
                                ? std::string()
                                : absl::StrCat(" in ", activity.place().area());
  routed.title = absl::StrCat(what, where, ": ", activity.display_name());
  routed.body = absl::StrCat(
      activity.display_name(), " (", CategoryWords(activity.category()), ")",
      activity.organiser_display_name().empty()
          ? ""
          : absl::StrCat(" by ", activity.organiser_display_name()),
      where, ".", extra);
  return Bounded(std::move(routed));
}

std::optional<RoutedEvent> FromMatch(const mv1::Match& match,
                                     absl::string_view sentence,
                                     v1::Urgency urgency) {
  RoutedEvent routed;
  routed.topic = v1::TOPIC_MATCHES;
  routed.urgency = urgency;
  routed.resource = match.name();
  routed.volunteer = match.volunteer();
  routed.organisation = match.organisation();
  const std::string kind = KindWords(match.kind());
  routed.title = absl::StrCat("Match as ", kind, ": ", sentence);
  routed.body =
      absl::StrCat("The match ", match.name(), " (", kind, ") ", sentence,
                   ". Open it in your app for the details.");
  return Bounded(std::move(routed));
}

std::optional<RoutedEvent> FromForum(const rv1::Forum& forum,
                                     absl::string_view what) {
  RoutedEvent routed;
  routed.topic = v1::TOPIC_FORUMS;
  routed.resource = forum.name();
  routed.forum = forum.name();
  routed.title = absl::StrCat(forum.display_name(), ": ", what);
  std::string body = absl::StrCat(forum.display_name(), " ", what, ".");
  const rv1::TermsOfReference& terms = forum.terms_of_reference();
  if (!terms.meeting_frequency().empty()) {
    absl::StrAppend(&body, " Meets ", terms.meeting_frequency(), ".");
  }
  if (!terms.purpose().empty()) {
    absl::StrAppend(&body, " Purpose: ", terms.purpose());
  }
  routed.body = std::move(body);
  return Bounded(std::move(routed));
}

std::optional<RoutedEvent> FromPlacedNewcomer(const rv1::Actor& newcomer) {
  RoutedEvent routed;
  routed.topic = v1::TOPIC_NEWCOMER_PLACED;
  routed.resource = newcomer.name();
  routed.about_newcomer = store::IdOf(newcomer.name());
  routed.to_webhooks = false;
  routed.areas.assign(newcomer.areas().begin(), newcomer.areas().end());
  const std::string town = absl::StrJoin(newcomer.areas(), ", ");
  const std::string& first_name = newcomer.newcomer().first_name();
  routed.title = absl::StrCat("A newcomer has come to ", town);
  std::string body = absl::StrCat(
      first_name.empty() ? "A newcomer" : first_name, " now lives in ", town,
      " and would like contact with volunteers.");
  std::vector<std::string> languages;
  for (const rv1::LanguageSkill& skill : newcomer.languages()) {
    languages.push_back(skill.code());
  }
  if (!languages.empty()) {
    absl::StrAppend(&body, " Languages: ", absl::StrJoin(languages, ", "), ".");
  }
  if (!newcomer.newcomer().needs().empty()) {
    absl::StrAppend(&body, " Would like help with: ",
                    absl::StrJoin(newcomer.newcomer().needs(), ", "), ".");
  }
  absl::StrAppend(&body,
                  " Contact the municipality's coordinator before reaching "
                  "out.");
  routed.body = std::move(body);
  return Bounded(std::move(routed));
}

std::optional<RoutedEvent> FromConcern(const v1::Concern& concern,
                                       absl::string_view what,
                                       v1::Urgency urgency) {
  RoutedEvent routed;
  routed.topic = v1::TOPIC_CONCERNS;
  routed.urgency = urgency;
  routed.resource = concern.name();
  routed.about_newcomer = store::IdOf(concern.newcomer());
  routed.to_webhooks = false;
  routed.title = absl::StrCat("Concern about ", concern.topic(), " ", what);
  routed.body = absl::StrCat(
      "A concern about ", concern.topic(), " ", what, "; ",
      concern.contact_display_name().empty() ? concern.contact()
                                             : concern.contact_display_name(),
      " handles it. Open ", concern.name(), " for the details.");
  return Bounded(std::move(routed));
}

std::optional<RoutedEvent> FromBroadcast(const v1::Broadcast& broadcast) {
  RoutedEvent routed;
  routed.topic = v1::TOPIC_BROADCASTS;
  routed.urgency = broadcast.urgency() == v1::URGENCY_URGENT
                       ? v1::URGENCY_URGENT
                       : v1::URGENCY_NORMAL;
  routed.resource = broadcast.name();
  routed.title = broadcast.title();
  routed.body = broadcast.body();
  routed.dedupe_key =
      BroadcastDedupeKey(broadcast.name(), broadcast.sent_count());
  return Bounded(std::move(routed));
}

}  // namespace

std::optional<RoutedEvent> ClassifyEvent(
    const events::v1::Event& event,
    const std::optional<rv1::Actor>& placed_newcomer) {
  const google::protobuf::Any& payload = event.payload();

  if (cv1::ActivityPublished published; payload.UnpackTo(&published)) {
    return FromActivity(published.activity(), "New activity", "");
  }
  if (cv1::ActivityChanged changed; payload.UnpackTo(&changed)) {
    if (changed.activity().state() != cv1::ACTIVITY_STATE_PUBLISHED) {
      return std::nullopt;
    }
    return FromActivity(changed.activity(), "Activity changed",
                        " Check the new details before you go.");
  }
  if (cv1::ActivityCancelled cancelled; payload.UnpackTo(&cancelled)) {
    return FromActivity(
        cancelled.activity(), "Activity cancelled",
        cancelled.reason().empty()
            ? std::string(" It will not take place.")
            : absl::StrCat(" It will not take place: ", cancelled.reason()));
  }

  if (mv1::MatchProposed proposed; payload.UnpackTo(&proposed)) {
    return FromMatch(proposed.match(), "proposed, waiting for an answer",
                     v1::URGENCY_URGENT);
  }
  if (mv1::MatchAccepted accepted; payload.UnpackTo(&accepted)) {
    return FromMatch(accepted.match(), "accepted", v1::URGENCY_NORMAL);
  }
  if (mv1::MatchDeclined declined; payload.UnpackTo(&declined)) {
    return FromMatch(declined.match(), "declined", v1::URGENCY_NORMAL);
  }
  if (mv1::MatchExpired expired; payload.UnpackTo(&expired)) {
    return FromMatch(expired.match(), "expired without an answer",
                     v1::URGENCY_NORMAL);
  }
  if (mv1::MatchActivated activated; payload.UnpackTo(&activated)) {
    return FromMatch(activated.match(), "is now active", v1::URGENCY_NORMAL);
  }
  if (mv1::MatchEnded ended; payload.UnpackTo(&ended)) {
    return FromMatch(ended.match(), "has ended", v1::URGENCY_NORMAL);
  }

  if (rv1::ForumCreated created; payload.UnpackTo(&created)) {
    return FromForum(created.forum(), "was set up");
  }
  if (rv1::ForumUpdated updated; payload.UnpackTo(&updated)) {
    return FromForum(updated.forum(), "has changed");
  }
  if (rv1::ForumDissolved dissolved; payload.UnpackTo(&dissolved)) {
    return FromForum(dissolved.forum(), "was dissolved");
  }
  if (placed_newcomer.has_value()) return FromPlacedNewcomer(*placed_newcomer);

  if (v1::ConcernRaised raised; payload.UnpackTo(&raised)) {
    return FromConcern(raised.concern(), "was raised", v1::URGENCY_NORMAL);
  }
  if (v1::ConcernResolved resolved; payload.UnpackTo(&resolved)) {
    return FromConcern(resolved.concern(), "was resolved", v1::URGENCY_NORMAL);
  }
  if (v1::BroadcastSent sent; payload.UnpackTo(&sent)) {
    return FromBroadcast(sent.broadcast());
  }
  return std::nullopt;
}

}  // namespace brobygger::notifications
