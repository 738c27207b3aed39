#include "services/notifications/webhook_url.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/notifications/curl_support.h"

namespace brobygger::notifications {
namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};

absl::Status Invalid(absl::string_view why) {
  return InvalidFieldError("url", absl::StrCat("the webhook URL ", why));
}

// The part, or nullopt when the URL has none.
std::optional<std::string> GetPart(CURLU* url, CURLUPart which) {
  char* part = nullptr;
  if (curl_url_get(url, which, &part, 0) != CURLUE_OK || part == nullptr) {
    return std::nullopt;
  }
  std::string value(part);
  curl_free(part);
  return value;
}

bool IsLoopbackHost(absl::string_view host) {
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  const std::string text(host);
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    const std::string inner(host.substr(1, host.size() - 2));
    in6_addr v6;
    return inet_pton(AF_INET6, inner.c_str(), &v6) == 1 &&
           std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  }
  return false;
}

}  // namespace

absl::Status CheckWebhookUrl(absl::string_view url) {
  if (url.empty()) {
    return Invalid("is required: the https:// address that receives events");
  }
  if (url.size() > kMaxWebhookUrlLength) {
    return Invalid(
        absl::StrCat("is longer than ", kMaxWebhookUrlLength, " characters"));
  }
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      return Invalid(
          "contains spaces or control characters; percent-encode them");
    }
  }
  InitCurlOnce();
  std::unique_ptr<CURLU, CurlUrlDeleter> parsed(curl_url());
  if (parsed == nullptr) return absl::ResourceExhaustedError("curl_url");
  const std::string text(url);
  // Any scheme parses, so the scheme check below gives the clearer message.
  const CURLUcode code = curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(),
                                      CURLU_NON_SUPPORT_SCHEME);
  if (code != CURLUE_OK) {
    return Invalid(absl::StrCat("cannot be parsed (", curl_url_strerror(code),
                                "); give an absolute https:// URL"));
  }
  const std::string scheme = absl::AsciiStrToLower(
      GetPart(parsed.get(), CURLUPART_SCHEME).value_or(""));
  const std::string host = GetPart(parsed.get(), CURLUPART_HOST).value_or("");
  if (host.empty()) return Invalid("has no host");
  if (GetPart(parsed.get(), CURLUPART_USER) ||
      GetPart(parsed.get(), CURLUPART_PASSWORD) ||
      GetPart(parsed.get(), CURLUPART_OPTIONS)) {
    return Invalid(
        "must not contain user information (user:password@); receivers "
        "authenticate deliveries by their Brobygger-Signature");
  }
  if (scheme == "https") return absl::OkStatus();
  if (scheme == "http") {
    if (IsLoopbackHost(host)) return absl::OkStatus();
    return Invalid(
        "must use https://; http:// is allowed only for loopback hosts "
        "(127.0.0.1, [::1], localhost)");
  }
  return Invalid(absl::StrCat("has the scheme \"", scheme,
                              "\"; only https:// is allowed"));
}

}  // namespace brobygger::notifications
