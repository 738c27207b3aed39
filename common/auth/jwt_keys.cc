// Loading of verification keys: "<kid>.pem" files from a directory, or a
// map for tests. Every key is checked to be an EC P-256 public key up
// front, so a wrong file fails the service at start-up, not on the first
// call that uses it.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/jwt.h"
#include "common/auth/jwt_internal.h"

namespace brobygger::auth {
namespace {

// A key file holds one PEM public key (a few hundred bytes).
constexpr uintmax_t kMaxKeyFileBytes = 16 * 1024;

}  // namespace

JwtVerifier::JwtVerifier(std::map<std::string, std::string> pem_by_kid,
                         VerifierOptions options)
    : pem_by_kid_(std::move(pem_by_kid)), options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(
    VerifierOptions options) {
  namespace fs = std::filesystem;
  const std::string& dir = options.public_keys_dir;
  std::error_code error;
  if (dir.empty() || !fs::is_directory(dir, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "public key directory \"", dir,
        "\" does not exist: point --jwt_public_keys_dir at a directory of "
        "<kid>.pem public keys"));
  }
  std::map<std::string, std::string> pem_by_kid;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".pem") {
      continue;
    }
    const std::string path = entry.path().string();
    if (entry.file_size() > kMaxKeyFileBytes) {
      return absl::FailedPreconditionError(
          absl::StrCat("key file ", path, " is larger than ", kMaxKeyFileBytes,
                       " bytes: it must hold one PEM public key"));
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    if (!in) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read key file ", path, ": check permissions"));
    }
    pem_by_kid[entry.path().stem().string()] = content.str();
  }
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot list public key directory \"", dir, "\": ", error.message()));
  }
  if (pem_by_kid.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no public keys in \"", dir,
        "\": add the token signer's EC P-256 public key as <kid>.pem"));
  }
  return FromKeys(std::move(pem_by_kid), std::move(options));
}

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::FromKeys(
    std::map<std::string, std::string> pem_by_kid, VerifierOptions options) {
  if (pem_by_kid.empty()) {
    return absl::FailedPreconditionError(
        "no public keys given: a verifier needs at least one <kid> -> PEM");
  }
  for (const auto& [kid, pem] : pem_by_kid) {
    if (!internal::IsValidKid(kid)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "key id \"", kid,
          "\" is not valid: use 1-128 letters, digits, '-', '_' or '.'"));
    }
    if (absl::Status s = internal::CheckEcP256PublicKey(pem); !s.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("key \"", kid, "\": ", s.message(),
                       "; replace it with the signer's P-256 public key"));
    }
  }
  if (options.issuer.empty()) {
    return absl::FailedPreconditionError(
        "the token issuer is empty: configure the issuer tokens must carry");
  }
  return std::unique_ptr<JwtVerifier>(
      new JwtVerifier(std::move(pem_by_kid), std::move(options)));
}

}  // namespace brobygger::auth
