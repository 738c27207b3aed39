#include "services/notifications/watch_hub.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/log/log.h"
#include "services/notifications/inbox_entry_id.h"

namespace brobygger::notifications {
namespace {

v1::WatchNotificationsResponse Heartbeat(const std::string& cursor) {
  v1::WatchNotificationsResponse response;
  response.set_cursor(cursor);
  return response;
}

// ".../notifications/<entry id>" -> the entry id.
std::string EntryIdOf(const std::string& name) {
  return name.substr(name.rfind('/') + 1);
}

}  // namespace

WatchHub::Watch::Watch(std::string municipality, std::string inbox,
                       std::string cursor, Listener* listener)
    : municipality_(std::move(municipality)),
      inbox_(std::move(inbox)),
      listener_(listener),
      cursor_(std::move(cursor)) {}

std::optional<v1::WatchNotificationsResponse> WatchHub::Watch::Pop() {
  absl::MutexLock lock(&mu_);
  if (queue_.empty()) return std::nullopt;
  v1::WatchNotificationsResponse response = std::move(queue_.front());
  queue_.pop_front();
  return response;
}

size_t WatchHub::Watch::Queued() {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

WatchHub::WatchHub(InboxStore& store, WatchHubOptions options)
    : store_(store), options_(options) {}

WatchHub::~WatchHub() { Stop(); }

void WatchHub::Start() {
  absl::MutexLock lock(&mu_);
  if (started_ || stopping_) return;
  started_ = true;
  thread_ = std::thread([this] { Run(); });
}

void WatchHub::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  std::map<std::string, WatchSet> watches;
  {
    absl::MutexLock lock(&mu_);
    watches.swap(watches_);
  }
  for (auto& [municipality, set] : watches) {
    for (auto& [raw, watch] : set) Notify(*watch, /*stopped=*/true);
  }
}

absl::StatusOr<std::shared_ptr<WatchHub::Watch>> WatchHub::Add(
    std::string municipality, std::string inbox, std::string cursor,
    Listener* listener) {
  std::shared_ptr<Watch> watch(
      new Watch(std::move(municipality), std::move(inbox), cursor, listener));
  watch->last_queued_ = absl::Now();
  {
    absl::MutexLock lock(&watch->mu_);
    watch->queue_.push_back(Heartbeat(cursor));
  }
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    return absl::UnavailableError(
        "the service is shutting down; reconnect with your last cursor");
  }
  watches_[watch->municipality_][watch.get()] = watch;
  wake_ = true;  // read its backlog now rather than at the next poll
  return watch;
}

void WatchHub::Remove(const std::shared_ptr<Watch>& watch) {
  if (watch == nullptr) return;
  {
    absl::MutexLock lock(&mu_);
    auto it = watches_.find(watch->municipality_);
    if (it != watches_.end()) {
      it->second.erase(watch.get());
      if (it->second.empty()) watches_.erase(it);
    }
  }
  watch->detached_.store(true);
  // Wait for a listener call under way, unless it is the caller.
  if (watch->calling_thread_.load() != std::this_thread::get_id()) {
    absl::MutexLock lock(&watch->listener_mu_);
  }
}

size_t WatchHub::watch_count() {
  absl::MutexLock lock(&mu_);
  size_t count = 0;
  for (const auto& [municipality, set] : watches_) count += set.size();
  return count;
}

void WatchHub::Run() {
  bool more = false;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (!more) {
        const auto woken = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
          return stopping_ || wake_;
        };
        mu_.AwaitWithTimeout(absl::Condition(&woken), options_.poll_interval);
      }
      if (stopping_) return;
      wake_ = false;
    }
    more = PollOnce();
  }
}

