// The run's bearer tokens, signed with a key pair made for the run.
#ifndef BROBYGGER_BENCH_REGISTRY_BENCH_TOKENS_H_
#define BROBYGGER_BENCH_REGISTRY_BENCH_TOKENS_H_

#include <string>

#include "absl/status/statusor.h"

namespace brobygger::bench {

struct Tokens {
  std::string operator_token;
  std::string coordinator_token;
};

// A fresh EC key pair: the public key is written as "<kid>.pem" into
// `keys_dir` (for the registry's --jwt_public_keys_dir), the private key
// signs an operator token (all municipalities) and a coordinator token for
// kMunicipalityId, valid for two hours.
absl::StatusOr<Tokens> MakeTokens(const std::string& keys_dir);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_REGISTRY_BENCH_TOKENS_H_
