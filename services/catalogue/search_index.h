// The in-memory search index of the catalogue: every activity of a
// municipality, parsed once (schedule, folded texts), kept current by
// tailing the catalogue's own event stream.
//
// Why in memory: a search filters on a dozen attributes and orders by the
// next occurrence, which depends on the query's time and on recurrence
// rules Redis cannot evaluate; scanning parsed activities in memory costs
// microseconds each, where loading them from Redis per query would cost
// milliseconds. Why the stream: it holds every change in commit order, so
// each replica of the catalogue converges to the same index, and reading
// the stream's new entries before every query gives read-your-writes
// across replicas at the cost of one round trip. If the stream was
// trimmed past the index's position, the index reloads the municipality.
#ifndef BROBYGGER_SERVICES_CATALOGUE_SEARCH_INDEX_H_
#define BROBYGGER_SERVICES_CATALOGUE_SEARCH_INDEX_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/catalogue_service.pb.h"
#include "common/auth/principal.h"
#include "common/events/stream_tail.h"
#include "services/catalogue/activities.h"
#include "services/catalogue/activity_query.h"
#include "services/catalogue/catalogue_context.h"
#include "services/catalogue/schedule.h"

namespace brobygger::catalogue {

// One activity as the index holds it.
struct IndexedActivity {
  v1::Activity activity;
  MatchableActivity matchable;  // points into `activity`
  Schedule schedule;
  int64_t numeric_id = 0;
  std::vector<absl::CivilSecond> cancelled;  // local starts, sorted

  // The first uncancelled occurrence starting at or after `after`. Cached
  // per basis: "now" moves slowly relative to the gaps between
  // occurrences, so most queries hit the cache.
  std::optional<Occurrence> NextFrom(absl::Time after) const;

 private:
  mutable std::mutex cache_mutex_;
  mutable absl::Time cache_basis_ = absl::InfinitePast();
  mutable std::optional<Occurrence> cache_next_;
};

struct SearchPage {
  std::vector<v1::SearchResult> results;
  std::string next_page_token;
  int total_size = 0;
};

struct OccurrencePage {
  std::vector<v1::Occurrence> occurrences;
  std::string next_page_token;
};

class SearchIndex {
 public:
  SearchIndex(CatalogueContext& ctx, Activities& activities);

  absl::StatusOr<SearchPage> Search(const auth::Principal& principal,
                                    absl::string_view municipality,
                                    const v1::ActivityQuery& query,
                                    int32_t page_size,
                                    absl::string_view page_token);

  // Occurrences of one activity (`activity_id` set; drafts for those who
  // may see them) or of the public activities matching `query`.
  absl::StatusOr<OccurrencePage> ListOccurrences(
      const auth::Principal& principal, absl::string_view municipality,
      absl::string_view activity_id, const v1::ActivityQuery& query,
      absl::Time start, absl::Time end, int32_t page_size,
      absl::string_view page_token, bool show_cancelled);

  // The public (published and paused) activities matching a compiled
  // query, in id order; with a window, only those with an occurrence in
  // it. For calendar exports and feeds.
  absl::StatusOr<std::vector<v1::Activity>> Matching(
      absl::string_view municipality, const CompiledQuery& query);

  // Every activity of the municipality (any state), for the coordination
  // report.
  absl::StatusOr<std::vector<v1::Activity>> All(absl::string_view municipality);

 private:
  struct Tenant {
    // Entries in no particular order (queries sort what they return), so
    // that a query walks a contiguous array; `positions` finds an id.
    std::shared_mutex entries_mutex;
    std::vector<std::shared_ptr<const IndexedActivity>> entries;
    absl::flat_hash_map<std::string, size_t> positions;
    std::mutex refresh_mutex;  // one refresh at a time
    // Where the index is in the catalogue's event stream.
    std::unique_ptr<events::StreamTail> tail;
    bool loaded = false;
    // When the last catch-up began: a query that arrived before it needs
    // no catch-up of its own (concurrent queries share one round trip).
    absl::Time caught_up_from = absl::InfinitePast();

    void Put(const std::string& id,
             std::shared_ptr<const IndexedActivity> entry);
    void Erase(const std::string& id);
  };

  // The tenant brought up to date with the stream; read its entries under
  // a shared lock of entries_mutex.
  absl::StatusOr<Tenant*> Fresh(absl::string_view municipality);
  absl::Status Reload(absl::string_view municipality, Tenant& tenant);
  absl::Status CatchUp(absl::string_view municipality, Tenant& tenant,
                       bool* gap);
  absl::Status Apply(absl::string_view municipality, Tenant& tenant,
                     const std::vector<std::string>& ids);
  Tenant& TenantOf(absl::string_view municipality);

  CatalogueContext& ctx_;
  Activities& activities_;
  std::mutex tenants_mutex_;
  std::map<std::string, std::unique_ptr<Tenant>> tenants_;
};

// Parses a stored activity into an index entry; nullopt if its schedule
// does not parse (it was validated when written, so only after a
// downgrade).
std::shared_ptr<const IndexedActivity> MakeIndexed(v1::Activity activity);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_SEARCH_INDEX_H_
