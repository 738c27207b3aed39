#include "services/notifications/method_policies.h"

namespace brobygger::notifications {

std::vector<auth::MethodPolicy> NotificationsMethodPolicies() {
  using auth::Role;
  // Every role but the operator has an inbox, subscriptions and
  // preferences of its own (the domain decides whose); operators run the
  // pipeline and see no message, concern or newcomer.
  const std::vector<Role> staff = {Role::kCaseworker, Role::kCoordinator};
  const std::vector<Role> everyone = {Role::kCaseworker, Role::kCoordinator,
                                      Role::kNgoApp, Role::kVolunteer};
  const std::vector<Role> systems = {Role::kCaseworker, Role::kCoordinator,
                                     Role::kNgoApp};
  const std::vector<Role> people = {Role::kCaseworker, Role::kCoordinator,
                                    Role::kVolunteer};
  const std::vector<Role> operators = {Role::kOperator};
  return {
      {"CreateSubscription", everyone},
      {"GetSubscription", everyone},
      {"ListSubscriptions", everyone},
      {"UpdateSubscription", everyone},
      {"DeleteSubscription", everyone},
      {"ListNotifications", everyone},
      {"MarkNotificationsRead", everyone},
      {"WatchNotifications", everyone},
      {"GetNotificationPreferences", everyone},
      {"UpdateNotificationPreferences", everyone},
      {"CreateWebhookEndpoint", systems},
      {"GetWebhookEndpoint", systems},
      {"ListWebhookEndpoints", systems},
      {"UpdateWebhookEndpoint", systems},
      {"DeleteWebhookEndpoint", systems},
      {"RotateWebhookSecret", systems},
      {"CreateBroadcast", staff},
      {"GetBroadcast", staff},
      {"ListBroadcasts", staff},
      {"CancelBroadcast", staff},
      // An NGO app is a system, not a person who worries about someone.
      {"RaiseConcern", people},
      {"GetConcern", people},
      {"ListConcerns", people},
      {"ResolveConcern", people},
      {"ListDeadLetters", operators},
      {"ReplayDeadLetter", operators},
      {"DeleteDeadLetter", operators},
  };
}

}  // namespace brobygger::notifications
