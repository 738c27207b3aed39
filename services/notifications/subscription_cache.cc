#include "services/notifications/subscription_cache.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"

namespace brobygger::notifications {

const std::vector<v1::Subscription>& MunicipalitySubscriptions::OfTopic(
    v1::Topic topic) const {
  static const auto* const kNone = new std::vector<v1::Subscription>();
  const auto found = by_topic.find(topic);
  return found == by_topic.end() ? *kNone : found->second;
}

absl::StatusOr<std::shared_ptr<const MunicipalitySubscriptions>>
SubscriptionCache::Get(absl::string_view municipality) {
  ASSIGN_OR_RETURN(int64_t version, Version(municipality));
  {
    absl::MutexLock lock(&mutex_);
    const auto found = cached_.find(municipality);
    if (found != cached_.end() && found->second->version == version) {
      return found->second;
    }
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const MunicipalitySubscriptions> loaded,
                   Load(municipality, version));
  absl::MutexLock lock(&mutex_);
  ++loads_;
  cached_[std::string(municipality)] = loaded;
  return loaded;
}

int64_t SubscriptionCache::loads() const {
  absl::MutexLock lock(&mutex_);
  return loads_;
}

absl::StatusOr<int64_t> SubscriptionCache::Version(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"GET", ctx_.keys.SubscriptionsVersion(municipality)}));
  if (reply.is_nil()) return 0;
  int64_t version = 0;
  if (!reply.is_string() || !absl::SimpleAtoi(reply.str, &version)) {
    return absl::UnavailableError(absl::StrCat(
        "the subscriptions version of ", municipality, " is not a number",
        reply.is_error() ? absl::StrCat(": ", reply.str) : ""));
  }
  return version;
}

absl::StatusOr<std::shared_ptr<const MunicipalitySubscriptions>>
SubscriptionCache::Load(absl::string_view municipality, int64_t version) {
  auto snapshot = std::make_shared<MunicipalitySubscriptions>();
  snapshot->version = version;
  const std::string index =
      ctx_.keys.AllIndex(municipality, kSubscriptionCollection);
  double after = 0;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     ctx_.store.Scan(index, after, store::kMaxScanBatch));
    if (ids.empty()) break;
    ASSIGN_OR_RETURN(
        std::vector<store::Document> documents,
        ctx_.store.GetMany(municipality, kSubscriptionCollection, ids));
    for (const store::Document& document : documents) {
      v1::Subscription subscription;
      if (!subscription.ParseFromString(document.data)) {
        return absl::DataLossError(absl::StrCat(
            "stored subscription ", document.id, " does not parse"));
      }
      ++snapshot->count;
      for (int topic : subscription.topics()) {
        snapshot->by_topic[static_cast<v1::Topic>(topic)].push_back(
            subscription);
      }
    }
    after = store::IdScore(ids.back());
    if (static_cast<int>(ids.size()) < store::kMaxScanBatch) break;
  }
  return std::shared_ptr<const MunicipalitySubscriptions>(std::move(snapshot));
}

}  // namespace brobygger::notifications
