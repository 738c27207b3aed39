// Checks shared by token verification, key loading and minting (jwt.cc,
// jwt_keys.cc, jwt_mint.cc),
// so that the minter refuses exactly the tokens the verifier would refuse.
// Not for use outside common/auth.
#ifndef BROBYGGER_COMMON_AUTH_JWT_INTERNAL_H_
#define BROBYGGER_COMMON_AUTH_JWT_INTERNAL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"

namespace brobygger::auth::internal {

// Bounds on claim sizes: a token is a header on every call.
inline constexpr size_t kMaxSubjectLength = 256;
inline constexpr size_t kMaxMunicipalities = 128;

// What is wrong with the claims of `principal` (sub, municipalities, org
// for the role), or an empty string when they are acceptable.
std::string ClaimsProblem(const Principal& principal);

// Key ids name key files ("<kid>.pem"): 1-128 letters, digits, '-', '_'
// or '.', so a kid can never be a path.
bool IsValidKid(absl::string_view kid);

// OK if `pem` is an EC P-256 public key (SubjectPublicKeyInfo PEM).
absl::Status CheckEcP256PublicKey(absl::string_view pem);

}  // namespace brobygger::auth::internal

#endif  // BROBYGGER_COMMON_AUTH_JWT_INTERNAL_H_
