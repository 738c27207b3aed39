#include "bench/harness/load.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace brobygger::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Distinct error messages kept per client thread; the rest are counted.
constexpr size_t kMaxErrorSamples = 5;
constexpr size_t kMaxErrorMessage = 200;
constexpr absl::Duration kConnectTimeout = absl::Seconds(5);

struct Timeline {
  Clock::time_point measure_start;
  Clock::time_point measure_end;
};

struct Slot {
  std::unique_ptr<Call> call;
  Clock::time_point started;
};

struct WorkerResult {
  std::vector<int64_t> latencies_ns;
  int64_t errors = 0;
  int64_t warmup_errors = 0;
  std::map<std::string, int64_t> error_samples;
};

// Each client thread gets its own connection: a local subchannel pool
// keeps gRPC from sharing one connection between equal channels.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

void RecordError(const absl::Status& status, Clock::time_point now,
                 const Timeline& timeline, WorkerResult* result) {
  if (now < timeline.measure_start) {
    ++result->warmup_errors;
  } else {
    // Includes calls that end after the window: they were part of its
    // load.
    ++result->errors;
  }
  std::string key = status.ToString();
  if (key.size() > kMaxErrorMessage) key.resize(kMaxErrorMessage);
  auto it = result->error_samples.find(key);
  if (it != result->error_samples.end()) {
    ++it->second;
  } else if (result->error_samples.size() < kMaxErrorSamples) {
    result->error_samples[key] = 1;
  } else {
    ++result->error_samples["(other errors)"];
  }
}

void Work(std::vector<Slot>* slots, grpc::CompletionQueue* cq,
          const Timeline& timeline, absl::Duration call_deadline,
          WorkerResult* result) {
  const auto deadline_after =
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          absl::ToChronoNanoseconds(call_deadline));
  auto start = [&](Slot& slot) {
    slot.started = Clock::now();
    slot.call->Start(cq, std::chrono::system_clock::now() + deadline_after,
                     &slot);
  };
  for (Slot& slot : *slots) start(slot);
  size_t in_flight = slots->size();
  while (in_flight > 0) {
    void* tag = nullptr;
    bool ok = false;
    if (!cq->Next(&tag, &ok)) break;
    const Clock::time_point now = Clock::now();
    Slot& slot = *static_cast<Slot*>(tag);
    const absl::Status status = slot.call->Finish();
    if (!status.ok()) {
      RecordError(status, now, timeline, result);
    } else if (now >= timeline.measure_start && now < timeline.measure_end) {
      result->latencies_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now -
                                                               slot.started)
              .count());
    }
    if (now < timeline.measure_end) {
      start(slot);
    } else {
      --in_flight;
    }
  }
}

std::vector<double> SampleCpu(const std::vector<pid_t>& pids) {
  std::vector<double> seconds;
  for (const pid_t pid : pids) seconds.push_back(ProcessCpuSeconds(pid));
  return seconds;
}

}  // namespace

