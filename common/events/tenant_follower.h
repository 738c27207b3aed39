// Follows another service's event streams, one per municipality, for every
// municipality in a Redis set, with one consumer group.
//
// Each service that keeps a projection of another's data runs one: the
// catalogue and matching follow the registry, the registry follows
// matching. The set of municipalities is read from Redis (so that every
// replica follows the streams that any replica was asked to follow) and
// re-read periodically; Follow() adds one and picks it up at once.
//
// Delivery is EventConsumer's: at least once, acknowledged after the
// handler succeeded, skipped when already processed, dead-lettered after
// repeated failures, entries of crashed replicas reclaimed.
#ifndef BROBYGGER_COMMON_EVENTS_TENANT_FOLLOWER_H_
#define BROBYGGER_COMMON_EVENTS_TENANT_FOLLOWER_H_

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "common/redis/keys.h"
#include "common/redis/redis_pool.h"

namespace brobygger::events {

struct TenantFollowerOptions {
  // The consumer group: the following service, e.g. "catalogue".
  std::string group;
  // Unique per replica, e.g. "<hostname>-<pid>".
  std::string consumer;
  // Whose streams are followed, e.g. "registry" for
  // "registry:{<municipality>}:events".
  std::string source_service;
  // Redis set (or sorted set) of the municipalities to follow.
  std::string tenants_key;
  // Where events that keep failing go.
  std::string dead_letter_stream;
  absl::Duration block = absl::Milliseconds(100);
  absl::Duration tenant_refresh = absl::Seconds(2);
};

// How one replica's follower is set up (the service decides the rest).
struct FollowerSettings {
  std::string consumer;  // unique per replica
  absl::Duration block = absl::Milliseconds(100);
  absl::Duration tenant_refresh = absl::Seconds(2);
};

// The options of `group` following `source_service`'s streams for the
// municipalities in `tenants_key`.
TenantFollowerOptions FollowOptions(const FollowerSettings& settings,
                                    std::string group,
                                    std::string source_service,
                                    std::string tenants_key,
                                    std::string dead_letter_stream);

class TenantFollower {
 public:
  using Handler = std::function<absl::Status(const v1::Event&)>;

  // `processed_keys` is the following service's key space (its processed
  // markers live there).
  TenantFollower(redis::RedisPool& pool, redis::KeySpace processed_keys,
                 TenantFollowerOptions options, Handler handler);
  ~TenantFollower();

  // Makes sure the municipality's stream is followed (adds it to the
  // tenants set). Cheap after the first call per municipality.
  absl::Status Follow(absl::string_view municipality);

  void Start();
  void Stop();

 private:
  void Run();
  absl::StatusOr<std::set<std::string>> Tenants();

  redis::RedisPool& pool_;
  redis::KeySpace processed_keys_;
  TenantFollowerOptions options_;
  Handler handler_;
  std::mutex followed_mutex_;
  std::set<std::string> followed_;
  std::atomic<bool> tenants_changed_{true};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace brobygger::events

#endif  // BROBYGGER_COMMON_EVENTS_TENANT_FOLLOWER_H_
