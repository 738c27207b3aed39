// The in-memory index of candidates: every volunteer of a municipality,
// prepared once for scoring (folded areas, tags), with their current load.
//
// Why in memory: SuggestMatches scores every volunteer of the
// municipality (100,000 in the benchmark) against a request; reading them
// from Redis per query would cost far more than scoring them. Why the
// change stream: the registry projection and every match write append the
// volunteer's id to it in the same Lua script as their change, so every
// replica converges on the same index, and reading the new entries before
// each query (one round trip) gives read-your-writes across replicas. A
// stream trimmed past the index's position makes it reload.
#ifndef BROBYGGER_SERVICES_MATCHING_CANDIDATE_INDEX_H_
#define BROBYGGER_SERVICES_MATCHING_CANDIDATE_INDEX_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/events/stream_tail.h"
#include "services/matching/candidate.h"
#include "services/matching/matching_context.h"
#include "services/matching/registry_projection.h"

namespace brobygger::matching {

class CandidateIndex {
 public:
  CandidateIndex(MatchingContext& ctx, RegistryProjection& projection)
      : ctx_(ctx), projection_(projection) {}

  // Brings the municipality's index up to date, then lets `read` see every
  // candidate (in no particular order) under a shared lock: `read` must
  // not keep pointers past its return nor call back into the index.
  absl::Status Read(
      absl::string_view municipality,
      absl::FunctionRef<void(const std::vector<Candidate>&)> read);

  // One candidate, up to date; nullopt when the volunteer is unknown.
  absl::StatusOr<std::optional<Candidate>> Find(absl::string_view municipality,
                                                absl::string_view volunteer_id);

  // How many candidates the municipality has (after catching up).
  absl::StatusOr<size_t> Size(absl::string_view municipality);

 private:
  struct Tenant {
    std::shared_mutex entries_mutex;
    std::vector<Candidate> entries;
    absl::flat_hash_map<std::string, size_t> positions;  // id -> entry
    std::mutex refresh_mutex;  // one refresh at a time
    std::unique_ptr<events::StreamTail> tail;
    bool loaded = false;
    // When the last catch-up began: a query that arrived before it needs
    // no catch-up of its own (concurrent queries share one round trip).
    absl::Time caught_up_from = absl::InfinitePast();

    void Put(const std::string& id, Candidate candidate);
    void Erase(const std::string& id);
  };

  absl::StatusOr<Tenant*> Fresh(absl::string_view municipality);
  absl::Status Reload(absl::string_view municipality, Tenant& tenant);
  absl::Status CatchUp(absl::string_view municipality, Tenant& tenant,
                       bool* gap);
  // Reloads these volunteers' records and loads into the tenant.
  absl::Status Apply(absl::string_view municipality, Tenant& tenant,
                     const std::vector<std::string>& ids);
  Tenant& TenantOf(absl::string_view municipality);

  MatchingContext& ctx_;
  RegistryProjection& projection_;
  std::mutex tenants_mutex_;
  std::map<std::string, std::unique_ptr<Tenant>> tenants_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_CANDIDATE_INDEX_H_
