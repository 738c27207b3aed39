// The subscriptions of each municipality, held in memory for the event
// router, which asks for them on every event.
//
// A municipality's subscriptions are loaded whole (the "all" index, in
// batches) and kept until NotificationsKeys::SubscriptionsVersion changes:
// every subscription write bumps it in the same atomic step, so a Get
// costs one GET while nothing changed and sees every create, update and
// delete that happened before it was called. Loads happen outside the
// lock; if two threads load at once, the last one's snapshot is kept,
// and should it be the older one the next Get notices the version and
// reloads. Snapshots are immutable and shared: a router thread keeps
// using its snapshot while another installs a newer one.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_CACHE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_CACHE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "brobygger/notifications/v1/subscription.pb.h"
#include "services/notifications/notifications_context.h"

namespace brobygger::notifications {

// Every subscription of one municipality at one version, by topic.
struct MunicipalitySubscriptions {
  // The SubscriptionsVersion read before loading (0 before any write).
  int64_t version = 0;
  // Topic -> the subscriptions that list it, oldest first. A subscription
  // with several topics is in each of their vectors.
  std::map<v1::Topic, std::vector<v1::Subscription>> by_topic;
  // How many subscriptions were loaded.
  int64_t count = 0;

  // The subscriptions of a topic (empty when none).
  const std::vector<v1::Subscription>& OfTopic(v1::Topic topic) const;
};

class SubscriptionCache {
 public:
  explicit SubscriptionCache(NotificationsContext& ctx) : ctx_(ctx) {}

  SubscriptionCache(const SubscriptionCache&) = delete;
  SubscriptionCache& operator=(const SubscriptionCache&) = delete;

  // The municipality's subscriptions as of now (see above). Thread-safe.
  absl::StatusOr<std::shared_ptr<const MunicipalitySubscriptions>> Get(
      absl::string_view municipality);

  // How many times subscriptions were loaded from Redis (for tests and
  // metrics).
  int64_t loads() const;

 private:
  absl::StatusOr<int64_t> Version(absl::string_view municipality);
  absl::StatusOr<std::shared_ptr<const MunicipalitySubscriptions>> Load(
      absl::string_view municipality, int64_t version);

  NotificationsContext& ctx_;
  mutable absl::Mutex mutex_;
  absl::flat_hash_map<std::string,
                      std::shared_ptr<const MunicipalitySubscriptions>>
      cached_ ABSL_GUARDED_BY(mutex_);
  int64_t loads_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_SUBSCRIPTION_CACHE_H_
