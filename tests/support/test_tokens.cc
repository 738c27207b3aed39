#include "tests/support/test_tokens.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace brobygger::test {
namespace {

class TestKeys {
 public:
  static const TestKeys& Get() {
    // Built on first use, thread-safe; destroyed (directory removed) at
    // process exit.
    static const TestKeys keys;
    return keys;
  }

  std::string kid = "test-key-1";
  std::string private_pem;
  std::string public_pem;
  std::string dir;

  ~TestKeys() {
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }

 private:
  TestKeys() {
    absl::StatusOr<std::pair<std::string, std::string>> pair =
        auth::GenerateKeyPair();
    if (!pair.ok())
      Die(absl::StrCat("GenerateKeyPair: ", pair.status().ToString()));
    private_pem = std::move(pair->first);
    public_pem = std::move(pair->second);

    const std::filesystem::path base = std::filesystem::temp_directory_path();
    std::string pattern = (base / "brobygger-test-keys-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      Die(absl::StrCat("mkdtemp under ", base.string(), " failed"));
    }
    dir = pattern;
    std::ofstream out(std::filesystem::path(dir) / (kid + ".pem"));
    out << public_pem;
    out.close();
    if (!out) Die(absl::StrCat("cannot write the test public key into ", dir));
  }

  // Without keys no test that needs them can run; say why and stop.
  [[noreturn]] static void Die(const std::string& why) {
    fprintf(stderr, "test_tokens: %s\n", why.c_str());
    abort();
  }
};

}  // namespace

const std::string& PublicKeysDir() { return TestKeys::Get().dir; }
const std::string& TestKid() { return TestKeys::Get().kid; }
const std::string& TestPrivateKeyPem() { return TestKeys::Get().private_pem; }

std::string MintTestToken(auth::Role role,
                          std::vector<std::string> municipalities,
                          std::string subject, std::string org,
                          absl::Duration lifetime) {
  const TestKeys& keys = TestKeys::Get();
  auth::Principal principal;
  principal.role = role;
  principal.subject = subject.empty()
                          ? absl::StrCat("test-", auth::RoleName(role))
                          : std::move(subject);
  principal.municipalities = std::move(municipalities);
  principal.organisation = std::move(org);
  auth::MintOptions options;
  options.private_key_pem = keys.private_pem;
  options.kid = keys.kid;
  options.lifetime = lifetime;
  absl::StatusOr<std::string> token = auth::MintToken(principal, options);
  if (!token.ok()) {
    ADD_FAILURE() << "MintTestToken: " << token.status();
    return "";
  }
  return *std::move(token);
}

std::shared_ptr<auth::JwtVerifier> TestVerifier() {
  const TestKeys& keys = TestKeys::Get();
  absl::StatusOr<std::unique_ptr<auth::JwtVerifier>> verifier =
      auth::JwtVerifier::FromKeys({{keys.kid, keys.public_pem}},
                                  auth::VerifierOptions());
  if (!verifier.ok()) {
    ADD_FAILURE() << "TestVerifier: " << verifier.status();
    return nullptr;
  }
  return std::shared_ptr<auth::JwtVerifier>(*std::move(verifier));
}

}  // namespace brobygger::test
