// Registry-specific parts of writing a listed document (the generic ones
// are in common/store/resource_io.h, brought in here by name).
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
#include "common/store/resource_io.h"
#include "services/registry/registry_context.h"

namespace brobygger::registry {

using store::IdOf;
using store::kMaxScanBatch;
using store::kMaxWriteAttempts;
using store::LoadResource;
using store::ShouldRetryWrite;
using store::ToTimestamp;
using store::Versioned;
using store::VersionedWriteSpec;

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
