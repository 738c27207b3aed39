// The keys every service's DocumentStore collections have besides their
// documents: the index of all documents, indexes by a field, and the
// idempotency keys of creates. Each service's key class derives from this
// and adds its own.
#ifndef BROBYGGER_COMMON_STORE_COLLECTION_KEYS_H_
#define BROBYGGER_COMMON_STORE_COLLECTION_KEYS_H_

#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "common/redis/keys.h"

namespace brobygger::store {

class CollectionKeys {
 public:
  explicit CollectionKeys(std::string service) : keys_(std::move(service)) {}

  const redis::KeySpace& space() const { return keys_; }

  // Sorted set (score = numeric id) of every document of a collection.
  std::string AllIndex(absl::string_view m,
                       absl::string_view collection) const {
    return keys_.Key(m, {collection, "idx", "all"});
  }
  // Sorted set (score = numeric id) of the documents with `field` ==
  // `value` (normalised by the caller), e.g. the matches of a volunteer.
  std::string Index(absl::string_view m, absl::string_view collection,
                    absl::string_view field, absl::string_view value) const {
    return keys_.Key(m, {collection, "idx", field, value});
  }
  // Idempotency keys of creates.
  std::string Request(absl::string_view m, absl::string_view collection,
                      absl::string_view request_id) const {
    return keys_.Key(m, {collection, "request", request_id});
  }

 protected:
  redis::KeySpace keys_;
};

}  // namespace brobygger::store

#endif  // BROBYGGER_COMMON_STORE_COLLECTION_KEYS_H_
