#include "services/notifications/broadcast_audience.h"

#include <set>
#include <utility>

#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/forum.pb.h"
#include "common/status/macros.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;

absl::StatusOr<std::vector<std::string>> ForumAudience(
    RegistryProjection& projection, absl::string_view municipality,
    absl::string_view forum_name) {
  ASSIGN_OR_RETURN(std::string forum_id,
                   ParseForumId(forum_name, municipality, "audience.forum"));
  ASSIGN_OR_RETURN(std::optional<rv1::Forum> forum,
                   projection.FindForum(municipality, forum_id));
  if (!forum.has_value() || forum->state() == rv1::Forum::STATE_DISSOLVED) {
    return std::vector<std::string>();
  }
  // Members are named by the registry; a name of another municipality or
  // a malformed one cannot be addressed and is passed over.
  std::vector<std::string> candidates;
  std::set<std::string> seen;
  auto add = [&](const std::string& actor_name) {
    auto id = ParseActorId(actor_name, municipality, "member");
    if (id.ok() && seen.insert(*id).second) candidates.push_back(*id);
  };
  for (const rv1::ForumMember& member : forum->members()) add(member.actor());
  if (!forum->coordinator().empty()) add(forum->coordinator());
  ASSIGN_OR_RETURN(std::vector<rv1::Actor> actors,
                   projection.FindActors(municipality, candidates));
  std::vector<std::string> ids;
  ids.reserve(actors.size());
  for (const rv1::Actor& actor : actors) {
    if (actor.kind() == rv1::ACTOR_KIND_NEWCOMER) continue;
    auto id = ParseActorId(actor.name(), municipality, "member");
    if (id.ok()) ids.push_back(*std::move(id));
  }
  return ids;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ResolveAudience(
    RegistryProjection& projection, absl::string_view municipality,
    const v1::Audience& audience) {
  switch (audience.target_case()) {
    case v1::Audience::kForum:
      return ForumAudience(projection, municipality, audience.forum());
    case v1::Audience::kVolunteersInArea:
      return projection.VolunteerIdsInArea(municipality,
                                           audience.volunteers_in_area());
    case v1::Audience::kActorKind:
      if (audience.actor_kind() == rv1::ACTOR_KIND_NEWCOMER ||
          audience.actor_kind() == rv1::ACTOR_KIND_UNSPECIFIED) {
        return std::vector<std::string>();
      }
      return projection.ActorIdsOfKind(municipality, audience.actor_kind());
    case v1::Audience::TARGET_NOT_SET:
      break;
  }
  return std::vector<std::string>();
}

}  // namespace brobygger::notifications
