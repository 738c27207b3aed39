// Parsing of the Redis Streams replies the event consumer reads
// (XREADGROUP and XAUTOCLAIM) into flat entries. Internal to common/events.
#ifndef BROBYGGER_COMMON_EVENTS_STREAM_REPLY_H_
#define BROBYGGER_COMMON_EVENTS_STREAM_REPLY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/redis_reply.h"

namespace brobygger::events::internal {

struct StreamEntry {
  std::string stream;
  std::string id;
  // The entry is still pending but was deleted from the stream (trimmed),
  // so there is nothing left to deliver.
  bool deleted = false;
  // The value of the "event" field; nullopt when the entry has none.
  std::optional<std::string> event_bytes;
};

// XREADGROUP: nil (nothing arrived) or [[stream, [[id, fields|nil]...]]...].
absl::StatusOr<std::vector<StreamEntry>> ParseReadGroupReply(
    const redis::Reply& reply);

// XAUTOCLAIM (Redis >= 7): [next cursor, [[id, fields]...], [deleted ids]].
// Deleted ids are already removed from the pending list by Redis.
struct AutoClaimResult {
  std::string next_cursor;
  std::vector<StreamEntry> entries;
};
absl::StatusOr<AutoClaimResult> ParseAutoClaimReply(absl::string_view stream,
                                                    const redis::Reply& reply);

}  // namespace brobygger::events::internal

#endif  // BROBYGGER_COMMON_EVENTS_STREAM_REPLY_H_
