// Structured logs: one JSON object per line on stderr, e.g.
// {"ts":"2026-11-24T07:41:30.123Z","level":"info","service":"registry",
//  "msg":"rpc","method":"/brobygger.registry.v1.RegistryService/GetActor",
//  "code":"OK","ms":0.41}
#ifndef BROBYGGER_COMMON_LOG_LOG_H_
#define BROBYGGER_COMMON_LOG_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <variant>

#include "absl/strings/string_view.h"

namespace brobygger::log {

enum class Level { kDebug, kInfo, kWarning, kError };

// A field value: strings are JSON-escaped; numbers and booleans are written
// as JSON numbers and booleans.
using Value = std::variant<absl::string_view, int64_t, double, bool>;
using Field = std::pair<absl::string_view, Value>;

// Set once at start-up.
void SetServiceName(std::string name);
void SetMinLevel(Level level);
bool ParseLevel(absl::string_view name, Level* level);

void Write(Level level, absl::string_view message,
           std::initializer_list<Field> fields = {});

inline void Debug(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, m, f);
}
inline void Info(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, m, f);
}
inline void Warning(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarning, m, f);
}
inline void Error(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, m, f);
}

// JSON string escaping (RFC 8259), exposed for tests and other writers.
// Returns the escaped contents without the surrounding quotes; control
// characters become \uXXXX (or \n, \t, ...), invalid UTF-8 becomes U+FFFD.
std::string JsonEscape(absl::string_view text);

}  // namespace brobygger::log

#endif  // BROBYGGER_COMMON_LOG_LOG_H_
