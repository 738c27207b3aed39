#include "services/notifications/webhook_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/log/log.h"

namespace brobygger::notifications {
namespace {

constexpr size_t kHexSignatureLength = 64;  // SHA-256 in hex
// Far more than a t and a handful of v1 entries need; bounds the parsing.
constexpr size_t kMaxHeaderLength = 1024;
constexpr size_t kMaxTimestampDigits = 12;

// Lowercase hex HMAC-SHA256(secret, "<t>.<body>").
std::string HexHmac(absl::string_view secret, int64_t t,
                    absl::string_view body) {
  const std::string message = absl::StrCat(t, ".", body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  // A non-null key pointer even for an empty secret: OpenSSL reads a null
  // key as "reuse the previous key".
  static const char kEmptyKey = 0;
  const void* key = secret.empty() ? &kEmptyKey : secret.data();
  if (HMAC(EVP_sha256(), key, static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(message.data()),
           message.size(), digest, &digest_length) == nullptr) {
    log::Error("HMAC-SHA256 failed; cannot sign webhooks");
    std::abort();
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), digest_length));
}

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsDigits(absl::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

bool IsKey(absl::string_view text) {
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return !text.empty();
}

absl::Status Malformed(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      kSignatureHeader, " is malformed: ", why,
      "; expected \"t=<unix seconds>,v1=<64 lowercase hex digits>\""));
}

}  // namespace

std::string SignWebhook(absl::string_view secret, absl::Time t,
                        absl::string_view body) {
  const int64_t seconds = absl::ToUnixSeconds(t);
  return absl::StrCat("t=", seconds, ",v1=", HexHmac(secret, seconds, body));
}

absl::Status VerifyWebhookSignature(absl::string_view secret,
                                    absl::string_view header,
                                    absl::string_view body, absl::Time now,
                                    absl::Duration tolerance) {
  if (secret.empty()) {
    return absl::InvalidArgumentError("the webhook secret is empty");
  }
  if (header.empty()) return Malformed("it is empty");
  if (header.size() > kMaxHeaderLength) {
    return Malformed(absl::StrCat("longer than ", kMaxHeaderLength, " bytes"));
  }
  bool has_timestamp = false;
  int64_t timestamp = 0;
  std::vector<absl::string_view> signatures;
  for (absl::string_view item : absl::StrSplit(header, ',')) {
    const size_t equals = item.find('=');
    if (equals == absl::string_view::npos) {
      return Malformed(absl::StrCat("item \"", item, "\" has no '='"));
    }
    const absl::string_view key = item.substr(0, equals);
    const absl::string_view value = item.substr(equals + 1);
    if (!IsKey(key) || value.empty()) {
      return Malformed(absl::StrCat("bad item \"", item, "\""));
    }
    if (key == "t") {
      if (has_timestamp) return Malformed("more than one t");
      if (!IsDigits(value) || value.size() > kMaxTimestampDigits ||
          !absl::SimpleAtoi(value, &timestamp)) {
        return Malformed("t is not a number of seconds");
      }
      has_timestamp = true;
    } else if (key == "v1") {
      if (value.size() != kHexSignatureLength || !IsLowerHex(value)) {
        return Malformed("v1 is not 64 lowercase hex digits");
      }
      signatures.push_back(value);
    }
  }
  if (!has_timestamp) return Malformed("no t");
  if (signatures.empty()) return Malformed("no v1");

  const absl::Duration age = now - absl::FromUnixSeconds(timestamp);
  if (absl::AbsDuration(age) > tolerance) {
    return absl::UnauthenticatedError(absl::StrCat(
        "the webhook signature's timestamp is ", absl::FormatDuration(age),
        " away from now (more than ", absl::FormatDuration(tolerance),
        "): a replayed or badly delayed delivery"));
  }
  const std::string expected = HexHmac(secret, timestamp, body);
  bool matched = false;
  for (absl::string_view signature : signatures) {
    // Compare every entry in constant time, and do not stop at the first
    // match, so timing reveals nothing about the expected value.
    matched |= CRYPTO_memcmp(signature.data(), expected.data(),
                             kHexSignatureLength) == 0;
  }
  if (!matched) {
    return absl::UnauthenticatedError(
        "the webhook signature does not match the body and secret");
  }
  return absl::OkStatus();
}

std::string NewWebhookSecret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    log::Error("RAND_bytes failed; refusing to create a webhook secret");
    std::abort();
  }
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

}  // namespace brobygger::notifications
