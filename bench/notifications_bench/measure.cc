#include "bench/notifications_bench/measure.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/harness/load.h"

namespace brobygger::bench {

CpuSample SampleCpu(const std::vector<pid_t>& others) {
  CpuSample sample;
  sample.at = absl::Now();
  sample.self = ProcessCpuSeconds(0);
  for (pid_t pid : others) sample.others.push_back(ProcessCpuSeconds(pid));
  sample.machine = MachineBusyCpuSeconds();
  return sample;
}

CpuUse CpuBetween(const CpuSample& before, const CpuSample& after) {
  CpuUse use;
  use.wall_seconds = absl::ToDoubleSeconds(after.at - before.at);
  use.self_seconds = after.self - before.self;
  double ours = use.self_seconds;
  bool known = before.self >= 0 && after.self >= 0;
  for (size_t i = 0; i < before.others.size() && i < after.others.size(); ++i) {
    const double spent = after.others[i] - before.others[i];
    use.other_seconds.push_back(spent);
    ours += spent;
    known = known && before.others[i] >= 0 && after.others[i] >= 0;
  }
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  if (known && before.machine >= 0 && after.machine >= 0 &&
      use.wall_seconds > 0 && cores > 0) {
    const double foreign = after.machine - before.machine - ours;
    use.foreign_share =
        std::clamp(foreign / (use.wall_seconds * cores), 0.0, 1.0);
  }
  return use;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p / 100 * sorted.size()));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string FormatMillis(double ms) {
  if (ms >= 1000) return absl::StrFormat("%.2f s", ms / 1000);
  if (ms >= 10) return absl::StrFormat("%.0f ms", ms);
  return absl::StrFormat("%.1f ms", ms);
}

std::string CommandsPer(const std::map<std::string, int64_t>& commands,
                        double per, int top) {
  std::vector<std::pair<std::string, int64_t>> sorted(commands.begin(),
                                                      commands.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (sorted.size() > static_cast<size_t>(top)) sorted.resize(top);
  std::vector<std::string> parts;
  for (const auto& [name, calls] : sorted) {
    parts.push_back(
        absl::StrFormat("%s %.2f", name, per > 0 ? calls / per : 0.0));
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

absl::StatusOr<std::vector<int64_t>> StreamLengths(
    redis::RedisPool& pool, const std::vector<std::string>& keys) {
  constexpr size_t kBatch = 1000;
  std::vector<int64_t> lengths;
  lengths.reserve(keys.size());
  for (size_t begin = 0; begin < keys.size(); begin += kBatch) {
    std::vector<redis::Command> commands;
    for (size_t i = begin; i < std::min(keys.size(), begin + kBatch); ++i) {
      commands.push_back({"XLEN", keys[i]});
    }
    absl::StatusOr<std::vector<redis::Reply>> replies = pool.Pipeline(commands);
    if (!replies.ok()) return replies.status();
    for (const redis::Reply& reply : *replies) {
      if (reply.is_error()) return absl::InternalError(reply.str);
      lengths.push_back(reply.integer);
    }
  }
  return lengths;
}

absl::Status ParallelFor(int count, int threads,
                         const std::function<absl::Status(int)>& work) {
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  absl::Mutex mu;
  absl::Status first_error;
  std::vector<std::thread> workers;
  const int n = std::clamp(threads, 1, std::max(1, count));
  for (int t = 0; t < n; ++t) {
    workers.emplace_back([&] {
      while (!failed) {
        const int i = next.fetch_add(1);
        if (i >= count) return;
        absl::Status status = work(i);
        if (!status.ok()) {
          absl::MutexLock lock(&mu);
          if (first_error.ok()) first_error = std::move(status);
          failed = true;
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return first_error;
}

absl::StatusOr<int64_t> RedisForks(redis::RedisPool& pool) {
  absl::StatusOr<redis::Reply> info = pool.Run({"INFO", "stats"});
  if (!info.ok()) return info.status();
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    int64_t forks = 0;
    if (absl::ConsumePrefix(&line, "total_forks:") &&
        absl::SimpleAtoi(line, &forks)) {
      return forks;
    }
  }
  return absl::InternalError("INFO stats did not say total_forks");
}

absl::Status FlushRedis(redis::RedisPool& pool) {
  absl::StatusOr<redis::Reply> reply = pool.Run({"FLUSHALL"});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::InternalError(reply->str);
  return absl::OkStatus();
}

}  // namespace brobygger::bench
