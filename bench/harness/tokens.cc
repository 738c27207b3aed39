#include "bench/harness/tokens.h"

#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"

namespace brobygger::bench {
namespace {

constexpr char kKeyId[] = "bench-key";

}  // namespace

absl::StatusOr<Tokens> MakeTokens(const std::string& keys_dir,
                                  const std::string& municipality) {
  absl::StatusOr<std::pair<std::string, std::string>> pair =
      auth::GenerateKeyPair();
  if (!pair.ok()) return pair.status();
  std::filesystem::create_directories(keys_dir);
  {
    std::ofstream out(std::filesystem::path(keys_dir) /
                      absl::StrCat(kKeyId, ".pem"));
    out << pair->second;
    if (!out) {
      return absl::InternalError(
          absl::StrCat("cannot write the public key into ", keys_dir));
    }
  }
  auth::MintOptions mint;
  mint.private_key_pem = pair->first;
  mint.kid = kKeyId;
  mint.lifetime = absl::Hours(2);
  Tokens tokens;
  auth::Principal operator_principal;
  operator_principal.subject = "bench-operator";
  operator_principal.role = auth::Role::kOperator;
  operator_principal.municipalities = {"*"};
  absl::StatusOr<std::string> minted =
      auth::MintToken(operator_principal, mint);
  if (!minted.ok()) return minted.status();
  tokens.operator_token = *std::move(minted);
  auth::Principal coordinator;
  coordinator.subject = "bench-coordinator";
  coordinator.role = auth::Role::kCoordinator;
  coordinator.municipalities = {municipality};
  minted = auth::MintToken(coordinator, mint);
  if (!minted.ok()) return minted.status();
  tokens.coordinator_token = *std::move(minted);
  return tokens;
}

}  // namespace brobygger::bench
