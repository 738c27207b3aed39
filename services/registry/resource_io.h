// Reading and writing one versioned registry document, shared by the
// resources the registry keeps (actors, contact points, fora,
// municipalities) so that each of them states only its own rules: how a
// stored document becomes a resource, how a write is set up, and when a
// lost optimistic write is redone.
#ifndef BROBYGGER_SERVICES_REGISTRY_RESOURCE_IO_H_
#define BROBYGGER_SERVICES_REGISTRY_RESOURCE_IO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/document_store.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "services/registry/registry_context.h"

namespace brobygger::registry {

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

// The id segment of a resource name known to be valid ("" for empty).
inline std::string IdOf(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? ""
                                          : std::string(name.substr(slash + 1));
}

// Loads document `id` of `collection`: NOT_FOUND (naming `name` as a
// `resource_type`) when it does not exist, DATA_LOSS ("stored <what>
// <name> does not parse") when it is not a `Resource`.
template <typename Resource>
absl::StatusOr<Versioned<Resource>> LoadResource(
    store::DocumentStore& store, absl::string_view municipality,
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

// For a create with `request_id` (may be empty): sets `*request_key` to
// the key that makes the create idempotent, and returns the id of the
// document an earlier create with the same request id made, if any.
inline absl::StatusOr<std::optional<std::string>> EarlierCreate(
    const RegistryContext& ctx, absl::string_view municipality,
    absl::string_view collection, absl::string_view request_id,
    std::string* request_key) {
  request_key->clear();
  if (request_id.empty()) return std::nullopt;
  *request_key = ctx.keys.Request(municipality, collection, request_id);
  return ctx.store.LookupRequest(*request_key);
}

// The create of document `id` holding `data`, listed in the all-index of
// its collection at `score`.
inline store::WriteSpec ListedCreateSpec(const RegistryContext& ctx,
                                         absl::string_view municipality,
                                         absl::string_view collection,
                                         absl::string_view id, std::string data,
                                         std::string request_key,
                                         double score) {
  store::WriteSpec spec;
  spec.municipality = std::string(municipality);
  spec.collection = std::string(collection);
  spec.id = std::string(id);
  spec.data = std::move(data);
  spec.request_key = std::move(request_key);
  spec.add_to_indexes.push_back(
      {ctx.keys.AllIndex(municipality, collection), score});
  return spec;
}

// Whether a write that came back as `result` on try `attempt` is redone on
// the new version: it lost to a concurrent write and the caller, having
// given no etag, did not ask for that exact version.
inline bool ShouldRetryWrite(const store::WriteResult& result,
                             absl::string_view etag, int attempt) {
  return result.outcome == store::WriteResult::Outcome::kConflict &&
         etag.empty() && attempt < kMaxWriteAttempts;
}

// A write of an existing document that applies only to `expected_version`.
inline store::WriteSpec VersionedWriteSpec(absl::string_view municipality,
                                           absl::string_view collection,
                                           absl::string_view id,
                                           int64_t expected_version) {
  store::WriteSpec spec;
  spec.municipality = std::string(municipality);
  spec.collection = std::string(collection);
  spec.id = std::string(id);
  spec.expected_version = expected_version;
  return spec;
}

// The delete of a resource that is listed in the all-index of its
// collection and in `index_keys`, announced by a `DeletedEvent` naming it.
template <typename DeletedEvent>
store::WriteSpec ListedDeleteSpec(const RegistryContext& ctx,
                                  const auth::Principal& principal,
                                  absl::string_view municipality,
                                  absl::string_view collection,
                                  absl::string_view id, absl::string_view name,
                                  int64_t expected_version,
                                  std::vector<std::string> index_keys) {
  store::WriteSpec spec =
      VersionedWriteSpec(municipality, collection, id, expected_version);
  spec.remove_from_indexes = std::move(index_keys);
  spec.remove_from_indexes.push_back(
      ctx.keys.AllIndex(municipality, collection));
  DeletedEvent payload;
  payload.set_name(std::string(name));
  spec.event = events::MakeEvent(EventContextFor(principal), municipality, name,
                                 payload);
  return spec;
}

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_RESOURCE_IO_H_
