#include "bench/harness/process_memory.h"

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace brobygger::bench {
namespace {

// "VmRSS:\t  123456 kB" -> bytes.
bool ParseKilobytes(absl::string_view line, absl::string_view key,
                    int64_t* bytes) {
  if (!absl::ConsumePrefix(&line, key)) return false;
  line = absl::StripAsciiWhitespace(line);
  if (!absl::ConsumeSuffix(&line, "kB")) return false;
  int64_t kilobytes = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &kilobytes)) {
    return false;
  }
  *bytes = kilobytes * 1024;
  return true;
}

}  // namespace

absl::StatusOr<ProcessMemory> ReadProcessMemory(pid_t pid) {
  const std::string path = absl::StrCat("/proc/", pid, "/status");
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  ProcessMemory memory;
  bool rss = false;
  bool peak = false;
  std::string line;
  while (std::getline(in, line)) {
    rss = rss || ParseKilobytes(line, "VmRSS:", &memory.resident_bytes);
    peak = peak || ParseKilobytes(line, "VmHWM:", &memory.peak_resident_bytes);
  }
  if (!rss || !peak) {
    return absl::InternalError(absl::StrCat(path, " names no VmRSS and VmHWM"));
  }
  return memory;
}

std::string FormatMebibytes(int64_t bytes) {
  return absl::StrFormat("%.1f MiB", static_cast<double>(bytes) / (1 << 20));
}

}  // namespace brobygger::bench
