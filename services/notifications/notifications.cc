#include "services/notifications/notifications.h"

#include <utility>

#include "common/status/macros.h"

namespace brobygger::notifications {

Notifications::Notifications(redis::RedisPool& pool,
                             NotificationsOptions options)
    : store_(pool, redis::KeySpace(kServiceName), options.retention),
      ctx_{pool, store_, NotificationsKeys(), options.retention},
      projection_(ctx_),
      inbox_(ctx_),
      watch_hub_(inbox_, options.watch),
      preferences_(ctx_, projection_),
      digests_(pool),
      outbound_(ctx_),
      people_(ctx_, inbox_, preferences_, digests_, projection_,
              [this](absl::string_view m, absl::string_view actor_id,
                     const OutgoingEmail& email) {
                return SendEmail(m, actor_id, email);
              }),
      concern_notifier_(people_),
      concerns_(ctx_, projection_, concern_notifier_),
      subscriptions_(ctx_, projection_),
      subscription_cache_(ctx_),
      webhooks_(ctx_, projection_),
      broadcasts_(ctx_, projection_, people_),
      broadcast_scheduler_(ctx_, broadcasts_, options.broadcasts),
      dead_letters_(ctx_, DeadLetters::Replayers{
                              [this](const events::v1::Event& event) {
                                return router_.Handle(event);
                              },
                              [this](const events::StreamEntry& entry) {
                                return outbound_.Requeue(entry);
                              }}),
      erasure_(inbox_, concerns_, digests_, dead_letters_, preferences_,
               [this](absl::string_view m, absl::string_view newcomer) {
                 return outbound_.EraseAbout(m, newcomer).status();
               }),
      router_(
          ctx_, projection_, subscription_cache_, people_,
          [this](absl::string_view m, absl::string_view webhook_id,
                 const events::v1::Event& event, absl::string_view about) {
            return outbound_.EnqueueWebhook(m, webhook_id, event, about);
          },
          concerns_, concern_notifier_, erasure_),
      delivery_worker_(ctx_, outbound_, webhooks_, options.delivery),
      digest_sender_(
          ctx_, digests_, preferences_, projection_,
          [this](absl::string_view m, absl::string_view actor_id,
                 const OutgoingEmail& email) {
            return SendEmail(m, actor_id, email);
          },
          options.digests) {
  for (const char* source : kSources) {
    followers_.push_back(std::make_unique<events::TenantFollower>(
        pool, ctx_.keys.space(),
        events::FollowOptions(options.follower, kServiceName, source,
                              ctx_.keys.Municipalities(),
                              ctx_.keys.DeadLetters()),
        [this](const events::v1::Event& event) {
          return router_.Handle(event);
        }));
  }
}

absl::Status Notifications::SendEmail(absl::string_view municipality,
                                      absl::string_view actor_id,
                                      const OutgoingEmail& email) {
  OutboundEmail queued;
  queued.actor_id = std::string(actor_id);
  queued.message.to_address = email.to_address;
  queued.message.to_name = email.to_name;
  queued.message.subject = email.subject;
  queued.message.text_body = email.text_body;
  queued.dedupe_key = email.dedupe_key;
  queued.about_newcomer = email.about_newcomer;
  return outbound_.EnqueueEmail(municipality, queued);
}

absl::Status Notifications::Follow(absl::string_view municipality) {
  // They share the set; each call also makes that follower pick the
  // municipality up at once instead of at its next refresh.
  for (auto& follower : followers_) {
    RETURN_IF_ERROR(follower->Follow(municipality));
  }
  return absl::OkStatus();
}

void Notifications::Start() {
  for (auto& follower : followers_) follower->Start();
  watch_hub_.Start();
  delivery_worker_.Start();
  digest_sender_.Start();
  broadcast_scheduler_.Start();
}

void Notifications::Stop() {
  broadcast_scheduler_.Stop();
  digest_sender_.Stop();
  delivery_worker_.Stop();
  watch_hub_.Stop();
  for (auto& follower : followers_) follower->Stop();
}

}  // namespace brobygger::notifications
