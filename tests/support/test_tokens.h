// Bearer tokens for tests. One EC P-256 key pair is generated per test
// process; its public key is written as "<kid>.pem" into a private temp
// directory, so services started by a test with
// --jwt_public_keys_dir=PublicKeysDir() accept the tokens minted here.
#ifndef BROBYGGER_TESTS_SUPPORT_TEST_TOKENS_H_
#define BROBYGGER_TESTS_SUPPORT_TEST_TOKENS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"

namespace brobygger::test {

// The directory holding the test public key (removed at process exit).
const std::string& PublicKeysDir();

// The key id and private key the test tokens are signed with, for tests
// that craft tokens by hand.
const std::string& TestKid();
const std::string& TestPrivateKeyPem();

// A token signed with the test key, issuer auth::kDefaultIssuer. `subject`
// defaults to "test-<role>". Role ngo_app needs `org` (an organisation
// actor name). On invalid claims the current test fails and "" is returned.
std::string MintTestToken(auth::Role role,
                          std::vector<std::string> municipalities,
                          std::string subject = "", std::string org = "",
                          absl::Duration lifetime = absl::Hours(1));

// A verifier that trusts the test key (default issuer and options).
std::shared_ptr<auth::JwtVerifier> TestVerifier();

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_TEST_TOKENS_H_
