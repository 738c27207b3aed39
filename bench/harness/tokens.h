// The run's bearer tokens, signed with a key pair made for the run.
#ifndef BROBYGGER_BENCH_HARNESS_TOKENS_H_
#define BROBYGGER_BENCH_HARNESS_TOKENS_H_

#include <string>

#include "absl/status/statusor.h"

namespace brobygger::bench {

struct Tokens {
  std::string operator_token;
  std::string coordinator_token;
};

// A fresh EC key pair: the public key is written as "<kid>.pem" into
// `keys_dir` (for the services' --jwt_public_keys_dir), the private key
// signs an operator token (all municipalities) and a coordinator token for
// `municipality`, valid for two hours.
absl::StatusOr<Tokens> MakeTokens(const std::string& keys_dir,
                                  const std::string& municipality);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_TOKENS_H_
