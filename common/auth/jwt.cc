// Verification of bearer tokens. The order of the checks matters: the
// header is decoded and its "alg" pinned to ES256 *before* libjwt sees the
// token, because libjwt verifies with whatever algorithm the header names
// (an "HS256" header would make it use our public key as an HMAC secret).
#include "common/auth/jwt.h"

#include <jwt.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/jwt_internal.h"
#include "common/status/errors.h"
#include "nlohmann/json.hpp"

namespace brobygger::auth {
namespace {

using nlohmann::json;

// Tokens travel in a header on every call; anything this big is not ours.
constexpr size_t kMaxTokenLength = 8192;
// NumericDate bounds: before 1970 or after the year 5138 is nonsense.
constexpr double kMaxNumericDate = 1e11;

using TokenCache = std::map<std::string, Principal, std::less<>>;

absl::Status Unauthenticated(absl::string_view why,
                             absl::string_view reason = "INVALID_TOKEN") {
  return WithReason(absl::UnauthenticatedError(absl::StrCat(
                        "invalid bearer token: ", why,
                        "; send a valid token (mint one with `broctl token`)")),
                    reason);
}

// Parses base64url JSON (a token header). nullopt if either step fails.
std::optional<json> DecodeJsonSegment(absl::string_view segment) {
  std::string text;
  if (!absl::WebSafeBase64Unescape(segment, &text)) return std::nullopt;
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

// A NumericDate claim (seconds since the epoch, integer or fractional).
std::optional<absl::Time> NumericDate(const json& value) {
  if (!value.is_number()) return std::nullopt;
  const double seconds = value.get<double>();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxNumericDate) {
    return std::nullopt;
  }
  return absl::FromUnixMillis(std::llround(seconds * 1000));
}

std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// Makes room in a full token cache: expired entries go first; if it is
// still full of live tokens, the tenth (at least one) that expires soonest
// goes, so the next insertions do not each pay for a full scan.
void Evict(TokenCache& cache, size_t limit, absl::Time now,
           absl::Duration leeway) {
  for (auto it = cache.begin(); it != cache.end();) {
    if (now >= it->second.expires + leeway) {
      it = cache.erase(it);
    } else {
      ++it;
    }
  }
  if (cache.size() < limit) return;
  std::vector<absl::Time> expiries;
  expiries.reserve(cache.size());
  for (const auto& [token, principal] : cache) {
    expiries.push_back(principal.expires);
  }
  const size_t drop = std::max<size_t>(1, cache.size() / 10);
  std::nth_element(expiries.begin(), expiries.begin() + (drop - 1),
                   expiries.end());
  const absl::Time cutoff = expiries[drop - 1];
  size_t dropped = 0;
  for (auto it = cache.begin(); it != cache.end() && dropped < drop;) {
    if (it->second.expires <= cutoff) {
      it = cache.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
}

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

}  // namespace

absl::StatusOr<Principal> JwtVerifier::Verify(absl::string_view token,
                                              absl::Time now) {
  if (token.empty()) return Unauthenticated("the token is empty");
  if (token.size() > kMaxTokenLength) {
    return Unauthenticated(
        absl::StrCat("the token is longer than ", kMaxTokenLength, " bytes"));
  }
  if (options_.cache_size > 0) {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(token);
    if (it != cache_.end()) {
      if (now < it->second.expires + options_.leeway) return it->second;
      cache_.erase(it);
    }
  }

  // 1. Header: three segments, alg pinned to ES256, a known kid.
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return Unauthenticated(
        "malformed token: expected three base64url segments separated by "
        "'.'");
  }
  const std::optional<json> header = DecodeJsonSegment(parts[0]);
  if (!header.has_value()) {
    return Unauthenticated("malformed token header: not base64url JSON");
  }
  const auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string() ||
      alg->get<std::string>() != "ES256") {
    const std::string shown = alg != header->end() && alg->is_string()
                                  ? alg->get<std::string>()
                                  : "(none)";
    return Unauthenticated(absl::StrCat("algorithm \"", shown.substr(0, 32),
                                        "\" is not accepted, only ES256"));
  }
  const auto kid = header->find("kid");
  if (kid == header->end() || !kid->is_string()) {
    return Unauthenticated("the token header has no \"kid\"");
  }
  const auto key = pem_by_kid_.find(kid->get<std::string>());
  if (key == pem_by_kid_.end()) {
    return Unauthenticated(
        absl::StrCat("key id \"", kid->get<std::string>().substr(0, 64),
                     "\" is unknown (retired or foreign key)"));
  }
  if (parts[2].empty()) return Unauthenticated("the token is not signed");

