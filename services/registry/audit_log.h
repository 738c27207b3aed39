// The audit log of reads of newcomers' personal data: a Redis stream per
// municipality, trimmed by age (the retention setting), listed by
// operators newest first.
#ifndef BROBYGGER_SERVICES_REGISTRY_AUDIT_LOG_H_
#define BROBYGGER_SERVICES_REGISTRY_AUDIT_LOG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/registry/v1/audit.pb.h"
#include "common/redis/redis_pool.h"
#include "services/registry/registry_keys.h"

namespace brobygger::registry {

struct AuditPage {
  std::vector<v1::AuditEntry> entries;
  // Stream id of the last entry examined; empty when the log is exhausted.
  std::string next_cursor;
};

class AuditLog {
 public:
  AuditLog(redis::RedisPool& pool, absl::Duration retention)
      : pool_(pool), retention_(retention) {}

  // Appends all entries in one round trip. Fails if Redis does; the read
  // being audited must then fail too.
  absl::Status Append(absl::string_view municipality,
                      const std::vector<v1::AuditEntry>& entries);

  // Entries older than `cursor` (a stream id; empty = newest), newest first,
  // keeping those where `newcomer`/`reader` match when set. Examines at
  // most `max_scan` entries per call.
  absl::StatusOr<AuditPage> List(absl::string_view municipality,
                                 absl::string_view cursor, int page_size,
                                 absl::string_view newcomer,
                                 absl::string_view reader, int max_scan = 5000);

 private:
  redis::RedisPool& pool_;
  absl::Duration retention_;
  RegistryKeys keys_;
};

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_AUDIT_LOG_H_
