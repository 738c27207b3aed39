// The shared flags and the environment overlay. Containers are configured
// by environment variables, people at a terminal by flags; both name the
// same setting, and an explicit flag always wins.
#include "common/config/flags.h"

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"

ABSL_FLAG(std::string, listen, "",
          "gRPC listen address, e.g. 0.0.0.0:50051; empty = the service's "
          "default. Env: BROBYGGER_LISTEN");
ABSL_FLAG(std::string, metrics_listen, "",
          "Prometheus /metrics HTTP address, e.g. 0.0.0.0:9101; empty = the "
          "service's default. Env: BROBYGGER_METRICS_LISTEN");
ABSL_FLAG(int, max_message_bytes, 4 * 1024 * 1024,
          "Largest gRPC message received or sent, in bytes; larger requests "
          "fail with RESOURCE_EXHAUSTED. Env: BROBYGGER_MAX_MESSAGE_BYTES");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(20),
          "On SIGTERM, how long in-flight calls may run before they are "
          "cancelled, e.g. 20s. Env: BROBYGGER_DRAIN_TIMEOUT");
ABSL_FLAG(std::string, redis_host, "127.0.0.1",
          "Redis host. Env: BROBYGGER_REDIS_HOST");
ABSL_FLAG(int, redis_port, 6379, "Redis port. Env: BROBYGGER_REDIS_PORT");
ABSL_FLAG(std::string, redis_password, "",
          "Redis AUTH password; empty = no AUTH. Prefer the environment over "
          "the command line, which other users can read. "
          "Env: BROBYGGER_REDIS_PASSWORD");
ABSL_FLAG(int, redis_pool_size, 32,
          "Most Redis connections a service keeps open. "
          "Env: BROBYGGER_REDIS_POOL_SIZE");
ABSL_FLAG(absl::Duration, redis_timeout, absl::Seconds(2),
          "Connect and command timeout for Redis, e.g. 2s or 500ms. "
          "Env: BROBYGGER_REDIS_TIMEOUT");
ABSL_FLAG(std::string, jwt_public_keys_dir, "",
          "Directory of PEM public keys (<kid>.pem) that verify access "
          "tokens. Env: BROBYGGER_JWT_PUBLIC_KEYS_DIR");
ABSL_FLAG(std::string, jwt_issuer, "brobygger-dev",
          "Required `iss` claim of access tokens. Env: BROBYGGER_JWT_ISSUER");
ABSL_FLAG(int64_t, event_stream_maxlen, 1000000,
          "Approximate number of entries each event stream keeps (XADD "
          "MAXLEN ~). Env: BROBYGGER_EVENT_STREAM_MAXLEN");
ABSL_FLAG(std::string, log_level, "info",
          "Lowest log level written: debug, info, warning or error. "
          "Env: BROBYGGER_LOG_LEVEL");

namespace brobygger::config {
namespace {

[[noreturn]] void ExitWithConfigError(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::exit(2);
}

void SetUsageOnce(const char* argv0) {
  static const bool done = [argv0] {
    std::string program = argv0 == nullptr ? "brobygger" : argv0;
    if (const size_t slash = program.rfind('/'); slash != std::string::npos) {
      program = program.substr(slash + 1);
    }
    // --help lists Brobygger's flags, not Abseil's internal ones.
    const auto ours = [](absl::string_view file) {
      return !absl::StrContains(file, "absl/");
    };
    absl::FlagsUsageConfig config;
    config.contains_help_flags = ours;
    config.contains_helpshort_flags = ours;
    absl::SetFlagsUsageConfig(config);
    absl::SetProgramUsageMessage(absl::StrCat(
        "Usage: ", program,
        " [--flag=value ...]\n"
        "Every flag can also be set in the environment as BROBYGGER_<FLAG> "
        "(e.g. BROBYGGER_REDIS_PORT=6380); a flag on the command line wins.\n"
        "Run with --helpfull to list all flags, Abseil's included."));
    return true;
  }();
  (void)done;
}

}  // namespace

std::string EnvVarFor(const std::string& flag_name) {
  return absl::StrCat("BROBYGGER_", absl::AsciiStrToUpper(flag_name));
}

std::vector<char*> ParseFlags(int argc, char** argv) {
  SetUsageOnce(argc > 0 ? argv[0] : nullptr);

  // The injected arguments must outlive parsing; flags may be parsed more
  // than once in tests, so they are kept for the life of the process.
  static auto* injected = new std::deque<std::string>();  // stable addresses
  std::vector<char*> args;
  args.push_back(argc > 0 ? argv[0] : const_cast<char*>("brobygger"));
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    const std::string env_var = EnvVarFor(std::string(name));
    const char* value = std::getenv(env_var.c_str());
    if (value == nullptr) continue;
    // Checked here so that a bad value names the variable, not a flag the
    // operator never typed.
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      ExitWithConfigError(absl::StrCat("Bad value in environment variable ",
                                       env_var, "=\"", value, "\": ", error));
    }
    injected->push_back(absl::StrCat("--", name, "=", value));
    args.push_back(injected->back().data());
  }
  // Environment first, then the real arguments: for a flag given twice the
  // last one wins, so the command line overrides the environment.
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);

  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(args.size()), args.data());

  log::Level level;
  const std::string level_name = absl::GetFlag(FLAGS_log_level);
  if (!log::ParseLevel(level_name, &level)) {
    ExitWithConfigError(
        absl::StrCat("Bad --log_level \"", level_name,
                     "\": use debug, info, warning or error (env ",
                     EnvVarFor("log_level"), ")"));
  }
  log::SetMinLevel(level);
  return positional;
}

}  // namespace brobygger::config
