// Live inbox watches of one process: every watcher gets the entries of
// its inbox after its cursor, in order and once each, then the new ones as
// they arrive, until it is removed or the hub stops.
//
// One background thread polls for all watchers (every poll_interval, per
// municipality one InboxStore::ReadAfterMany script per 200 watched
// inboxes) rather than one blocking XREAD connection per watcher: a
// blocking read holds a Redis connection for its whole duration, so
// thousands of open Watch streams would need thousands of connections
// (the pool has 32), and a municipality's streams share one hash slot, so
// one script reads them all. An idle poll costs Redis one XRANGE per
// watched inbox (about 3 µs); the price is up to poll_interval of latency,
// which an inbox does not notice. Keys of two municipalities never share a
// script (Redis Cluster).
//
// Flow control: each watcher has a queue of at most max_queued messages
// and the hub reads for it only as much as fits, so a slow client holds
// no memory beyond that; it simply falls behind in Redis. If it falls
// behind by more than the inbox keeps (1000 entries), the trimmed entries
// surface as a gap, which the contract lets the client repair by listing.
// A client that stops reading altogether is cut off by gRPC keepalive or
// its deadline, not by the hub.
//
// Heartbeats: a response without notification, carrying the cursor, is
// queued when nothing was queued for heartbeat_interval, and one is queued
// at once when the watch starts, so that a client that starts "from now"
// always holds a cursor to resume from.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_WATCH_HUB_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_WATCH_HUB_H_

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/notification_service.pb.h"
#include "services/notifications/inbox_store.h"

namespace brobygger::notifications {

struct WatchHubOptions {
  absl::Duration poll_interval = absl::Milliseconds(100);
  // The contract says 30 s.
  absl::Duration heartbeat_interval = absl::Seconds(30);
  // Messages waiting per watcher before the hub stops reading for it.
  int max_queued = 64;
  // Entries read per watcher per poll (at most what fits in its queue).
  // A full read makes the next poll start at once, so a client catching
  // up is limited by how fast it reads, not by poll_interval.
  int read_count = 32;
};

class WatchHub {
 public:
  // The receiving end of a watch (the gRPC reactor). Called from the hub's
  // thread (OnStopped: from the thread calling Stop), never concurrently
  // for one watch, never after Remove returned. Must not block; may call
  // Watch::Pop and Remove.
  class Listener {
   public:
    virtual ~Listener() = default;
    // Messages are waiting: Pop them.
    virtual void OnReady() = 0;
    // The hub stops: no more messages will come (Pop drains what waits).
    virtual void OnStopped() = 0;
  };

  class Watch {
   public:
    // The next waiting message, oldest first; nullopt when none waits.
    std::optional<v1::WatchNotificationsResponse> Pop();
    // How many messages wait.
    size_t Queued();

   private:
    friend class WatchHub;
    Watch(std::string municipality, std::string inbox, std::string cursor,
          Listener* listener);

    const std::string municipality_;
    const std::string inbox_;
    Listener* const listener_;

    // Used by the hub's thread only.
    std::string cursor_;  // the last entry queued
    std::string gap_reported_through_ = "0-0";
    absl::Time last_queued_;

    absl::Mutex mu_;
    std::deque<v1::WatchNotificationsResponse> queue_ ABSL_GUARDED_BY(mu_);

    // Held while the listener is called, so that Remove can wait for a
    // call under way; `detached` stops further calls.
    absl::Mutex listener_mu_;
    std::atomic<bool> detached_{false};
    std::atomic<std::thread::id> calling_thread_{};
  };

  explicit WatchHub(InboxStore& store, WatchHubOptions options = {});
  // Stops.
  ~WatchHub();
  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;

  // Starts the polling thread.
  void Start();
  // Joins the thread, then tells every listener OnStopped (once) and
  // forgets the watches. Later Adds fail. Idempotent.
  void Stop();

  // Watches the inbox after `cursor` (a resolved entry id, see
  // InboxStore::ResolveCursor). The listener may be called before Add
  // returns. UNAVAILABLE once the hub stopped.
  absl::StatusOr<std::shared_ptr<Watch>> Add(std::string municipality,
                                             std::string inbox,
                                             std::string cursor,
                                             Listener* listener);
  // After this returns the watch's listener is never called again.
  // Idempotent.
  void Remove(const std::shared_ptr<Watch>& watch);

  // How many watches are registered (for tests and metrics).
  size_t watch_count();

 private:
  using WatchSet = std::map<Watch*, std::shared_ptr<Watch>>;

  void Run();
  // One round over all watches; true when some read was full (more waits).
  bool PollOnce();
  // Reads for the watches of one municipality; true when a read was full.
  bool PollMunicipality(const std::string& municipality,
                        const std::vector<std::shared_ptr<Watch>>& watches,
                        std::vector<Watch*>* ready);
  void Queue(Watch& watch, const WatchBatch& batch);
  void Notify(Watch& watch, bool stopped);

  InboxStore& store_;
  const WatchHubOptions options_;

  absl::Mutex mu_;
  std::map<std::string, WatchSet> watches_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
  // Hub thread only: whether the last poll failed (logs once per outage).
  bool failing_ = false;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_WATCH_HUB_H_
