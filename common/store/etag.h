// Etags (AIP-154) of DocumentStore documents: the version as a quoted
// string, e.g. "\"7\"". Clients treat it as opaque.
#ifndef BROBYGGER_COMMON_STORE_ETAG_H_
#define BROBYGGER_COMMON_STORE_ETAG_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace brobygger::store {

std::string EtagOf(int64_t version);

// OK when `etag` is empty (no precondition) or names `version`; ABORTED
// (reason ETAG_MISMATCH) when it names another version; INVALID_ARGUMENT
// naming `field` when it is not an etag at all.
absl::Status CheckEtag(absl::string_view etag, int64_t version,
                       absl::string_view resource_name,
                       absl::string_view field);

}  // namespace brobygger::store

#endif  // BROBYGGER_COMMON_STORE_ETAG_H_
