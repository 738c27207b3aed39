// One page of a List call over a DocumentStore index, shared by the
// resources that are listed by id with a filter (the registry's contact
// points and fora, the catalogue's activities and feeds, the notification
// service's concerns): pick the narrowest index that holds every match,
// scan it by id, load the documents and keep those the filter accepts.
#ifndef BROBYGGER_COMMON_STORE_INDEX_PAGE_H_
#define BROBYGGER_COMMON_STORE_INDEX_PAGE_H_

#include <algorithm>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/redis_pool.h"
#include "common/status/macros.h"
#include "common/store/document_store.h"
#include "common/store/etag.h"
#include "common/store/resource_io.h"

namespace brobygger::store {

template <typename Resource>
struct IndexPage {
  std::vector<Resource> items;
  std::string next_cursor;  // last id examined; empty at the end
};

// The smallest of `candidates` (sorted-set keys that each hold every
// match), or `all_index` when there are none. One round trip.
inline absl::StatusOr<std::string> SmallestIndex(
    redis::RedisPool& pool, std::string all_index,
    const std::vector<std::string>& candidates) {
  if (candidates.empty()) return all_index;
  std::vector<redis::Command> sizes;
  sizes.reserve(candidates.size());
  for (const std::string& key : candidates) sizes.push_back({"ZCARD", key});
  ASSIGN_OR_RETURN(std::vector<redis::Reply> replies, pool.Pipeline(sizes));
  size_t best = 0;
  for (size_t i = 1; i < candidates.size() && i < replies.size(); ++i) {
    if (replies[i].integer < replies[best].integer) best = i;
  }
  return candidates[best];
}

// Up to `page_size` resources of `collection` listed in `index` with an id
// above `cursor` that `matches` accepts, oldest first (with
// `newest_first`: ids below `cursor`, newest first). At most
// `max_scanned` ids are examined per call, so a very selective filter
// cannot make one call slow: the page then holds fewer items and a cursor
// to go on from. Documents deleted between the scan and the load are
// skipped. Resources get their etag from the stored version.
template <typename Resource, typename Matches>
absl::StatusOr<IndexPage<Resource>> ScanIndexPage(
    store::DocumentStore& store, absl::string_view municipality,
    absl::string_view collection, const std::string& index, int page_size,
    absl::string_view cursor, int max_scanned, const Matches& matches,
    bool newest_first = false) {
  IndexPage<Resource> page;
  double after = !cursor.empty() ? IdScore(cursor)
                 : newest_first  ? std::numeric_limits<double>::max()
                                 : 0;
  int scanned = 0;
  // The first read fetches one page; later reads (when the filter skipped
  // actors) grow, so selective filters need few round trips.
  int batch = std::min(page_size, kMaxScanBatch);
  while (static_cast<int>(page.items.size()) < page_size &&
         scanned < max_scanned) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     store.Scan(index, after, batch, newest_first));
    if (ids.empty()) {
      page.next_cursor.clear();
      break;
    }
    ASSIGN_OR_RETURN(std::vector<store::Document> documents,
                     store.GetMany(municipality, collection, ids));
    size_t next_document = 0;
    bool page_full = false;
    for (const std::string& id : ids) {
      after = IdScore(id);
      page.next_cursor = id;
      ++scanned;
      if (next_document >= documents.size() ||
          documents[next_document].id != id) {
        continue;  // deleted meanwhile
      }
      const store::Document& document = documents[next_document++];
      Resource resource;
      if (!resource.ParseFromString(document.data)) {
        return absl::DataLossError(std::string("a stored ") +
                                   std::string(collection) + " " + id +
                                   " does not parse");
      }
      resource.set_etag(store::EtagOf(document.version));
      if (!matches(resource)) continue;
      page.items.push_back(std::move(resource));
      if (static_cast<int>(page.items.size()) == page_size) {
        page_full = true;
        break;
      }
      if (scanned >= max_scanned) break;
    }
    if (page_full || scanned >= max_scanned) break;
    if (static_cast<int>(ids.size()) < batch) {
      page.next_cursor.clear();  // the index is exhausted
      break;
    }
    batch = std::min(batch * 2, kMaxScanBatch);
  }
  return page;
}

}  // namespace brobygger::store

#endif  // BROBYGGER_COMMON_STORE_INDEX_PAGE_H_
