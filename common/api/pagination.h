// AIP-158 pagination: page sizes and opaque page tokens.
#ifndef BROBYGGER_COMMON_API_PAGINATION_H_
#define BROBYGGER_COMMON_API_PAGINATION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace brobygger::api {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 means the default. A negative size, or one above `max`, is
// INVALID_ARGUMENT naming "page_size" (never silently truncated).
absl::StatusOr<int> ResolvePageSize(int32_t requested, int max = kMaxPageSize);

// A page token is opaque to clients: base64url of the cursor plus a
// fingerprint of the query (parent, filter, ordering). A token presented
// with a different query, or one that does not decode, is INVALID_ARGUMENT
// naming "page_token".
std::string EncodePageToken(absl::string_view cursor,
                            absl::string_view query_fingerprint);
// Empty token -> empty cursor (first page).
absl::StatusOr<std::string> DecodePageToken(
    absl::string_view token, absl::string_view query_fingerprint);

}  // namespace brobygger::api

#endif  // BROBYGGER_COMMON_API_PAGINATION_H_
