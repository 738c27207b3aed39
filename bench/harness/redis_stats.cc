#include "bench/harness/redis_stats.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace brobygger::bench {

absl::StatusOr<std::map<std::string, int64_t>> RedisCommandCalls(
    redis::RedisPool& pool) {
  absl::StatusOr<redis::Reply> info = pool.Run({"INFO", "commandstats"});
  if (!info.ok()) return info.status();
  if (!info->is_string()) {
    return absl::InternalError("INFO commandstats did not answer with text");
  }
  // Lines like "cmdstat_hmget:calls=12,usec=40,usec_per_call=3.33,...".
  std::map<std::string, int64_t> calls;
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    if (!absl::ConsumePrefix(&line, "cmdstat_")) continue;
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    absl::string_view stats = line.substr(colon + 1);
    if (!absl::ConsumePrefix(&stats, "calls=")) continue;
    int64_t count = 0;
    if (absl::SimpleAtoi(stats.substr(0, stats.find(',')), &count)) {
      calls[std::string(line.substr(0, colon))] = count;
    }
  }
  return calls;
}

absl::StatusOr<int64_t> RedisUsedMemory(redis::RedisPool& pool) {
  absl::StatusOr<redis::Reply> info = pool.Run({"INFO", "memory"});
  if (!info.ok()) return info.status();
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    int64_t bytes = 0;
    if (absl::ConsumePrefix(&line, "used_memory:") &&
        absl::SimpleAtoi(line, &bytes)) {
      return bytes;
    }
  }
  return absl::InternalError("INFO memory did not name used_memory");
}

std::map<std::string, int64_t> CommandsBetween(
    const std::map<std::string, int64_t>& before,
    const std::map<std::string, int64_t>& after) {
  std::map<std::string, int64_t> between;
  for (const auto& [name, count] : after) {
    if (name == "info") continue;
    const auto it = before.find(name);
    const int64_t delta = count - (it == before.end() ? 0 : it->second);
    if (delta > 0) between[name] = delta;
  }
  return between;
}

}  // namespace brobygger::bench