double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in(pid == 0 ? std::string("/proc/self/stat")
                            : absl::StrCat("/proc/", pid, "/stat"));
  std::stringstream content;
  content << in.rdbuf();
  const std::string text = content.str();
  // The command name (field 2) may hold spaces; fields after it are
  // separated by single spaces: state is field 3, utime 14, stime 15.
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return -1;
  const std::vector<std::string> fields =
      absl::StrSplit(text.substr(paren + 2), ' ');
  if (fields.size() < 13) return -1;
  const double ticks = std::stod(fields[11]) + std::stod(fields[12]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double MachineBusyCpuSeconds() {
  std::ifstream in("/proc/stat");
  std::string line;
  if (!std::getline(in, line) || !absl::StartsWith(line, "cpu ")) return -1;
  // cpu user nice system idle iowait irq softirq steal guest guest_nice;
  // guest time is already part of user time.
  const std::vector<std::string> fields =
      absl::StrSplit(line, ' ', absl::SkipEmpty());
  if (fields.size() < 9) return -1;
  double busy = 0;
  for (const int i : {1, 2, 3, 6, 7, 8}) busy += std::stod(fields[i]);
  return busy / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void Accumulate(const LoadResult& slice, LoadResult* total) {
  const bool first = total->window_seconds == 0 && total->ok == 0 &&
                     total->errors == 0 && total->cpu_seconds.empty();
  total->scenario = slice.scenario;
  total->concurrency = slice.concurrency;
  total->ok += slice.ok;
  total->errors += slice.errors;
  total->warmup_errors += slice.warmup_errors;
  for (const auto& [message, count] : slice.error_samples) {
    total->error_samples[message] += count;
  }
  const size_t middle = total->latencies_ns.size();
  total->latencies_ns.insert(total->latencies_ns.end(),
                             slice.latencies_ns.begin(),
                             slice.latencies_ns.end());
  std::inplace_merge(total->latencies_ns.begin(),
                     total->latencies_ns.begin() + middle,
                     total->latencies_ns.end());
  total->window_seconds += slice.window_seconds;
  // A time that could not be read in one slice makes the sum unknown.
  auto add = [](double part, double* sum) {
    *sum = part < 0 || *sum < 0 ? -1 : *sum + part;
  };
  if (first) {
    total->cpu_seconds = slice.cpu_seconds;
    total->machine_cpu_seconds = slice.machine_cpu_seconds;
  } else {
    total->cpu_seconds.resize(slice.cpu_seconds.size(), -1);
    for (size_t i = 0; i < slice.cpu_seconds.size(); ++i) {
      add(slice.cpu_seconds[i], &total->cpu_seconds[i]);
    }
    add(slice.machine_cpu_seconds, &total->machine_cpu_seconds);
  }
  for (const auto& [name, count] : slice.redis_commands) {
    total->redis_commands[name] += count;
  }
}

double LoadResult::PercentileMicros(double p) const {
  if (latencies_ns.empty()) return 0;
  const size_t rank = static_cast<size_t>(
      std::ceil(p / 100.0 * static_cast<double>(latencies_ns.size())));
  const size_t index = std::clamp<size_t>(rank, 1, latencies_ns.size()) - 1;
  return static_cast<double>(latencies_ns[index]) / 1000.0;
}

LoadResult RunLoad(Scenario& scenario, const LoadOptions& options) {
  const int concurrency = std::max(options.concurrency, 1);
  const int threads = std::clamp(options.client_threads, 1, concurrency);

  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues;
  std::vector<std::vector<Slot>> slots(threads);
  for (int t = 0; t < threads; ++t) {
    channels.push_back(NewChannel(options.target));
    // Connect before the clock starts; a failure shows up as call errors.
    channels.back()->WaitForConnected(
        absl::ToChronoTime(absl::Now() + kConnectTimeout));
    queues.push_back(std::make_unique<grpc::CompletionQueue>());
  }
  for (int i = 0; i < concurrency; ++i) {
    Slot slot;
    slot.call = scenario.NewCall(channels[i % threads], i);
    slots[i % threads].push_back(std::move(slot));
  }

  const Clock::time_point begin = Clock::now();
  Timeline timeline;
  timeline.measure_start =
      begin + std::chrono::duration_cast<Clock::duration>(
                  absl::ToChronoNanoseconds(options.warmup));
  timeline.measure_end =
      timeline.measure_start + std::chrono::duration_cast<Clock::duration>(
                                   absl::ToChronoNanoseconds(options.duration));

  std::vector<WorkerResult> results(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back(Work, &slots[t], queues[t].get(), timeline,
                         options.call_deadline, &results[t]);
  }
  std::this_thread::sleep_until(timeline.measure_start);
  const std::vector<double> cpu_before = SampleCpu(options.cpu_pids);
  const double machine_before = MachineBusyCpuSeconds();
  if (options.at_window_start) options.at_window_start();
  std::this_thread::sleep_until(timeline.measure_end);
  const std::vector<double> cpu_after = SampleCpu(options.cpu_pids);
  const double machine_after = MachineBusyCpuSeconds();
  if (options.at_window_end) options.at_window_end();
  for (std::thread& worker : workers) worker.join();
  for (auto& queue : queues) {
    queue->Shutdown();
    void* tag;
    bool ok;
    while (queue->Next(&tag, &ok)) {
    }
  }

  LoadResult total;
  total.scenario = scenario.name();
  total.concurrency = concurrency;
  total.window_seconds = absl::ToDoubleSeconds(options.duration);
  for (WorkerResult& result : results) {
    total.latencies_ns.insert(total.latencies_ns.end(),
                              result.latencies_ns.begin(),
                              result.latencies_ns.end());
    total.errors += result.errors;
    total.warmup_errors += result.warmup_errors;
    for (const auto& [message, count] : result.error_samples) {
      total.error_samples[message] += count;
    }
  }
  total.ok = static_cast<int64_t>(total.latencies_ns.size());
  std::sort(total.latencies_ns.begin(), total.latencies_ns.end());
  for (size_t i = 0; i < cpu_before.size(); ++i) {
    total.cpu_seconds.push_back(cpu_before[i] < 0 || cpu_after[i] < 0
                                    ? -1
                                    : cpu_after[i] - cpu_before[i]);
  }
  if (machine_before >= 0 && machine_after >= 0) {
    total.machine_cpu_seconds = machine_after - machine_before;
  }
  return total;
}

}  // namespace brobygger::bench
