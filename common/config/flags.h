// Configuration: every setting is an absl flag, and every flag can also be
// set from the environment as BROBYGGER_<FLAG_NAME_IN_UPPER_CASE>
// (e.g. --redis_port and BROBYGGER_REDIS_PORT). Precedence: command line,
// then environment, then the default.
#ifndef BROBYGGER_COMMON_CONFIG_FLAGS_H_
#define BROBYGGER_COMMON_CONFIG_FLAGS_H_

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/time/time.h"

// Shared by every service (defined in flags.cc).
ABSL_DECLARE_FLAG(std::string, listen);          // gRPC address
ABSL_DECLARE_FLAG(std::string, metrics_listen);  // Prometheus HTTP address
ABSL_DECLARE_FLAG(int, max_message_bytes);
ABSL_DECLARE_FLAG(absl::Duration, drain_timeout);
ABSL_DECLARE_FLAG(std::string, redis_host);
ABSL_DECLARE_FLAG(int, redis_port);
ABSL_DECLARE_FLAG(std::string, redis_password);
ABSL_DECLARE_FLAG(int, redis_pool_size);
ABSL_DECLARE_FLAG(absl::Duration, redis_timeout);
ABSL_DECLARE_FLAG(std::string, jwt_public_keys_dir);
ABSL_DECLARE_FLAG(std::string, jwt_issuer);
ABSL_DECLARE_FLAG(int64_t, event_stream_maxlen);
ABSL_DECLARE_FLAG(std::string, log_level);

namespace brobygger::config {

// Parses argv after applying BROBYGGER_* environment variables; returns the
// positional arguments (argv[0] first). Exits with usage on a bad flag.
std::vector<char*> ParseFlags(int argc, char** argv);

// The environment variable for a flag: "redis_port" -> "BROBYGGER_REDIS_PORT".
std::string EnvVarFor(const std::string& flag_name);

}  // namespace brobygger::config

#endif  // BROBYGGER_COMMON_CONFIG_FLAGS_H_
