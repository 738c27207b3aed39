#include "services/notifications/notification_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/server/authorized_call.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/notifications/inbox_access.h"
#include "services/notifications/notification_names.h"
#include "services/notifications/watch_reactor.h"

namespace brobygger::notifications {
namespace {

using ::brobygger::auth::Principal;
using ::brobygger::server::AuthorizedCall;

// The inbox of a "municipalities/{m}/inboxes/{i}" parent, after the
// caller's access was checked.
absl::StatusOr<ParsedName> AccessibleInbox(const Principal& principal,
                                           RegistryProjection& projection,
                                           absl::string_view parent,
                                           absl::string_view method) {
  ASSIGN_OR_RETURN(ParsedName inbox, ParseInboxName(parent, "parent"));
  RETURN_IF_ERROR(
      CheckInboxAccess(principal, projection, inbox.municipality, inbox.id));
  AuditInboxRead(principal, inbox.municipality, inbox.id, method);
  return inbox;
}

absl::Status RequirePlatformOperator(const Principal& principal) {
  if (!principal.all_municipalities()) {
    return absl::PermissionDeniedError(
        "replaying or deleting dead letters needs an operator token for "
        "every municipality");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> NotificationService::Tenant(
    const Principal& principal, const std::string& name,
    absl::string_view field) {
  const std::vector<absl::string_view> parts =
      absl::StrSplit(name, absl::MaxSplits('/', 2));
  if (parts.size() < 2 || parts[0] != "municipalities" ||
      !api::IsValidMunicipalityId(parts[1])) {
    return InvalidFieldError(
        field,
        "must start with \"municipalities/{municipality}\", e.g. "
        "\"municipalities/aalborg\"");
  }
  std::string municipality(parts[1]);
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(notifications_.Follow(municipality));
  return municipality;
}

// --- Subscriptions ------------------------------------------------------

grpc::Status NotificationService::CreateSubscription(
    Context* context, const v1::CreateSubscriptionRequest* request,
    v1::Subscription* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateSubscription",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(const std::string m,
                         Tenant(principal, request->parent(), "parent"));
        ASSIGN_OR_RETURN(*response, notifications_.subscriptions().Create(
                                        principal, m, request->subscription(),
                                        request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::GetSubscription(
    Context* context, const v1::GetSubscriptionRequest* request,
    v1::Subscription* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetSubscription",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response, notifications_.subscriptions().Get(
                                        principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::ListSubscriptions(
    Context* context, const v1::ListSubscriptionsRequest* request,
    v1::ListSubscriptionsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListSubscriptions",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(const std::string m,
                         Tenant(principal, request->parent(), "parent"));
        ASSIGN_OR_RETURN(SubscriptionPage page,
                         notifications_.subscriptions().List(
                             principal, m, request->page_size(),
                             request->page_token(), request->filter()));
        for (v1::Subscription& s : page.subscriptions) {
          *response->add_subscriptions() = std::move(s);
        }
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::UpdateSubscription(
    Context* context, const v1::UpdateSubscriptionRequest* request,
    v1::Subscription* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateSubscription",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->subscription().name(),
                               "subscription.name")
                            .status());
        ASSIGN_OR_RETURN(*response, notifications_.subscriptions().Update(
                                        principal, request->subscription(),
                                        request->update_mask()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::DeleteSubscription(
    Context* context, const v1::DeleteSubscriptionRequest* request,
    google::protobuf::Empty*) {
  return AuthorizedCall(
      *authorizer_, *context, "DeleteSubscription",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        return notifications_.subscriptions().Delete(principal, request->name(),
                                                     request->etag());
      });
}

// --- Inboxes -------------------------------------------------------------

grpc::Status NotificationService::ListNotifications(
    Context* context, const v1::ListNotificationsRequest* request,
    v1::ListNotificationsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListNotifications",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->parent(), "parent").status());
        ASSIGN_OR_RETURN(
            ParsedName inbox,
            AccessibleInbox(principal, notifications_.projection(),
                            request->parent(), "ListNotifications"));
        ASSIGN_OR_RETURN(*response,
                         notifications_.inbox().List(
                             inbox.municipality, inbox.id, request->page_size(),
                             request->page_token(), request->unread_only()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::MarkNotificationsRead(
    Context* context, const v1::MarkNotificationsReadRequest* request,
    v1::MarkNotificationsReadResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "MarkNotificationsRead",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->parent(), "parent").status());
        ASSIGN_OR_RETURN(ParsedName inbox,
                         ParseInboxName(request->parent(), "parent"));
        RETURN_IF_ERROR(CheckInboxAccess(principal, notifications_.projection(),
                                         inbox.municipality, inbox.id));
        // Names must be of this inbox: marking another's messages through
        // one's own inbox would be a way around the access check.
        const auto entry_of =
            [&](const std::string& name,
                const std::string& field) -> absl::StatusOr<std::string> {
          ASSIGN_OR_RETURN(ParsedNotificationName parsed,
                           ParseNotificationName(name, field));
          if (parsed.municipality != inbox.municipality ||
              parsed.inbox != inbox.id) {
            return InvalidFieldError(field, "must be a message of `parent`");
          }
          return parsed.entry;
        };
        std::string up_to;
        std::vector<std::string> entries;
        if (!request->all_up_to().empty()) {
          ASSIGN_OR_RETURN(up_to, entry_of(request->all_up_to(), "all_up_to"));
        } else {
          if (request->names_size() == 0) {
            return InvalidFieldError(
                "names", "name the messages to mark, or set all_up_to");
          }
          if (request->names_size() > InboxStore::kMaxMarkNames) {
            return InvalidFieldError(
                "names", absl::StrCat("at most ", InboxStore::kMaxMarkNames,
                                      " names per call"));
          }
          for (int i = 0; i < request->names_size(); ++i) {
            ASSIGN_OR_RETURN(
                std::string entry,
                entry_of(request->names(i), absl::StrCat("names[", i, "]")));
            entries.push_back(std::move(entry));
          }
        }
        ASSIGN_OR_RETURN(*response,
                         notifications_.inbox().MarkRead(
                             inbox.municipality, inbox.id, entries, up_to));
        return absl::OkStatus();
      });
}

grpc::ServerWriteReactor<v1::WatchNotificationsResponse>*
NotificationService::WatchNotifications(
    grpc::CallbackServerContext* context,
    const v1::WatchNotificationsRequest* request) {
  absl::StatusOr<Principal> principal =
      authorizer_->Authorize(*context, "WatchNotifications");
  if (!principal.ok()) return RejectWatch(principal.status());
  absl::Status tenant =
      Tenant(*principal, request->parent(), "parent").status();
  if (!tenant.ok()) return RejectWatch(tenant);
  absl::StatusOr<ParsedName> inbox =
      AccessibleInbox(*principal, notifications_.projection(),
                      request->parent(), "WatchNotifications");
  if (!inbox.ok()) return RejectWatch(inbox.status());
  return StartWatch(notifications_.watch_hub(), notifications_.inbox(),
                    inbox->municipality, inbox->id, request->cursor());
}

grpc::Status NotificationService::GetNotificationPreferences(
    Context* context, const v1::GetNotificationPreferencesRequest* request,
    v1::NotificationPreferences* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetNotificationPreferences",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response, notifications_.preferences().Get(
                                        principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::UpdateNotificationPreferences(
    Context* context, const v1::UpdateNotificationPreferencesRequest* request,
    v1::NotificationPreferences* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateNotificationPreferences",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal,
                               request->notification_preferences().name(),
                               "notification_preferences.name")
                            .status());
        ASSIGN_OR_RETURN(*response,
                         notifications_.preferences().Update(
                             principal, request->notification_preferences(),
                             request->update_mask()));
        return absl::OkStatus();
      });
}

// --- Webhook endpoints --------------------------------------------------

grpc::Status NotificationService::CreateWebhookEndpoint(
    Context* context, const v1::CreateWebhookEndpointRequest* request,
    v1::WebhookEndpoint* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateWebhookEndpoint",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(const std::string m,
                         Tenant(principal, request->parent(), "parent"));
        ASSIGN_OR_RETURN(*response,
                         notifications_.webhooks().Create(
                             principal, m, request->webhook_endpoint(),
                             request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::GetWebhookEndpoint(
    Context* context, const v1::GetWebhookEndpointRequest* request,
    v1::WebhookEndpoint* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetWebhookEndpoint",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response, notifications_.webhooks().Get(
                                        principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::ListWebhookEndpoints(
    Context* context, const v1::ListWebhookEndpointsRequest* request,
    v1::ListWebhookEndpointsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListWebhookEndpoints",
      [&](const Principal& principal) -> absl::Status {
        ASSIGN_OR_RETURN(const std::string m,
                         Tenant(principal, request->parent(), "parent"));
        ASSIGN_OR_RETURN(
            WebhookPage page,
            notifications_.webhooks().List(principal, m, request->page_size(),
                                           request->page_token()));
        for (v1::WebhookEndpoint& e : page.webhook_endpoints) {
          *response->add_webhook_endpoints() = std::move(e);
        }
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::UpdateWebhookEndpoint(
    Context* context, const v1::UpdateWebhookEndpointRequest* request,
    v1::WebhookEndpoint* response) {
  return AuthorizedCall(
      *authorizer_, *context, "UpdateWebhookEndpoint",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->webhook_endpoint().name(),
                               "webhook_endpoint.name")
                            .status());
        ASSIGN_OR_RETURN(*response, notifications_.webhooks().Update(
                                        principal, request->webhook_endpoint(),
                                        request->update_mask()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::DeleteWebhookEndpoint(
    Context* context, const v1::DeleteWebhookEndpointRequest* request,
    google::protobuf::Empty*) {
  return AuthorizedCall(
      *authorizer_, *context, "DeleteWebhookEndpoint",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        return notifications_.webhooks().Delete(principal, request->name(),
                                                request->etag());
      });
}

grpc::Status NotificationService::RotateWebhookSecret(
    Context* context, const v1::RotateWebhookSecretRequest* request,
    v1::WebhookEndpoint* response) {
  return AuthorizedCall(
      *authorizer_, *context, "RotateWebhookSecret",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response, notifications_.webhooks().RotateSecret(
                                        principal, request->name()));
        return absl::OkStatus();
      });
}

// --- Broadcasts ---------------------------------------------------------

grpc::Status NotificationService::CreateBroadcast(
    Context* context, const v1::CreateBroadcastRequest* request,
    v1::Broadcast* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CreateBroadcast",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->parent(), "parent").status());
        ASSIGN_OR_RETURN(*response,
                         notifications_.broadcasts().Create(
                             principal, request->parent(), request->broadcast(),
                             request->request_id()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::GetBroadcast(
    Context* context, const v1::GetBroadcastRequest* request,
    v1::Broadcast* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetBroadcast",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response, notifications_.broadcasts().Get(
                                        principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::ListBroadcasts(
    Context* context, const v1::ListBroadcastsRequest* request,
    v1::ListBroadcastsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListBroadcasts",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->parent(), "parent").status());
        ASSIGN_OR_RETURN(BroadcastPage page,
                         notifications_.broadcasts().List(
                             principal, request->parent(), request->page_size(),
                             request->page_token()));
        for (v1::Broadcast& b : page.broadcasts) {
          *response->add_broadcasts() = std::move(b);
        }
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::CancelBroadcast(
    Context* context, const v1::CancelBroadcastRequest* request,
    v1::Broadcast* response) {
  return AuthorizedCall(
      *authorizer_, *context, "CancelBroadcast",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response,
                         notifications_.broadcasts().Cancel(
                             principal, request->name(), request->etag()));
        return absl::OkStatus();
      });
}

// --- Concerns -----------------------------------------------------------

grpc::Status NotificationService::RaiseConcern(
    Context* context, const v1::RaiseConcernRequest* request,
    v1::RaiseConcernResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "RaiseConcern",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->parent(), "parent").status());
        ASSIGN_OR_RETURN(RaiseResult result,
                         notifications_.concerns().Raise(
                             principal, request->parent(), request->concern(),
                             request->request_id()));
        *response->mutable_concern() = std::move(result.concern);
        response->set_joined_existing(result.joined_existing);
        response->set_message(result.message);
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::GetConcern(
    Context* context, const v1::GetConcernRequest* request,
    v1::Concern* response) {
  return AuthorizedCall(
      *authorizer_, *context, "GetConcern",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response, notifications_.concerns().Get(
                                        principal, request->name()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::ListConcerns(
    Context* context, const v1::ListConcernsRequest* request,
    v1::ListConcernsResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListConcerns",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(
            Tenant(principal, request->parent(), "parent").status());
        ASSIGN_OR_RETURN(ConcernPage page,
                         notifications_.concerns().List(
                             principal, request->parent(), request->page_size(),
                             request->page_token(), request->filter()));
        for (v1::Concern& c : page.concerns) {
          *response->add_concerns() = std::move(c);
        }
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::ResolveConcern(
    Context* context, const v1::ResolveConcernRequest* request,
    v1::Concern* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ResolveConcern",
      [&](const Principal& principal) -> absl::Status {
        RETURN_IF_ERROR(Tenant(principal, request->name(), "name").status());
        ASSIGN_OR_RETURN(*response,
                         notifications_.concerns().Resolve(
                             principal, request->name(), request->resolution(),
                             request->etag()));
        return absl::OkStatus();
      });
}

// --- Dead letters (operators; across municipalities) -------------------

grpc::Status NotificationService::ListDeadLetters(
    Context* context, const v1::ListDeadLettersRequest* request,
    v1::ListDeadLettersResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ListDeadLetters",
      [&](const Principal& principal) -> absl::Status {
        if (!request->municipality().empty()) {
          RETURN_IF_ERROR(
              auth::RequireMunicipality(principal, request->municipality()));
        } else if (!principal.all_municipalities()) {
          return InvalidFieldError(
              "municipality", "name one of the municipalities of your token");
        }
        ASSIGN_OR_RETURN(*response,
                         notifications_.dead_letters().List(*request));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::ReplayDeadLetter(
    Context* context, const v1::ReplayDeadLetterRequest* request,
    v1::ReplayDeadLetterResponse* response) {
  return AuthorizedCall(
      *authorizer_, *context, "ReplayDeadLetter",
      [&](const Principal& principal) -> absl::Status {
        // Dead letters mix municipalities: only platform operators act on
        // them one by one.
        RETURN_IF_ERROR(RequirePlatformOperator(principal));
        ASSIGN_OR_RETURN(*response->mutable_dead_letter(),
                         notifications_.dead_letters().Replay(request->name()));
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::DeleteDeadLetter(
    Context* context, const v1::DeleteDeadLetterRequest* request,
    google::protobuf::Empty*) {
  return AuthorizedCall(
      *authorizer_, *context, "DeleteDeadLetter",
      [&](const Principal& principal) -> absl::Status {
        // Dead letters mix municipalities: only platform operators act on
        // them one by one.
        RETURN_IF_ERROR(RequirePlatformOperator(principal));
        return notifications_.dead_letters().Delete(request->name());
      });
}

}  // namespace brobygger::notifications
