// One JSON object per line on stderr. Each line is formatted completely in
// memory and handed to the kernel with one write(), so lines from different
// threads never interleave (no lock is held while writing).
#include "common/log/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace brobygger::log {
namespace {

// A log line must stay a log line: an oversized value (a client-sent name,
// a huge error message) is cut rather than flooding the log pipeline.
constexpr size_t kMaxStringBytes = 16 * 1024;

absl::Mutex service_mu(absl::kConstInit);
std::string* service_name ABSL_GUARDED_BY(service_mu) = nullptr;
std::atomic<int> min_level{static_cast<int>(Level::kInfo)};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  if (text.size() <= kMaxStringBytes) {
    out->append(JsonEscape(text));
  } else {
    size_t cut = kMaxStringBytes;
    // Cut on a UTF-8 character boundary so the kept part stays intact.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out->append(JsonEscape(text.substr(0, cut)));
    absl::StrAppend(out, "...[truncated ", text.size() - cut, " bytes]");
  }
  out->push_back('"');
}

void AppendValue(const Value& value, std::string* out) {
  if (const auto* s = std::get_if<absl::string_view>(&value)) {
    AppendJsonString(*s, out);
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    absl::StrAppend(out, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    // JSON has no NaN or infinity.
    if (std::isfinite(*d)) {
      absl::StrAppend(out, absl::StrFormat("%.15g", *d));
    } else {
      out->append("null");
    }
  } else {
    out->append(std::get<bool>(value) ? "true" : "false");
  }
}

void WriteAll(const std::string& line) {
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // Nowhere left to report a broken stderr.
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

void SetServiceName(std::string name) {
  absl::MutexLock lock(&service_mu);
  delete service_name;
  service_name = new std::string(std::move(name));
}

void SetMinLevel(Level level) {
  min_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

bool ParseLevel(absl::string_view name, Level* level) {
  const std::string lower = absl::AsciiStrToLower(std::string(name));
  if (lower == "debug") {
    *level = Level::kDebug;
  } else if (lower == "info") {
    *level = Level::kInfo;
  } else if (lower == "warning" || lower == "warn") {
    *level = Level::kWarning;
  } else if (lower == "error") {
    *level = Level::kError;
  } else {
    return false;
  }
  return true;
}

void Write(Level level, absl::string_view message,
           std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < min_level.load(std::memory_order_relaxed)) {
    return;
  }
  std::string line;
  line.reserve(160);
  absl::StrAppend(&line, "{\"ts\":\"",
                  absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                   absl::UTCTimeZone()),
                  "\",\"level\":\"", LevelName(level), "\",\"service\":");
  {
    absl::MutexLock lock(&service_mu);
    AppendJsonString(service_name == nullptr ? "" : *service_name, &line);
  }
  line.append(",\"msg\":");
  AppendJsonString(message, &line);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    AppendJsonString(key, &line);
    line.push_back(':');
    AppendValue(value, &line);
  }
  line.append("}\n");
  WriteAll(line);
}

}  // namespace brobygger::log
