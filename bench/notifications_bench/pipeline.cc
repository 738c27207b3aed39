#include "bench/notifications_bench/pipeline.h"

#include <utility>

#include "common/redis/keys.h"
#include "tests/support/test_principals.h"

namespace brobygger::bench {

namespace nt = ::brobygger::notifications;

InProcessNotifications::InProcessNotifications(redis::RedisPool& pool)
    : pool_(pool),
      documents_(pool, nt::NotificationsKeys().space(),
                 events::StreamRetention{}),
      ctx_{pool, documents_, nt::NotificationsKeys(),
           events::StreamRetention{}},
      projection_(ctx_),
      inbox_(ctx_),
      preferences_(ctx_, projection_),
      digests_(pool),
      people_(ctx_, inbox_, preferences_, digests_, projection_,
              [this](absl::string_view, absl::string_view,
                     const nt::OutgoingEmail&) {
                ++emails_;
                return absl::OkStatus();
              }),
      concern_notifier_(people_),
      concerns_(ctx_, projection_, concern_notifier_),
      subscriptions_(ctx_, projection_),
      cache_(ctx_),
      dead_letters_(ctx_, nt::DeadLetters::Replayers{}),
      erasure_(inbox_, concerns_, digests_, dead_letters_, preferences_,
               [](absl::string_view, absl::string_view) {
                 return absl::OkStatus();
               }),
      router_(
          ctx_, projection_, cache_, people_,
          [this](absl::string_view, absl::string_view, const events::v1::Event&,
                 absl::string_view) {
            ++webhooks_;
            return absl::OkStatus();
          },
          concerns_, concern_notifier_, erasure_),
      broadcasts_(ctx_, projection_, people_) {}

std::unique_ptr<events::TenantFollower> InProcessNotifications::Follower(
    const std::string& source_service, const std::string& tenants_key,
    const std::string& consumer, absl::Duration block,
    events::TenantFollower::Handler handler) {
  events::FollowerSettings settings;
  settings.consumer = consumer;
  settings.block = block;
  return std::make_unique<events::TenantFollower>(
      pool_, ctx_.keys.space(),
      events::FollowOptions(settings, nt::kServiceName, source_service,
                            tenants_key, ctx_.keys.DeadLetters()),
      std::move(handler));
}

auth::Principal Coordinator(const std::string& municipality) {
  return test::MakePrincipal("bench-coordinator", auth::Role::kCoordinator,
                             municipality);
}

std::string BenchKey(const std::string& name) {
  return redis::KeySpace("notifications_bench").GlobalKey({name});
}

}  // namespace brobygger::bench
