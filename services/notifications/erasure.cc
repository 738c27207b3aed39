#include "services/notifications/erasure.h"

#include "common/log/log.h"
#include "common/status/macros.h"

namespace brobygger::notifications {

absl::Status Erasure::EraseNewcomer(absl::string_view municipality,
                                    absl::string_view newcomer_id) {
  // Waiting deliveries first: nothing about the newcomer may go out while
  // the rest is erased.
  RETURN_IF_ERROR(deliveries_(municipality, newcomer_id));
  RETURN_IF_ERROR(digests_.RemoveAbout(municipality, newcomer_id).status());
  RETURN_IF_ERROR(inbox_.EraseAbout(municipality, newcomer_id));
  RETURN_IF_ERROR(concerns_.EraseNewcomer(municipality, newcomer_id));
  RETURN_IF_ERROR(dead_letters_.EraseAbout(municipality, newcomer_id));
  log::Info("newcomer erased from notifications",
            {{"municipality", municipality}, {"newcomer", newcomer_id}});
  return absl::OkStatus();
}

absl::Status Erasure::ForgetActor(absl::string_view municipality,
                                  absl::string_view actor_id) {
  RETURN_IF_ERROR(preferences_.Remove(municipality, actor_id));
  return digests_.RemoveRecipient(municipality, actor_id);
}

}  // namespace brobygger::notifications
