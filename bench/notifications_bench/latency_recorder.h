// When each write of the latency scenario started and returned, when the
// router finished its event, and when a watcher of the recipient's inbox
// received the message; matched by a sequence number the write carries as
// its request_id ("latency-<n>"), which the registry copies into the event
// envelope.
#ifndef BROBYGGER_BENCH_NOTIFICATIONS_BENCH_LATENCY_RECORDER_H_
#define BROBYGGER_BENCH_NOTIFICATIONS_BENCH_LATENCY_RECORDER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/notifications/watch_hub.h"

namespace brobygger::bench {

// "latency-<sequence>".
std::string LatencyRequestId(int sequence);
// The sequence of such a request id; nullopt for any other.
std::optional<int> LatencySequence(absl::string_view request_id);

struct LatencySummary {
  int64_t measured = 0;      // writes after the warm-up
  int64_t write_errors = 0;  // of those, failed writes
  int64_t routed = 0;        // of the successful ones, routed
  int64_t seen = 0;          // and seen by a watcher
  // Milliseconds, sorted: the write call, write start to routed, and
  // write start to seen.
  std::vector<double> write_ms;
  std::vector<double> inbox_ms;
  std::vector<double> watch_ms;
  std::string first_write_error;
  // Events routed per second over the measured writes: below the write
  // rate, the follower fell behind and the latencies include a backlog.
  double routed_per_second = 0;
};

class LatencyRecorder {
 public:
  explicit LatencyRecorder(int writes);

  // The sender, around each write.
  void Started(int sequence, absl::Time at);
  void Written(int sequence, absl::Time at, const absl::Status& status);
  // The router's handler: the event of `sequence` arrived (before it is
  // routed, so a watcher can match its message), and was routed.
  void Expect(const std::string& event_id, int sequence);
  void Routed(int sequence, absl::Time at);
  // A watcher received the message of an event.
  void Seen(const std::string& event_id, absl::Time at);

  // Whether every successful write so far was routed and seen.
  bool Complete();
  // Writes with sequence >= first_measured.
  LatencySummary Summarise(int first_measured);

 private:
  struct Write {
    absl::Time started = absl::InfinitePast();
    absl::Time written = absl::InfinitePast();
    absl::Time routed = absl::InfinitePast();
    absl::Time seen = absl::InfinitePast();
    bool ok = false;
  };

  absl::Mutex mu_;
  std::vector<Write> writes_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> sequence_of_event_ ABSL_GUARDED_BY(mu_);
  int64_t written_ok_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t routed_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t seen_ ABSL_GUARDED_BY(mu_) = 0;
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

// A WatchHub listener as the WatchNotifications reactor is one: drains its
// watch as soon as the hub says messages wait, telling the recorder when
// each notification arrived.
class RecordingWatcher : public notifications::WatchHub::Listener {
 public:
  explicit RecordingWatcher(LatencyRecorder& recorder) : recorder_(recorder) {}

  // The hub may call OnReady before Add returns; what waits then is
  // drained here.
  void Attach(std::shared_ptr<notifications::WatchHub::Watch> watch);
  void OnReady() override;
  void OnStopped() override {}

 private:
  void DrainLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  LatencyRecorder& recorder_;
  absl::Mutex mu_;
  std::shared_ptr<notifications::WatchHub::Watch> watch_ ABSL_GUARDED_BY(mu_);
};

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_NOTIFICATIONS_BENCH_LATENCY_RECORDER_H_
