#include "common/auth/jwt_internal.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"

namespace brobygger::auth::internal {
std::string ClaimsProblem(const Principal& principal) {
  if (principal.subject.empty()) return "claim \"sub\" is empty";
  if (principal.subject.size() > kMaxSubjectLength) {
    return absl::StrCat("claim \"sub\" is longer than ", kMaxSubjectLength,
                        " characters");
  }
  if (principal.municipalities.empty()) {
    return "claim \"municipalities\" is empty";
  }
  if (principal.municipalities.size() > kMaxMunicipalities) {
    return absl::StrCat("claim \"municipalities\" has more than ",
                        kMaxMunicipalities, " entries");
  }
  for (const std::string& id : principal.municipalities) {
    if (id == "*") {
      if (principal.role != Role::kOperator) {
        return absl::StrCat(
            "claim \"municipalities\" may be [\"*\"] only "
            "for role operator, not ",
            RoleName(principal.role));
      }
      if (principal.municipalities.size() != 1) {
        return "claim \"municipalities\" must be exactly [\"*\"] when it "
               "holds \"*\"";
      }
      continue;
    }
    if (!api::IsValidMunicipalityId(id)) {
      return absl::StrCat("claim \"municipalities\" holds \"", id.substr(0, 64),
                          "\", which is not a municipality id");
    }
  }
  if (principal.organisation.size() > kMaxSubjectLength) {
    return absl::StrCat("claim \"org\" is longer than ", kMaxSubjectLength,
                        " characters");
  }
  if (principal.role == Role::kNgoApp && principal.organisation.empty()) {
    return "claim \"org\" is required for role ngo_app";
  }
  return "";
}

bool IsValidKid(absl::string_view kid) {
  if (kid.empty() || kid.size() > 128) return false;
  return std::all_of(kid.begin(), kid.end(), [](unsigned char c) {
    return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

absl::Status CheckEcP256PublicKey(absl::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (bio == nullptr) return absl::InternalError("out of memory reading key");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
      &EVP_PKEY_free);
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "not a PEM public key (expected \"-----BEGIN PUBLIC KEY-----\")");
  }
  char group[64] = {0};
  size_t group_length = 0;
  if (!EVP_PKEY_is_a(key.get(), "EC") ||
      EVP_PKEY_get_group_name(key.get(), group, sizeof(group), &group_length) !=
          1 ||
      absl::string_view(group, group_length) != "prime256v1") {
    return absl::InvalidArgumentError(
        "not an EC P-256 key: ES256 tokens need a P-256 (prime256v1) key");
  }
  return absl::OkStatus();
}

}  // namespace brobygger::auth::internal
