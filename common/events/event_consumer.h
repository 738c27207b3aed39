// A consumer-group reader of Brobygger event streams.
//
// At-least-once: an entry is acknowledged only after the handler succeeded.
// Entries left pending by a crashed consumer are reclaimed with XAUTOCLAIM
// after `claim_idle`. The handler is skipped for events whose id was already
// processed by this group (a processed marker with a TTL), so a redelivery
// does not repeat its effect. An entry that failed `max_deliveries` times is
// copied to the dead-letter stream and acknowledged.
#ifndef BROBYGGER_COMMON_EVENTS_EVENT_CONSUMER_H_
#define BROBYGGER_COMMON_EVENTS_EVENT_CONSUMER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "common/redis/keys.h"
#include "common/redis/redis_pool.h"

namespace brobygger::events {

struct ConsumerOptions {
  std::string group;     // consumer group, usually the consuming service
  std::string consumer;  // unique per replica, e.g. hostname-pid
  std::vector<std::string> streams;
  int batch_size = 64;
  absl::Duration block = absl::Milliseconds(500);
  absl::Duration claim_idle = absl::Seconds(30);
  int max_deliveries = 10;
  absl::Duration processed_ttl = absl::Hours(24 * 7);
  // Where failing entries go, e.g. "<service>:{_global}:deadletter".
  std::string dead_letter_stream;
  // Retention of the dead-letter stream (approximate MAXLEN), so that a
  // flood of failures cannot grow it without bound.
  int64_t dead_letter_max_len = 100'000;
};

struct ReceivedEvent {
  std::string stream;
  std::string entry_id;  // the stream entry id, e.g. "1700000000000-0"
  int64_t delivery_count = 1;
  brobygger::events::v1::Event event;
};

// Not thread-safe: one thread drives a consumer (run several consumers,
// with distinct `consumer` names, for parallelism).
class EventConsumer {
 public:
  // `keys` builds the processed markers:
  // keys.Key(event.municipality(), {"processed", group, event.id()}).
  EventConsumer(redis::RedisPool& pool, redis::KeySpace keys,
                ConsumerOptions options);

  // Creates the consumer groups (XGROUP CREATE ... 0 MKSTREAM) where they
  // are missing. Starting at 0 means a new group sees retained history.
  absl::Status EnsureGroups();

  // One batch: first entries reclaimed from dead consumers, then this
  // consumer's own pending entries (after a restart), then new ones
  // (blocking up to `block`). Malformed entries are dead-lettered.
  absl::StatusOr<std::vector<ReceivedEvent>> ReadBatch();

  // Marks the event processed and acknowledges the entry.
  absl::Status Ack(const ReceivedEvent& received);

  // True if this group already processed the event (redelivery).
  absl::StatusOr<bool> AlreadyProcessed(const ReceivedEvent& received);

  // Handles one failed attempt: dead-letters and acks the entry once it has
  // been delivered `max_deliveries` times, otherwise leaves it pending.
  absl::Status Fail(const ReceivedEvent& received, const absl::Status& error);

  // Loops ReadBatch -> (skip processed) -> handler -> Ack/Fail until `stop`
  // becomes true. Redis outages are retried with backoff.
  using Handler = std::function<absl::Status(const ReceivedEvent&)>;
  void Run(const Handler& handler, const std::atomic<bool>& stop);

 private:
  redis::RedisPool& pool_;
  redis::KeySpace keys_;
  ConsumerOptions options_;
  bool read_own_pending_ = true;
  // Per stream: where the next XAUTOCLAIM scan and the next read of this
  // consumer's own pending entries continue.
  std::map<std::string, std::string> claim_cursor_;
  std::map<std::string, std::string> pending_cursor_;
};

}  // namespace brobygger::events

#endif  // BROBYGGER_COMMON_EVENTS_EVENT_CONSUMER_H_
