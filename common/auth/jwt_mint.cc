// Token minting and key generation, for `broctl token`, development and
// tests. Production tokens may come from any ES256 signer that puts the
// same claims in.
#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/jwt.h"
#include "common/auth/jwt_internal.h"
#include "nlohmann/json.hpp"

namespace brobygger::auth {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return length > 0 ? std::string(data, static_cast<size_t>(length))
                    : std::string();
}

}  // namespace

absl::StatusOr<std::string> MintToken(const Principal& principal,
                                      const MintOptions& options,
                                      absl::Time now) {
  if (options.private_key_pem.empty()) {
    return absl::InvalidArgumentError(
        "no private key: give the EC P-256 private key (PEM) to sign with");
  }
  if (!internal::IsValidKid(options.kid)) {
    return absl::InvalidArgumentError(
        "kid must be 1-128 letters, digits, '-', '_' or '.' (the name of the "
        "public key file without .pem)");
  }
  if (options.issuer.empty()) {
    return absl::InvalidArgumentError(
        "issuer is empty: give the issuer the "
        "services are configured with");
  }
  if (options.lifetime <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("lifetime must be positive");
  }
  if (std::string problem = internal::ClaimsProblem(principal);
      !problem.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(problem, ": services would reject this token; fix it"));
  }

  nlohmann::json claims = {
      {"sub", principal.subject},
      {"role", std::string(RoleName(principal.role))},
      {"municipalities", principal.municipalities},
      {"iss", options.issuer},
      {"aud", std::string(kAudience)},
      {"iat", absl::ToUnixSeconds(now)},
      {"exp", absl::ToUnixSeconds(now + options.lifetime)},
  };
  if (!principal.organisation.empty()) claims["org"] = principal.organisation;

  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);
  const std::string claims_text = claims.dump();
  if (jwt_add_header(jwt.get(), "kid", options.kid.c_str()) != 0 ||
      jwt_add_grants_json(jwt.get(), claims_text.c_str()) != 0) {
    return absl::InternalError("could not build the token claims");
  }
  if (jwt_set_alg(jwt.get(), JWT_ALG_ES256,
                  reinterpret_cast<const unsigned char*>(
                      options.private_key_pem.data()),
                  static_cast<int>(options.private_key_pem.size())) != 0) {
    return absl::InvalidArgumentError("the private key cannot be used");
  }
  std::unique_ptr<char, decltype(&free)> encoded(jwt_encode_str(jwt.get()),
                                                 &free);
  if (encoded == nullptr) {
    return absl::InvalidArgumentError(
        "signing failed: the private key must be an EC P-256 private key in "
        "PEM");
  }
  return std::string(encoded.get());
}

absl::StatusOr<std::pair<std::string, std::string>> GenerateKeyPair() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"),
                                                          &EVP_PKEY_free);
  if (key == nullptr)
    return absl::InternalError("EC P-256 key generation failed");
  BioPtr private_bio(BIO_new(BIO_s_mem()), &BIO_free);
  BioPtr public_bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (private_bio == nullptr || public_bio == nullptr ||
      PEM_write_bio_PrivateKey(private_bio.get(), key.get(), nullptr, nullptr,
                               0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(public_bio.get(), key.get()) != 1) {
    return absl::InternalError("writing the key pair as PEM failed");
  }
  return std::make_pair(BioContents(private_bio.get()),
                        BioContents(public_bio.get()));
}

}  // namespace brobygger::auth
