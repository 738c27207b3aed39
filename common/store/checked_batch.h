// Several changes to several keys, applied by one Lua script only when all
// of their checks pass.
//
// DocumentStore writes one document with its indexes and event. Some
// changes span documents: proposing a match writes the match, moves its
// request on, counts the volunteer's load against their capacity and
// publishes an event, and none of it may happen without the rest (nor when
// another coordinator's proposal took the last free slot a moment before).
// A CheckedBatch states such a change as checks and writes; the script
// runs every check first, then every write, so a refused batch leaves
// nothing behind and Redis's single-threaded execution makes it atomic.
//
// Documents are written in DocumentStore's format (hash with "d" = data,
// "v" = version), so DocumentStore reads them. All keys must share one
// hash tag (one municipality) for Redis Cluster.
#ifndef BROBYGGER_COMMON_STORE_CHECKED_BATCH_H_
#define BROBYGGER_COMMON_STORE_CHECKED_BATCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "common/events/event_bus.h"
#include "common/redis/redis_pool.h"

namespace brobygger::store {

// Why a batch was refused: the check that failed, in the order added.
struct BatchRefusal {
  enum class Kind {
    kVersionChanged,  // RequireVersion: `current` is the version now ("" if
                      // gone)
    kExists,          // RequireAbsent
    kMissing,         // RequireExists
    kLimitReached,    // RequireBelow: `current` is the count
    kClaimed,         // RequireClaimFree: `current` is the owner
    kReplayed,        // RequireUnused: `current` is the stored value
  };
  Kind kind = Kind::kVersionChanged;
  // Index of the check among all checks added (0-based).
  int check = 0;
  std::string key;
  std::string current;
};

struct BatchOutcome {
  bool applied = false;
  BatchRefusal refusal;  // when not applied
};

class CheckedBatch {
 public:
  // Checks. Each returns its index, to tell refusals apart.
  // The document's version is `version` (0: it must not exist).
  int RequireVersion(std::string document_key, int64_t version);
  int RequireAbsent(std::string key);
  int RequireExists(std::string key);
  // HGET hash field (0 when absent) < limit.
  int RequireBelow(std::string hash, std::string field, int64_t limit);
  // HGET hash field is absent or equals `owner`.
  int RequireClaimFree(std::string hash, std::string field, std::string owner);
  // GET key is absent (an idempotency key not used yet).
  int RequireUnused(std::string key);
  // ZCARD sorted_set < limit (e.g. at most so many subscriptions per
  // subscriber, counted by their index); refused as kLimitReached with the
  // count as `current`.
  int RequireFewerMembers(std::string sorted_set, int64_t limit);

  // Writes, applied in the order added.
  // HSET key d data v version.
  void PutDocument(std::string document_key, std::string data, int64_t version);
  void Delete(std::string key);
  // HINCRBY; the field is removed when it reaches 0 or less.
  void Increment(std::string hash, std::string field, int64_t delta);
  void SortedSetAdd(std::string key, double score, std::string member);
  void SortedSetRemove(std::string key, std::string member);
  void HashSet(std::string hash, std::string field, std::string value);
  // HDEL only while the field holds `value` (a claim given up by its owner).
  void HashDeleteIf(std::string hash, std::string field, std::string value);
  void SetWithExpiry(std::string key, std::string value, absl::Duration ttl);
  // SET without expiry (a value kept apart from a document, e.g. a secret).
  void Set(std::string key, std::string value);
  // INCR: a counter readers compare to notice that something changed.
  void IncrementCounter(std::string key);
  // XADD with approximate MAXLEN, one field.
  void StreamAdd(std::string stream, int64_t max_len, std::string field,
                 std::string value);
  // Publishes an event (events::kLuaPublishEvent's entry format). With
  // `trail`, the entry's id is appended to that list (the newest
  // kMaxEventTrail kept), so that the events about someone can be found
  // and erased again.
  void Publish(std::string stream, const events::v1::Event& event,
               events::StreamRetention retention, std::string trail = "");
  // Removes every entry listed in `trail` from `stream`, then the list:
  // how an erasure takes back what earlier events said about a person.
  void EraseEventTrail(std::string stream, std::string trail);

  absl::StatusOr<BatchOutcome> Run(redis::RedisPool& pool) const;

  bool empty() const { return ops_.empty(); }

 private:
  struct Op {
    std::string code;
    std::string key;
    std::vector<std::string> args;
  };
  int AddCheck(Op op);

  std::vector<Op> ops_;
  int checks_ = 0;
};

}  // namespace brobygger::store

#endif  // BROBYGGER_COMMON_STORE_CHECKED_BATCH_H_
