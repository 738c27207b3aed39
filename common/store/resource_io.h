// Reading and writing one versioned resource in a DocumentStore: the parts
// every service's domain classes share, so that each resource states only
// its own rules (how a stored document becomes a resource, how a write is
// set up, and when a lost optimistic write is redone).
#ifndef BROBYGGER_COMMON_STORE_RESOURCE_IO_H_
#define BROBYGGER_COMMON_STORE_RESOURCE_IO_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/document_store.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace brobygger::store {

// A write that lost a race is redone this often at most when the caller
// gave no etag; with an etag the conflict is the caller's to resolve.
inline constexpr int kMaxWriteAttempts = 5;

// List methods read at most this many ids of an index per round trip.
inline constexpr int kMaxScanBatch = 500;

// A stored resource with the version its etag and next write refer to.
template <typename Resource>
struct Versioned {
  Resource resource;
  int64_t version = 0;
};

inline google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(time));
}

inline absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

// The id segment of a resource name known to be valid ("" for empty).
inline std::string IdOf(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? ""
                                          : std::string(name.substr(slash + 1));
}

// Numeric id from a DocumentStore id ("12" -> 12); 0 if not numeric.
double IdScore(absl::string_view id);

// Loads document `id` of `collection`: NOT_FOUND (naming `name` as a
// `resource_type`) when it does not exist, DATA_LOSS ("stored <what>
// <name> does not parse") when it is not a `Resource`.
template <typename Resource>
absl::StatusOr<Versioned<Resource>> LoadResource(
    DocumentStore& store, absl::string_view municipality,
    absl::string_view collection, absl::string_view id, absl::string_view name,
    absl::string_view resource_type, absl::string_view what) {
  ASSIGN_OR_RETURN(auto document, store.Get(municipality, collection, id));
  if (!document.has_value()) return ResourceNotFoundError(resource_type, name);
  Versioned<Resource> loaded;
  if (!loaded.resource.ParseFromString(document->data)) {
    return absl::DataLossError(
        absl::StrCat("stored ", what, " ", name, " does not parse"));
  }
  loaded.version = document->version;
  return loaded;
}

// Whether a write that came back as `result` on try `attempt` is redone on
// the new version: it lost to a concurrent write and the caller, having
// given no etag, did not ask for that exact version.
inline bool ShouldRetryWrite(const WriteResult& result, absl::string_view etag,
                             int attempt) {
  return result.outcome == WriteResult::Outcome::kConflict && etag.empty() &&
         attempt < kMaxWriteAttempts;
}

// A write of an existing document that applies only to `expected_version`.
inline WriteSpec VersionedWriteSpec(absl::string_view municipality,
                                    absl::string_view collection,
                                    absl::string_view id,
                                    int64_t expected_version) {
  WriteSpec spec;
  spec.municipality = std::string(municipality);
  spec.collection = std::string(collection);
  spec.id = std::string(id);
  spec.expected_version = expected_version;
  return spec;
}

// Maps a store outcome that is not kOk to the status a client should see.
// `resource_type` and `name` describe the written resource.
absl::Status StoreOutcomeToStatus(const WriteResult& result,
                                  absl::string_view resource_type,
                                  absl::string_view name);

}  // namespace brobygger::store

#endif  // BROBYGGER_COMMON_STORE_RESOURCE_IO_H_
