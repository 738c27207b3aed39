// Actors' notification preferences (preferences.proto), one document per
// inbox, and the index of the actors who chose e-mail, so that a message
// to 100,000 people loads the preferences of the few who want more than
// their inbox, not of everyone.
//
// Preferences hold an e-mail address (personal data): they publish no
// event, and only the inbox's readers (inbox_access.h) see or change them.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_PREFERENCES_STORE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_PREFERENCES_STORE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/notifications/v1/preferences.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/registry_projection.h"

namespace brobygger::notifications {

class PreferencesStore {
 public:
  PreferencesStore(NotificationsContext& ctx, RegistryProjection& projection)
      : ctx_(ctx), projection_(projection) {}

  // As stored (the defaults spelled out until first changed), with name
  // and etag.
  absl::StatusOr<v1::NotificationPreferences> Get(
      const auth::Principal& principal, absl::string_view name);
  absl::StatusOr<v1::NotificationPreferences> Update(
      const auth::Principal& principal,
      const v1::NotificationPreferences& patch,
      const google::protobuf::FieldMask& mask);

  // Of `actor_ids`, those who chose e-mail for any urgency, with their
  // effective preferences (EffectivePreferences).
  absl::StatusOr<std::map<std::string, v1::NotificationPreferences>>
  EmailRecipients(absl::string_view municipality,
                  const std::vector<std::string>& actor_ids);
  // One actor's effective preferences.
  absl::StatusOr<v1::NotificationPreferences> Effective(
      absl::string_view municipality, absl::string_view actor_id);

  // Removes an actor's preferences (the actor left the registry).
  absl::Status Remove(absl::string_view municipality,
                      absl::string_view actor_id);

 private:
  std::string EmailIndex(absl::string_view municipality) const;

  NotificationsContext& ctx_;
  RegistryProjection& projection_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_PREFERENCES_STORE_H_
