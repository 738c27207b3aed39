// Bearer JWT verification and (for development and tests) minting, on
// libjwt from Debian.
//
// Tokens are ES256-signed. Verification keys are PEM public keys loaded
// from a directory, one file "<kid>.pem" per key, so keys rotate by adding
// the new key, switching the signer, and removing the old key later. The
// token header's "kid" selects the key; "alg" must be ES256 (no alg
// confusion, no "none"). Required claims: sub, role, municipalities, exp,
// iss (== configured issuer), aud (== "brobygger").
#ifndef BROBYGGER_COMMON_AUTH_JWT_H_
#define BROBYGGER_COMMON_AUTH_JWT_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace brobygger::auth {

inline constexpr absl::string_view kAudience = "brobygger";
inline constexpr absl::string_view kDefaultIssuer = "brobygger-dev";

struct VerifierOptions {
  // Directory of "<kid>.pem" public keys.
  std::string public_keys_dir;
  std::string issuer = std::string(kDefaultIssuer);
  // Allowed clock skew for exp/nbf.
  absl::Duration leeway = absl::Seconds(30);
  // Verified tokens are cached (by token text, until they expire) so that a
  // token is verified once, not on every call.
  int cache_size = 10000;
};

class JwtVerifier {
 public:
  // Loads every key in the directory; fails if there is none.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(
      VerifierOptions options);
  // For tests: keys given directly, kid -> PEM.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> FromKeys(
      std::map<std::string, std::string> pem_by_kid, VerifierOptions options);

  // UNAUTHENTICATED for a malformed, unsigned, wrongly signed, expired or
  // not-yet-valid token, an unknown kid, a wrong issuer or audience, or
  // missing claims; the message says which.
  absl::StatusOr<Principal> Verify(absl::string_view token,
                                   absl::Time now = absl::Now());

 private:
  JwtVerifier(std::map<std::string, std::string> pem_by_kid,
              VerifierOptions options);
  std::map<std::string, std::string> pem_by_kid_;
  VerifierOptions options_;
  absl::Mutex mu_;
  std::map<std::string, Principal, std::less<>> cache_ ABSL_GUARDED_BY(mu_);
};

struct MintOptions {
  std::string private_key_pem;  // EC P-256 private key
  std::string kid;
  std::string issuer = std::string(kDefaultIssuer);
  absl::Duration lifetime = absl::Hours(12);
};

// Signs a token for `principal` (its `expires` is ignored; lifetime used).
absl::StatusOr<std::string> MintToken(const Principal& principal,
                                      const MintOptions& options,
                                      absl::Time now = absl::Now());

// Generates an EC P-256 key pair (OpenSSL): {private PEM, public PEM}.
absl::StatusOr<std::pair<std::string, std::string>> GenerateKeyPair();

}  // namespace brobygger::auth

#endif  // BROBYGGER_COMMON_AUTH_JWT_H_
