#include "common/api/pagination.h"

#include <openssl/sha.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace brobygger::api {
namespace {

// Token layout (before base64url): version byte, cursor, then the first
// kHashBytes of SHA-256 over (version, fingerprint, cursor). The hash binds
// the cursor to the query that produced it, so a token replayed against
// another query, or an edited token, is refused instead of silently paging
// somewhere else. It is a checksum, not a secret: cursors are positions in
// a listing the caller may read anyway.
constexpr unsigned char kTokenVersion = 1;
constexpr size_t kHashBytes = 12;
// Cursors are short keys; a longer token is not one of ours.
constexpr size_t kMaxTokenLength = 4096;

std::string TokenHash(absl::string_view cursor,
                      absl::string_view query_fingerprint) {
  // The fingerprint's length is hashed too, so that (fingerprint, cursor)
  // pairs cannot be shifted into one another.
  const std::string input =
      absl::StrCat(std::string(1, static_cast<char>(kTokenVersion)),
                   query_fingerprint.size(), ":", query_fingerprint, cursor);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
         digest);
  return std::string(reinterpret_cast<const char*>(digest), kHashBytes);
}

absl::Status BadToken(absl::string_view why) {
  return InvalidFieldError(
      "page_token",
      absl::StrCat(why,
                   ": send the next_page_token of the previous response to "
                   "the same request (same parent, filter and order), or "
                   "omit page_token to start from the first page"));
}

}  // namespace

absl::StatusOr<int> ResolvePageSize(int32_t requested, int max) {
  if (requested < 0 || requested > max) {
    return InvalidFieldError(
        "page_size", absl::StrCat("must be between 0 and ", max, " (0 means ",
                                  std::min(kDefaultPageSize, max),
                                  "); send a smaller page_size and follow "
                                  "next_page_token for more"));
  }
  if (requested == 0) return std::min(kDefaultPageSize, max);
  return requested;
}

std::string EncodePageToken(absl::string_view cursor,
                            absl::string_view query_fingerprint) {
  const std::string raw =
      absl::StrCat(std::string(1, static_cast<char>(kTokenVersion)), cursor,
                   TokenHash(cursor, query_fingerprint));
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(
    absl::string_view token, absl::string_view query_fingerprint) {
  if (token.empty()) return std::string();
  if (token.size() > kMaxTokenLength) return BadToken("is too long");
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return BadToken("is not a page token");
  }
  if (raw.size() < 1 + kHashBytes) return BadToken("is not a page token");
  if (static_cast<unsigned char>(raw[0]) != kTokenVersion) {
    return BadToken("comes from an incompatible version of the service");
  }
  std::string cursor = raw.substr(1, raw.size() - 1 - kHashBytes);
  const absl::string_view hash =
      absl::string_view(raw).substr(raw.size() - kHashBytes);
  if (hash != TokenHash(cursor, query_fingerprint)) {
    return BadToken("does not belong to this query or was altered");
  }
  return cursor;
}

}  // namespace brobygger::api
