// Who a broadcast reaches, worked out at each sending from what the
// projection knows then: the point of repeating a broadcast is that the
// people in a forum or an area change ("repeat important information
// because actors change").
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_AUDIENCE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_AUDIENCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/broadcast.pb.h"
#include "services/notifications/registry_projection.h"

namespace brobygger::notifications {

// The actor ids of `municipality` the audience names now, each once:
// - forum: its members and its coordinator that are known actors and not
//   newcomers (they have no inbox here); nobody once the forum is
//   dissolved or deleted;
// - volunteers_in_area: the volunteers active in the area (compared
//   without case and accents) or in the whole municipality; every
//   volunteer for "";
// - actor_kind: every actor of the kind (never newcomers).
absl::StatusOr<std::vector<std::string>> ResolveAudience(
    RegistryProjection& projection, absl::string_view municipality,
    const v1::Audience& audience);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_BROADCAST_AUDIENCE_H_
