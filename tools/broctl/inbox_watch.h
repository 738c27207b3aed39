// broctl notifications watch: an inbox's messages as they arrive, one JSON
// line each (the WatchNotificationsResponse, compact, so its cursor is at
// hand), across dropped streams.
//
// WatchNotifications is a stream without an end, so the call has no
// deadline (a deadline would end a watch that works); the connect timeout
// bounds only how long connecting may take. When the stream drops (the
// service restarts, a proxy cuts it, the network blips, or nothing, not
// even a heartbeat, arrives for a while) the watcher reconnects with the
// cursor of the last response it got, which the contract promises misses
// nothing and repeats nothing, backing off from 1 s to 30 s and saying so
// on stderr. Errors that reconnecting cannot mend (a bad token, no
// permission, no such inbox) end it.
#ifndef BROBYGGER_TOOLS_BROCTL_INBOX_WATCH_H_
#define BROBYGGER_TOOLS_BROCTL_INBOX_WATCH_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/notification_service.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace brobygger::broctl {

struct InboxWatchOptions {
  // "municipalities/{m}/inboxes/{inbox}".
  std::string inbox;
  // Resume after this cursor; "" for the messages from now on.
  std::string cursor;
  // Stop after this many messages (heartbeats do not count); 0: never.
  int64_t count = 0;
  // Print heartbeats too (they show the stream is alive).
  bool heartbeats = false;
  // Bearer token; none if empty.
  std::string token;
  // How long connecting may take. The first connection failing is an
  // error (the service is not there); later ones are retried.
  absl::Duration connect_timeout = absl::Seconds(10);
  // Waits between reconnections: doubling from the first to the most.
  absl::Duration first_retry_delay = absl::Seconds(1);
  absl::Duration max_retry_delay = absl::Seconds(30);
  // A stream that brings nothing for this long is taken as dropped: the
  // service sends a heartbeat every 30 s, so this is two and a half missed.
  absl::Duration silence_limit = absl::Seconds(75);
};

class InboxWatcher {
 public:
  InboxWatcher(std::shared_ptr<grpc::Channel> channel,
               InboxWatchOptions options, std::ostream& out, std::ostream& err);
  ~InboxWatcher();
  InboxWatcher(const InboxWatcher&) = delete;
  InboxWatcher& operator=(const InboxWatcher&) = delete;

  // Watches until Stop() or `count` messages (OK), or an error that
  // reconnecting cannot mend (that error). Call once.
  grpc::Status Run();

  // From any thread: Run returns soon, with OK.
  void Stop();

  // Where to resume: the cursor of the last response received.
  std::string cursor() const;

 private:
  bool Stopping() const;
  // Connects and reconnects until the watch is over.
  grpc::Status Loop();
  bool WaitUntilConnected();
  // Opens one stream and prints what it brings until it ends. Sets *done
  // when the watch is over (Stop() or `count` reached) and *heard when
  // anything arrived.
  grpc::Status WatchOnce(bool* done, bool* heard);
  void HandleResponse(
      const notifications::v1::WatchNotificationsResponse& response);
  // Cancels the open stream when it has been silent for too long.
  void Watchdog();
  void SleepOrStop(absl::Duration delay);

  const std::shared_ptr<grpc::Channel> channel_;
  const InboxWatchOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  int64_t printed_messages_ = 0;

  mutable absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::string cursor_ ABSL_GUARDED_BY(mutex_);
  // The open stream's context, to cancel it; null between streams.
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mutex_) = nullptr;
  absl::Time last_heard_ ABSL_GUARDED_BY(mutex_);
  bool went_silent_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread watchdog_;
};

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_INBOX_WATCH_H_
