// The gRPC edge of the notification service: authorises each call, learns
// the municipality it touches (and starts following its streams), runs the
// domain and translates its status. WatchNotifications is a callback
// (reactor) method, so an open watch holds no server thread.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATION_SERVICE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATION_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "brobygger/notifications/v1/notification_service.grpc.pb.h"
#include "common/auth/authorizer.h"
#include "services/notifications/notifications.h"

namespace brobygger::notifications {

class NotificationService final
    : public v1::NotificationService::WithCallbackMethod_WatchNotifications<
          v1::NotificationService::Service> {
 public:
  NotificationService(Notifications& notifications,
                      std::shared_ptr<const auth::Authorizer> authorizer)
      : notifications_(notifications), authorizer_(std::move(authorizer)) {}

  using Context = grpc::ServerContext;

  grpc::Status CreateSubscription(Context*,
                                  const v1::CreateSubscriptionRequest*,
                                  v1::Subscription*) override;
  grpc::Status GetSubscription(Context*, const v1::GetSubscriptionRequest*,
                               v1::Subscription*) override;
  grpc::Status ListSubscriptions(Context*, const v1::ListSubscriptionsRequest*,
                                 v1::ListSubscriptionsResponse*) override;
  grpc::Status UpdateSubscription(Context*,
                                  const v1::UpdateSubscriptionRequest*,
                                  v1::Subscription*) override;
  grpc::Status DeleteSubscription(Context*,
                                  const v1::DeleteSubscriptionRequest*,
                                  google::protobuf::Empty*) override;
  grpc::Status ListNotifications(Context*, const v1::ListNotificationsRequest*,
                                 v1::ListNotificationsResponse*) override;
  grpc::Status MarkNotificationsRead(
      Context*, const v1::MarkNotificationsReadRequest*,
      v1::MarkNotificationsReadResponse*) override;
  grpc::Status GetNotificationPreferences(
      Context*, const v1::GetNotificationPreferencesRequest*,
      v1::NotificationPreferences*) override;
  grpc::Status UpdateNotificationPreferences(
      Context*, const v1::UpdateNotificationPreferencesRequest*,
      v1::NotificationPreferences*) override;
  grpc::Status CreateWebhookEndpoint(Context*,
                                     const v1::CreateWebhookEndpointRequest*,
                                     v1::WebhookEndpoint*) override;
  grpc::Status GetWebhookEndpoint(Context*,
                                  const v1::GetWebhookEndpointRequest*,
                                  v1::WebhookEndpoint*) override;
  grpc::Status ListWebhookEndpoints(Context*,
                                    const v1::ListWebhookEndpointsRequest*,
                                    v1::ListWebhookEndpointsResponse*) override;
  grpc::Status UpdateWebhookEndpoint(Context*,
                                     const v1::UpdateWebhookEndpointRequest*,
                                     v1::WebhookEndpoint*) override;
  grpc::Status DeleteWebhookEndpoint(Context*,
                                     const v1::DeleteWebhookEndpointRequest*,
                                     google::protobuf::Empty*) override;
  grpc::Status RotateWebhookSecret(Context*,
                                   const v1::RotateWebhookSecretRequest*,
                                   v1::WebhookEndpoint*) override;
  grpc::Status CreateBroadcast(Context*, const v1::CreateBroadcastRequest*,
                               v1::Broadcast*) override;
  grpc::Status GetBroadcast(Context*, const v1::GetBroadcastRequest*,
                            v1::Broadcast*) override;
  grpc::Status ListBroadcasts(Context*, const v1::ListBroadcastsRequest*,
                              v1::ListBroadcastsResponse*) override;
  grpc::Status CancelBroadcast(Context*, const v1::CancelBroadcastRequest*,
                               v1::Broadcast*) override;
  grpc::Status RaiseConcern(Context*, const v1::RaiseConcernRequest*,
                            v1::RaiseConcernResponse*) override;
  grpc::Status GetConcern(Context*, const v1::GetConcernRequest*,
                          v1::Concern*) override;
  grpc::Status ListConcerns(Context*, const v1::ListConcernsRequest*,
                            v1::ListConcernsResponse*) override;
  grpc::Status ResolveConcern(Context*, const v1::ResolveConcernRequest*,
                              v1::Concern*) override;
  grpc::Status ListDeadLetters(Context*, const v1::ListDeadLettersRequest*,
                               v1::ListDeadLettersResponse*) override;
  grpc::Status ReplayDeadLetter(Context*, const v1::ReplayDeadLetterRequest*,
                                v1::ReplayDeadLetterResponse*) override;
  grpc::Status DeleteDeadLetter(Context*, const v1::DeleteDeadLetterRequest*,
                                google::protobuf::Empty*) override;

  grpc::ServerWriteReactor<v1::WatchNotificationsResponse>* WatchNotifications(
      grpc::CallbackServerContext* context,
      const v1::WatchNotificationsRequest* request) override;

 private:
  // The municipality of a name ("municipalities/{m}/..."), after checking
  // the caller may act in it; its streams are followed from now on.
  absl::StatusOr<std::string> Tenant(const auth::Principal& principal,
                                     const std::string& name,
                                     absl::string_view field);

  Notifications& notifications_;
  std::shared_ptr<const auth::Authorizer> authorizer_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATION_SERVICE_H_
