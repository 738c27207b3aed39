#include "bench/notifications_bench/latency_recorder.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace brobygger::bench {
namespace {

constexpr absl::string_view kPrefix = "latency-";

double Millis(absl::Time from, absl::Time to) {
  return absl::ToDoubleMilliseconds(to - from);
}

}  // namespace

std::string LatencyRequestId(int sequence) {
  return absl::StrCat(kPrefix, sequence);
}

std::optional<int> LatencySequence(absl::string_view request_id) {
  int sequence = 0;
  if (!absl::ConsumePrefix(&request_id, kPrefix) ||
      !absl::SimpleAtoi(request_id, &sequence) || sequence < 0) {
    return std::nullopt;
  }
  return sequence;
}

LatencyRecorder::LatencyRecorder(int writes) : writes_(writes) {}

void LatencyRecorder::Started(int sequence, absl::Time at) {
  absl::MutexLock lock(&mu_);
  writes_[sequence].started = at;
}

void LatencyRecorder::Written(int sequence, absl::Time at,
                              const absl::Status& status) {
  absl::MutexLock lock(&mu_);
  writes_[sequence].written = at;
  writes_[sequence].ok = status.ok();
  if (status.ok()) {
    ++written_ok_;
  } else if (first_error_.empty()) {
    first_error_ = status.ToString();
  }
}

void LatencyRecorder::Expect(const std::string& event_id, int sequence) {
  absl::MutexLock lock(&mu_);
  if (sequence < static_cast<int>(writes_.size())) {
    sequence_of_event_[event_id] = sequence;
  }
}

void LatencyRecorder::Routed(int sequence, absl::Time at) {
  absl::MutexLock lock(&mu_);
  if (sequence >= static_cast<int>(writes_.size())) return;
  Write& write = writes_[sequence];
  if (write.routed == absl::InfinitePast()) {
    write.routed = at;
    ++routed_;
  }
}

void LatencyRecorder::Seen(const std::string& event_id, absl::Time at) {
  absl::MutexLock lock(&mu_);
  auto it = sequence_of_event_.find(event_id);
  if (it == sequence_of_event_.end()) return;
  Write& write = writes_[it->second];
  if (write.seen == absl::InfinitePast()) {
    write.seen = at;
    ++seen_;
  }
}

bool LatencyRecorder::Complete() {
  absl::MutexLock lock(&mu_);
  return routed_ >= written_ok_ && seen_ >= written_ok_;
}

LatencySummary LatencyRecorder::Summarise(int first_measured) {
  absl::MutexLock lock(&mu_);
  LatencySummary summary;
  summary.first_write_error = first_error_;
  absl::Time first_routed = absl::InfiniteFuture();
  absl::Time last_routed = absl::InfinitePast();
  for (size_t i = std::max(0, first_measured); i < writes_.size(); ++i) {
    const Write& write = writes_[i];
    if (write.started == absl::InfinitePast()) continue;  // never sent
    ++summary.measured;
    if (!write.ok) {
      ++summary.write_errors;
      continue;
    }
    summary.write_ms.push_back(Millis(write.started, write.written));
    if (write.routed != absl::InfinitePast()) {
      ++summary.routed;
      summary.inbox_ms.push_back(Millis(write.started, write.routed));
      first_routed = std::min(first_routed, write.routed);
      last_routed = std::max(last_routed, write.routed);
    }
    if (write.seen != absl::InfinitePast()) {
      ++summary.seen;
      summary.watch_ms.push_back(Millis(write.started, write.seen));
    }
  }
  if (summary.routed > 1 && last_routed > first_routed) {
    summary.routed_per_second =
        (summary.routed - 1) /
        absl::ToDoubleSeconds(last_routed - first_routed);
  }
  std::sort(summary.write_ms.begin(), summary.write_ms.end());
  std::sort(summary.inbox_ms.begin(), summary.inbox_ms.end());
  std::sort(summary.watch_ms.begin(), summary.watch_ms.end());
  return summary;
}

void RecordingWatcher::Attach(
    std::shared_ptr<notifications::WatchHub::Watch> watch) {
  absl::MutexLock lock(&mu_);
  watch_ = std::move(watch);
  DrainLocked();
}

void RecordingWatcher::OnReady() {
  absl::MutexLock lock(&mu_);
  DrainLocked();
}

void RecordingWatcher::DrainLocked() {
  if (watch_ == nullptr) return;
  while (auto response = watch_->Pop()) {
    if (response->has_notification()) {
      recorder_.Seen(response->notification().event_id(), absl::Now());
    }
  }
}

}  // namespace brobygger::bench
