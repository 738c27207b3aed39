#include "services/notifications/webhook_url.h"

#include <arpa/inet.h>

#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace brobygger::notifications {
namespace {

struct Authority {
  absl::string_view host;  // brackets kept for IPv6
  absl::string_view port;  // empty when absent
};

// Splits "host", "host:port", "[v6]" or "[v6]:port"; false when malformed.
bool SplitAuthority(absl::string_view authority, Authority* out) {
  if (absl::StartsWith(authority, "[")) {
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) return false;
    out->host = authority.substr(0, close + 1);
    absl::string_view rest = authority.substr(close + 1);
    if (rest.empty()) return true;
    if (rest[0] != ':') return false;
    out->port = rest.substr(1);
    return !out->port.empty();
  }
  const size_t colon = authority.rfind(':');
  if (colon == absl::string_view::npos) {
    out->host = authority;
    return true;
  }
  out->host = authority.substr(0, colon);
  out->port = authority.substr(colon + 1);
  return !out->port.empty();
}

bool IsValidPort(absl::string_view port) {
  if (port.empty()) return true;
  for (char c : port) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  uint32_t value = 0;
  return port.size() <= 5 && absl::SimpleAtoi(port, &value) && value >= 1 &&
         value <= 65535;
}

bool IsValidHost(absl::string_view host) {
  if (host.empty()) return false;
  if (absl::StartsWith(host, "[")) {
    const std::string inner(host.substr(1, host.size() - 2));
    in6_addr address;
    return inet_pton(AF_INET6, inner.c_str(), &address) == 1;
  }
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    // Letters, digits, '-', '.' and internationalised names already
    // converted to punycode; anything else (%-escapes, '\\') is refused.
    if (!absl::ascii_isalnum(u) && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

bool IsLoopbackHost(absl::string_view host) {
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  if (absl::StartsWith(host, "[")) {
    if (host.size() < 2 || host.back() != ']') return false;
    const std::string inner(host.substr(1, host.size() - 2));
    in6_addr address;
    return inet_pton(AF_INET6, inner.c_str(), &address) == 1 &&
           IN6_IS_ADDR_LOOPBACK(&address);
  }
  const std::string text(host);
  in_addr address;
  if (inet_pton(AF_INET, text.c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
}

absl::Status CheckWebhookUrl(absl::string_view url, absl::string_view field) {
  constexpr char kExample[] = "e.g. \"https://hooks.example.org/brobygger\"";
  if (url.empty()) {
    return InvalidFieldError(
        field, absl::StrCat("is required: the https:// URL deliveries are "
                            "POSTed to, ",
                            kExample));
  }
  if (url.size() > kMaxWebhookUrlLength) {
    return InvalidFieldError(
        field, absl::StrCat("is longer than ", kMaxWebhookUrlLength,
                            " characters; use a shorter URL"));
  }
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      return InvalidFieldError(
          field,
          "contains spaces, control or non-ASCII characters; percent-encode "
          "the path and write the host in punycode");
    }
  }
  bool https = false;
  absl::string_view rest;
  if (absl::StartsWithIgnoreCase(url, "https://")) {
    https = true;
    rest = url.substr(8);
  } else if (absl::StartsWithIgnoreCase(url, "http://")) {
    rest = url.substr(7);
  } else {
    return InvalidFieldError(
        field, absl::StrCat("must be an https:// URL, ", kExample));
  }
  const absl::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (absl::StrContains(authority, "@")) {
    return InvalidFieldError(
        field,
        "must not contain user information (\"user:password@\"): deliveries "
        "are authenticated by their Brobygger-Signature header");
  }
  Authority parts;
  if (!SplitAuthority(authority, &parts) || !IsValidHost(parts.host)) {
    return InvalidFieldError(
        field, absl::StrCat("has no valid host name or address, ", kExample));
  }
  if (!IsValidPort(parts.port)) {
    return InvalidFieldError(field, "has a port outside 1-65535");
  }
  if (!https && !IsLoopbackHost(parts.host)) {
    return InvalidFieldError(
        field,
        "must use https:// (http:// is accepted only for 127.0.0.1, ::1 and "
        "localhost): deliveries carry events about people and travel "
        "encrypted");
  }
  return absl::OkStatus();
}

}  // namespace brobygger::notifications
