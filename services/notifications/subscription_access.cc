#include "services/notifications/subscription_access.h"

#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {

bool IsStaff(const auth::Principal& principal) {
  return principal.role == auth::Role::kCaseworker ||
         principal.role == auth::Role::kCoordinator;
}

absl::Status RequireSubscriptionRole(const auth::Principal& principal,
                                     absl::string_view municipality) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  if (principal.role == auth::Role::kOperator) {
    return PermissionDeniedError(
        "ROLE",
        "operators handle dead letters; subscriptions are managed by "
        "staff, organisations' apps and volunteers themselves");
  }
  return absl::OkStatus();
}

absl::Status RequireWebhookRole(const auth::Principal& principal,
                                absl::string_view municipality) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  if (!IsStaff(principal) && principal.role != auth::Role::kNgoApp) {
    return PermissionDeniedError(
        "ROLE",
        "webhook endpoints are an organisation's systems: managed by its "
        "app or by the municipality's caseworkers and coordinators");
  }
  return absl::OkStatus();
}

bool MayManageWebhooksOf(const auth::Principal& principal,
                         absl::string_view owner) {
  if (IsStaff(principal)) return true;
  return principal.role == auth::Role::kNgoApp &&
         !principal.organisation.empty() && principal.organisation == owner;
}

absl::StatusOr<ManagedScope> ManagedScope::Of(const auth::Principal& principal,
                                              absl::string_view municipality,
                                              RegistryProjection& projection,
                                              SubscriptionStore& store) {
  ManagedScope scope;
  if (IsStaff(principal)) {
    scope.everything_ = true;
    return scope;
  }
  if (principal.role == auth::Role::kVolunteer) {
    if (!principal.subject.empty()) scope.actors_.insert(principal.subject);
    return scope;
  }
  if (principal.role != auth::Role::kNgoApp) return scope;
  // An organisation of another municipality (or none) manages nothing
  // here.
  auto organisation_id =
      ParseActorId(principal.organisation, municipality, "org");
  if (!organisation_id.ok()) return scope;
  scope.actors_.insert(principal.organisation);
  ASSIGN_OR_RETURN(std::vector<std::string> members,
                   projection.MemberIds(municipality, *organisation_id));
  for (const std::string& id : members) {
    scope.actors_.insert(ActorName(municipality, id));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> webhooks,
                   store.WebhookIdsOfOwner(municipality, *organisation_id));
  for (const std::string& id : webhooks) {
    scope.webhooks_.insert(WebhookName(municipality, id));
  }
  return scope;
}

bool ManagedScope::MayManageSubscriber(const std::string& actor_name) const {
  return everything_ || actors_.contains(actor_name);
}

bool ManagedScope::MayManageWebhook(const std::string& webhook_name) const {
  return everything_ || webhooks_.contains(webhook_name);
}

bool ManagedScope::Covers(const v1::Subscription& subscription) const {
  if (subscription.has_webhook()) {
    return MayManageWebhook(subscription.webhook());
  }
  return MayManageSubscriber(subscription.subscriber());
}

absl::Status NotYoursError(const auth::Principal& principal) {
  switch (principal.role) {
    case auth::Role::kVolunteer:
      return PermissionDeniedError(
          "NOT_YOURS",
          "a volunteer manages only their own subscriptions (subscriber = "
          "their own actor)");
    case auth::Role::kNgoApp:
      return PermissionDeniedError(
          "NOT_YOURS",
          "an NGO app manages the subscriptions of its organisation, of the "
          "organisation's members and of its own webhook endpoints only");
    default:
      return PermissionDeniedError("NOT_YOURS",
                                   "not a subscription this caller manages");
  }
}

}  // namespace brobygger::notifications