bool WatchHub::PollOnce() {
  std::vector<std::pair<std::string, std::vector<std::shared_ptr<Watch>>>>
      snapshot;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [municipality, set] : watches_) {
      auto& entry = snapshot.emplace_back(
          municipality, std::vector<std::shared_ptr<Watch>>());
      for (const auto& [raw, watch] : set) entry.second.push_back(watch);
    }
  }
  bool more = false;
  std::vector<Watch*> ready;
  for (const auto& [municipality, watches] : snapshot) {
    more |= PollMunicipality(municipality, watches, &ready);
  }
  const absl::Time now = absl::Now();
  for (const auto& [municipality, watches] : snapshot) {
    for (const auto& watch : watches) {
      if (now - watch->last_queued_ < options_.heartbeat_interval) continue;
      absl::MutexLock lock(&watch->mu_);
      if (!watch->queue_.empty()) continue;  // the client is busy anyway
      watch->queue_.push_back(Heartbeat(watch->cursor_));
      watch->last_queued_ = now;
      ready.push_back(watch.get());
    }
  }
  // `snapshot` keeps every watch in `ready` alive.
  std::sort(ready.begin(), ready.end());
  ready.erase(std::unique(ready.begin(), ready.end()), ready.end());
  for (Watch* watch : ready) Notify(*watch, /*stopped=*/false);
  return more;
}

bool WatchHub::PollMunicipality(
    const std::string& municipality,
    const std::vector<std::shared_ptr<Watch>>& watches,
    std::vector<Watch*>* ready) {
  std::vector<InboxCursor> reads;
  std::vector<Watch*> readers;
  for (const auto& watch : watches) {
    if (watch->detached_.load()) continue;
    const int space = options_.max_queued - static_cast<int>(watch->Queued());
    if (space <= 0) continue;  // backpressure: the client is behind
    reads.push_back(InboxCursor{watch->inbox_, watch->cursor_,
                                std::min(space, options_.read_count)});
    readers.push_back(watch.get());
  }
  if (reads.empty()) return false;
  absl::StatusOr<std::vector<WatchBatch>> batches =
      store_.ReadAfterMany(municipality, reads);
  if (!batches.ok()) {
    if (!failing_) {
      log::Warning("inbox watch poll failed; retrying",
                   {{"municipality", municipality},
                    {"error", batches.status().ToString()}});
    }
    failing_ = true;
    return false;
  }
  if (failing_) {
    log::Info("inbox watch poll works again", {{"municipality", municipality}});
    failing_ = false;
  }
  bool more = false;
  for (size_t i = 0; i < readers.size(); ++i) {
    const WatchBatch& batch = (*batches)[i];
    if (batch.cursor == reads[i].cursor) continue;  // nothing new
    Queue(*readers[i], batch);
    ready->push_back(readers[i]);
    // A full read: more may wait, so poll again at once.
    if (static_cast<int>(batch.notifications.size()) >= reads[i].count) {
      more = true;
    }
  }
  return more;
}

void WatchHub::Queue(Watch& watch, const WatchBatch& batch) {
  // The same removal is reported once, however many reads still start
  // before it (see InboxStore::ReadAfter).
  const bool gap = batch.gap && EntryIdLess(watch.gap_reported_through_,
                                            batch.removed_through);
  if (gap) watch.gap_reported_through_ = batch.removed_through;
  absl::MutexLock lock(&watch.mu_);
  for (const v1::Notification& notification : batch.notifications) {
    v1::WatchNotificationsResponse& response = watch.queue_.emplace_back();
    *response.mutable_notification() = notification;
    response.set_cursor(EntryIdOf(notification.name()));
  }
  if (gap) {
    if (batch.notifications.empty()) {
      watch.queue_.push_back(Heartbeat(batch.cursor));
    }
    // The first message of this batch follows the removed ones.
    watch
        .queue_[watch.queue_.size() -
                std::max<size_t>(1, batch.notifications.size())]
        .set_gap(true);
  }
  watch.cursor_ = batch.cursor;
  watch.last_queued_ = absl::Now();
}

void WatchHub::Notify(Watch& watch, bool stopped) {
  absl::MutexLock lock(&watch.listener_mu_);
  if (watch.detached_.load()) return;
  watch.calling_thread_.store(std::this_thread::get_id());
  if (stopped) {
    watch.detached_.store(true);
    watch.listener_->OnStopped();
  } else {
    watch.listener_->OnReady();
  }
  watch.calling_thread_.store(std::thread::id());
}

}  // namespace brobygger::notifications
