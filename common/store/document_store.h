// Versioned documents in Redis, written together with their indexes,
// uniqueness claims and event in one Lua script.
//
// A document is a Redis hash "<service>:{<municipality>}:<collection>:<id>"
// with the fields "d" (the serialized resource) and "v" (its version, the
// etag). Every write names everything it touches, and the script checks all
// preconditions before it changes anything, so a refused write leaves
// nothing behind and an accepted one is complete, event included.
//
// The store knows Redis, not the rules: callers (the services' domain
// classes) decide what the indexes, claims and preconditions are.
#ifndef BROBYGGER_COMMON_STORE_DOCUMENT_STORE_H_
#define BROBYGGER_COMMON_STORE_DOCUMENT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "common/events/event_bus.h"
#include "common/redis/keys.h"
#include "common/redis/redis_pool.h"

namespace brobygger::store {

// At most this many event ids are kept per event trail; older entries are
// long trimmed from the stream by its retention.
inline constexpr int kMaxEventTrail = 10000;

// A sorted-set score as Redis reads it back exactly: integral scores
// (ids, Unix milliseconds) as integers, others with full precision.
std::string FormatScore(double score);

struct Document {
  std::string id;
  std::string data;
  int64_t version = 0;
};

// A sorted-set index entry: the document id as member, ordered by score.
struct IndexEntry {
  std::string key;
  double score = 0;
};

// A uniqueness claim: field `field` of hash `key` holds the id of the one
// document that owns it.
struct Claim {
  std::string key;
  std::string field;
};

// What a write must find, and what it changes besides the document.
struct WriteSpec {
  std::string municipality;
  std::string collection;
  std::string id;
  // The serialized document to store (create/update).
  std::string data;
  // Create: must be 0. Update/delete: the version the caller read; the
  // write is refused with kConflict when it changed since.
  int64_t expected_version = 0;
  // Idempotency of creates: when set, a second create with the same
  // request id returns the first one's document id.
  std::string request_key;
  absl::Duration request_ttl = absl::Hours(24);
  // Keys that must exist (referenced resources).
  std::vector<std::string> must_exist;
  // Sorted sets that must be empty (e.g. children of a deleted parent).
  std::vector<std::string> must_be_empty;
  // Claims to take; a claim owned by another document refuses the write
  // with kDuplicate unless `claims_advisory` is set, in which case the
  // write goes on and the claim stays with its first owner.
  std::vector<Claim> take_claims;
  bool claims_advisory = false;
  // Claims to give up (only where this document owns them).
  std::vector<Claim> release_claims;
  std::vector<IndexEntry> add_to_indexes;
  std::vector<std::string> remove_from_indexes;
  // Further keys to delete with the document (delete only).
  std::vector<std::string> also_delete;
  // The event describing the change, published in the same step.
  std::optional<brobygger::events::v1::Event> event;
  // When set, the stream id of the published event is appended to this
  // list (capped at kMaxEventTrail ids), so the events about a resource can
  // be found again.
  std::string event_trail;
  // Delete only: removes every stream entry listed in `event_trail` from the
  // event stream, then the list, before publishing `event`. This is how an
  // erasure takes back the personal data that earlier events carried.
  bool erase_event_trail = false;
};

struct WriteResult {
  enum class Outcome {
    kOk,
    kRequestReplayed,  // request_key was already used: `id` is the original
    kDuplicate,        // a claim is owned by document `id`
    kMissing,          // `key` in must_exist does not exist
    kNotEmpty,         // `key` in must_be_empty is not empty
    kConflict,         // version changed; `version` is the current one
    kNotFound,         // update/delete of a missing document
    kAlreadyExists,    // create of an existing id
  };
  Outcome outcome = Outcome::kOk;
  std::string id;
  std::string key;
  int64_t version = 0;
};

class DocumentStore {
 public:
  DocumentStore(redis::RedisPool& pool, redis::KeySpace keys,
                events::StreamRetention retention);

  const redis::KeySpace& keys() const { return keys_; }
  redis::RedisPool& pool() { return pool_; }

  // "<service>:{<municipality>}:<collection>:<id>".
  std::string DocumentKey(absl::string_view municipality,
                          absl::string_view collection,
                          absl::string_view id) const;

  // A new numeric id for the collection (INCR of its sequence). Ids only
  // grow, so ordering by id is creation order and pagination stays stable
  // while documents are added.
  absl::StatusOr<int64_t> NextId(absl::string_view municipality,
                                 absl::string_view collection);

  // The id recorded for an idempotency key, if any.
  absl::StatusOr<std::optional<std::string>> LookupRequest(
      const std::string& request_key);

  absl::StatusOr<WriteResult> Create(const WriteSpec& spec);
  absl::StatusOr<WriteResult> Update(const WriteSpec& spec);
  absl::StatusOr<WriteResult> Delete(const WriteSpec& spec);

  absl::StatusOr<std::optional<Document>> Get(absl::string_view municipality,
                                              absl::string_view collection,
                                              absl::string_view id);
  // One round trip; missing documents are skipped.
  absl::StatusOr<std::vector<Document>> GetMany(
      absl::string_view municipality, absl::string_view collection,
      const std::vector<std::string>& ids);

  // Up to `limit` ids of `index` with a score strictly above `after`
  // (ascending); with `descending`, strictly below `after`, newest first.
  absl::StatusOr<std::vector<std::string>> Scan(const std::string& index,
                                                double after, int limit,
                                                bool descending = false);
  absl::StatusOr<int64_t> IndexSize(const std::string& index);

 private:
  absl::StatusOr<WriteResult> Write(absl::string_view op,
                                    const WriteSpec& spec);

  redis::RedisPool& pool_;
  redis::KeySpace keys_;
  events::StreamRetention retention_;
};

}  // namespace brobygger::store

#endif  // BROBYGGER_COMMON_STORE_DOCUMENT_STORE_H_