  // 2. Signature, by libjwt with the kid's key.
  jwt_t* raw = nullptr;
  const std::string token_text(token);
  const int rc =
      jwt_decode(&raw, token_text.c_str(),
                 reinterpret_cast<const unsigned char*>(key->second.data()),
                 static_cast<int>(key->second.size()));
  std::unique_ptr<jwt_t, JwtDeleter> decoded(raw);
  if (rc != 0 || decoded == nullptr ||
      jwt_get_alg(decoded.get()) != JWT_ALG_ES256) {
    return Unauthenticated("the signature does not verify");
  }

  // 3. Claims.
  std::unique_ptr<char, decltype(&free)> grants_text(
      jwt_get_grants_json(decoded.get(), nullptr), &free);
  if (grants_text == nullptr) return Unauthenticated("the token has no claims");
  const json claims =
      json::parse(grants_text.get(), nullptr, /*allow_exceptions=*/false);
  if (claims.is_discarded() || !claims.is_object()) {
    return Unauthenticated("the claims are not a JSON object");
  }

  const auto exp = claims.find("exp");
  if (exp == claims.end()) return Unauthenticated("claim \"exp\" is missing");
  const std::optional<absl::Time> expires = NumericDate(*exp);
  if (!expires.has_value()) {
    return Unauthenticated("claim \"exp\" is not a valid time");
  }
  if (now >= *expires + options_.leeway) {
    return Unauthenticated(absl::StrCat("it expired at ", FormatUtc(*expires)),
                           "TOKEN_EXPIRED");
  }
  const auto nbf = claims.find("nbf");
  if (nbf != claims.end()) {
    const std::optional<absl::Time> not_before = NumericDate(*nbf);
    if (!not_before.has_value()) {
      return Unauthenticated("claim \"nbf\" is not a valid time");
    }
    if (now + options_.leeway < *not_before) {
      return Unauthenticated(
          absl::StrCat("it is not valid before ", FormatUtc(*not_before)));
    }
  }

  const auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string() ||
      iss->get<std::string>() != options_.issuer) {
    return Unauthenticated(
        absl::StrCat("claim \"iss\" must be \"", options_.issuer, "\""));
  }
  const auto aud = claims.find("aud");
  bool audience_ok = false;
  if (aud != claims.end() && aud->is_string()) {
    audience_ok = aud->get<std::string>() == kAudience;
  } else if (aud != claims.end() && aud->is_array()) {
    audience_ok = std::any_of(aud->begin(), aud->end(), [](const json& a) {
      return a.is_string() && a.get<std::string>() == kAudience;
    });
  }
  if (!audience_ok) {
    return Unauthenticated(
        absl::StrCat("claim \"aud\" must be \"", kAudience, "\""));
  }

  Principal principal;
  principal.expires = *expires;
  const auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string()) {
    return Unauthenticated("claim \"sub\" is missing");
  }
  principal.subject = sub->get<std::string>();
  const auto role = claims.find("role");
  if (role == claims.end() || !role->is_string()) {
    return Unauthenticated("claim \"role\" is missing");
  }
  const std::optional<Role> parsed_role = ParseRole(role->get<std::string>());
  if (!parsed_role.has_value()) {
    return Unauthenticated(absl::StrCat("claim \"role\" is \"",
                                        role->get<std::string>().substr(0, 32),
                                        "\", which is not a role"));
  }
  principal.role = *parsed_role;
  const auto municipalities = claims.find("municipalities");
  if (municipalities == claims.end() || !municipalities->is_array()) {
    return Unauthenticated("claim \"municipalities\" must be an array");
  }
  if (municipalities->size() > internal::kMaxMunicipalities) {
    return Unauthenticated(
        absl::StrCat("claim \"municipalities\" has more than ",
                     internal::kMaxMunicipalities, " entries"));
  }
  for (const json& m : *municipalities) {
    if (!m.is_string()) {
      return Unauthenticated("claim \"municipalities\" must hold strings");
    }
    principal.municipalities.push_back(m.get<std::string>());
  }
  const auto org = claims.find("org");
  if (org != claims.end()) {
    if (!org->is_string()) {
      return Unauthenticated("claim \"org\" must be a string");
    }
    principal.organisation = org->get<std::string>();
  }
  if (std::string problem = internal::ClaimsProblem(principal);
      !problem.empty()) {
    return Unauthenticated(problem);
  }

  // A token with "nbf" is not cached: a cached entry only remembers the
  // expiry, and a later call could present an earlier `now`.
  if (options_.cache_size > 0 && nbf == claims.end()) {
    absl::MutexLock lock(&mu_);
    if (cache_.size() >= static_cast<size_t>(options_.cache_size)) {
      Evict(cache_, static_cast<size_t>(options_.cache_size), now,
            options_.leeway);
    }
    cache_.emplace(token_text, principal);
  }
  return principal;
}

}  // namespace brobygger::auth
