#include "bench/harness/report.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace brobygger::bench {
namespace {

const LoadResult* BaselineFor(const std::vector<LoadResult>& results,
                              int concurrency) {
  for (const LoadResult& result : results) {
    if (result.scenario == kBaselineScenario &&
        result.concurrency == concurrency) {
      return &result;
    }
  }
  return nullptr;
}

// CPU microseconds per successful call, or "-" when not measurable.
std::string CpuPerCall(const LoadResult& result, size_t index) {
  if (index >= result.cpu_seconds.size() || result.cpu_seconds[index] < 0 ||
      result.ok == 0) {
    return "-";
  }
  return absl::StrFormat(
      "%.0f", result.cpu_seconds[index] * 1e6 / static_cast<double>(result.ok));
}

}  // namespace

void PrintResultTable(const std::vector<LoadResult>& results, std::FILE* out,
                      const std::vector<ExtraColumn>& extra_columns) {
  std::string extra_headers;
  std::string extra_alignment;
  for (const ExtraColumn& column : extra_columns) {
    absl::StrAppend(&extra_headers, column.header, " | ");
    extra_alignment += "--:|";
  }
  std::fprintf(out,
               "| scenario | in flight | QPS | p50 µs | p99 µs | errors | %s"
               "QPS vs Echo | p50 vs Echo | CPU µs/call: client / server / "
               "redis | Redis cmds/call | CPU used by others |\n",
               extra_headers.c_str());
  std::fprintf(out, "|---|--:|--:|--:|--:|--:|%s--:|--:|--:|--:|--:|\n",
               extra_alignment.c_str());
  const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
  for (const LoadResult& result : results) {
    const LoadResult* baseline = BaselineFor(results, result.concurrency);
    std::string qps_ratio = "-";
    std::string p50_ratio = "-";
    if (baseline != nullptr && baseline != &result && baseline->ok > 0 &&
        result.ok > 0) {
      qps_ratio = absl::StrFormat("%.2f", result.qps() / baseline->qps());
      p50_ratio = absl::StrFormat(
          "%.2f", result.PercentileMicros(50) / baseline->PercentileMicros(50));
    }
    std::string errors = absl::StrCat(result.errors);
    if (result.warmup_errors > 0) {
      absl::StrAppend(&errors, " (+", result.warmup_errors, " in warm-up)");
    }
    std::string redis_per_call = "-";
    if (result.ok > 0) {
      int64_t commands = 0;
      for (const auto& [name, count] : result.redis_commands) commands += count;
      redis_per_call =
          absl::StrFormat("%.1f", static_cast<double>(commands) /
                                      static_cast<double>(result.ok));
    }
    // The machine's busy time minus that of the benchmark's own processes.
    std::string others = "-";
    double ours = 0;
    bool known = result.machine_cpu_seconds >= 0 && result.window_seconds > 0;
    for (const double seconds : result.cpu_seconds) {
      if (seconds < 0) known = false;
      ours += seconds;
    }
    if (known) {
      const double share =
          (result.machine_cpu_seconds - ours) / (result.window_seconds * cores);
      others = absl::StrFormat("%.0f%%", std::max(0.0, share) * 100);
    }
    std::string extra_values;
    for (const ExtraColumn& column : extra_columns) {
      absl::StrAppend(&extra_values, column.value(result), " | ");
    }
    std::fprintf(out,
                 "| %s | %d | %.0f | %.0f | %.0f | %s | %s%s | %s | %s / %s / "
                 "%s | %s | %s |\n",
                 result.scenario.c_str(), result.concurrency, result.qps(),
                 result.PercentileMicros(50), result.PercentileMicros(99),
                 errors.c_str(), extra_values.c_str(), qps_ratio.c_str(),
                 p50_ratio.c_str(), CpuPerCall(result, 0).c_str(),
                 CpuPerCall(result, 1).c_str(), CpuPerCall(result, 2).c_str(),
                 redis_per_call.c_str(), others.c_str());
  }
}

void PrintRedisCommands(const std::vector<LoadResult>& results,
                        std::FILE* out) {
  std::set<std::string> done;
  for (const LoadResult& result : results) {
    if (result.scenario == kBaselineScenario || result.ok == 0 ||
        !done.insert(result.scenario).second) {
      continue;
    }
    std::vector<std::string> parts;
    for (const auto& [name, count] : result.redis_commands) {
      const double per_call =
          static_cast<double>(count) / static_cast<double>(result.ok);
      if (per_call >= 0.05) {
        parts.push_back(absl::StrFormat("%.1f %s", per_call, name));
      }
    }
    std::fprintf(out, "- %s: %s\n", result.scenario.c_str(),
                 parts.empty() ? "none" : absl::StrJoin(parts, ", ").c_str());
  }
}

int64_t PrintErrors(const std::vector<LoadResult>& results, std::FILE* out) {
  int64_t total = 0;
  for (const LoadResult& result : results) {
    total += result.errors + result.warmup_errors;
    if (result.error_samples.empty()) continue;
    std::fprintf(out, "Errors in %s at %d in flight:\n",
                 result.scenario.c_str(), result.concurrency);
    for (const auto& [message, count] : result.error_samples) {
      std::fprintf(out, "  %6lld x %s\n", static_cast<long long>(count),
                   message.c_str());
    }
  }
  return total;
}

std::string DescribeMachine() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (absl::StartsWith(line, "model name")) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        model = std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
      }
      break;
    }
  }
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return absl::StrCat(model, ", nproc = ", cores);
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double one = 0, five = 0, fifteen = 0;
  if (!(in >> one >> five >> fifteen)) return "unknown";
  return absl::StrFormat("%.2f %.2f %.2f", one, five, fifteen);
}

}  // namespace brobygger::bench
