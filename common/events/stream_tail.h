// Reads a Redis stream forward from a position and says when entries
// after that position were lost to trimming.
//
// In-memory indexes (the catalogue's search index, matching's candidate
// index) load their data, then stay current by reading the stream of
// changes from where the load started. The position is taken before the
// load (StartAtEnd), so a change made during the load is read again
// afterwards, which is harmless. When the stream was trimmed past the
// position, changes may be missing: Next() reports a gap and the index
// reloads.
#ifndef BROBYGGER_COMMON_EVENTS_STREAM_TAIL_H_
#define BROBYGGER_COMMON_EVENTS_STREAM_TAIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/redis_pool.h"

namespace brobygger::events {

// Stream ids "<ms>-<seq>" compared numerically.
bool StreamIdLess(absl::string_view a, absl::string_view b);

// One stream entry: its id and its fields.
struct StreamEntry {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;

  // The value of `field`, or "" when the entry has none.
  absl::string_view Field(absl::string_view field) const;
};

// One entry of an XRANGE / XREAD reply: [id, [field, value, ...]].
StreamEntry ParseStreamEntry(const redis::Reply& reply);

class StreamTail {
 public:
  StreamTail(redis::RedisPool& pool, std::string stream)
      : pool_(pool), stream_(std::move(stream)) {}

  // Moves the position to the last id the stream generated (not its last
  // entry: a trimmed stream may have none), before a full load.
  absl::Status StartAtEnd();

  struct Batch {
    std::vector<StreamEntry> entries;
    // Entries after the position were trimmed away: reload, then
    // StartAtEnd() again.
    bool gap = false;
  };
  // Up to `count` entries after the position, which moves past them.
  absl::StatusOr<Batch> Next(int count);

  const std::string& position() const { return position_; }

 private:
  absl::StatusOr<bool> EntriesLost();

  redis::RedisPool& pool_;
  std::string stream_;
  std::string position_ = "0-0";
};

}  // namespace brobygger::events

#endif  // BROBYGGER_COMMON_EVENTS_STREAM_TAIL_H_
