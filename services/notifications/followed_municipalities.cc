#include "services/notifications/followed_municipalities.h"

#include <algorithm>

#include "common/status/macros.h"

namespace brobygger::notifications {

absl::StatusOr<std::vector<std::string>> FollowedMunicipalities(
    NotificationsContext& ctx) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx.pool.Run({"SMEMBERS", ctx.keys.Municipalities()}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  std::vector<std::string> out;
  out.reserve(reply.elements.size());
  for (const redis::Reply& member : reply.elements) out.push_back(member.str);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace brobygger::notifications
