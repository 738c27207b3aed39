// Configuration precedence: command line, then BROBYGGER_* environment,
// then the default.
#include "common/config/flags.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/time/time.h"
#include "common/server/service_host.h"
#include "gtest/gtest.h"

namespace brobygger::config {
namespace {

// Runs ParseFlags on a copy of `args` (argv[0] first).
std::vector<std::string> Parse(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  std::vector<char*> positional =
      ParseFlags(static_cast<int>(argv.size()), argv.data());
  return std::vector<std::string>(positional.begin(), positional.end());
}

class FlagsTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* name :
         {"BROBYGGER_REDIS_PORT", "BROBYGGER_DRAIN_TIMEOUT",
          "BROBYGGER_REDIS_HOST", "BROBYGGER_LOG_LEVEL", "BROBYGGER_LISTEN"}) {
      unsetenv(name);
    }
  }
  absl::FlagSaver saver_;  // every test starts from the defaults
};

TEST_F(FlagsTest, EnvVarNames) {
  EXPECT_EQ(EnvVarFor("redis_port"), "BROBYGGER_REDIS_PORT");
  EXPECT_EQ(EnvVarFor("jwt_public_keys_dir"), "BROBYGGER_JWT_PUBLIC_KEYS_DIR");
}

TEST_F(FlagsTest, DefaultsWithoutEnvironment) {
  Parse({"prog"});
  EXPECT_EQ(absl::GetFlag(FLAGS_redis_port), 6379);
  EXPECT_EQ(absl::GetFlag(FLAGS_redis_host), "127.0.0.1");
  EXPECT_EQ(absl::GetFlag(FLAGS_max_message_bytes), 4 * 1024 * 1024);
  EXPECT_EQ(absl::GetFlag(FLAGS_drain_timeout), absl::Seconds(20));
  EXPECT_EQ(absl::GetFlag(FLAGS_event_stream_maxlen), 1000000);
}

TEST_F(FlagsTest, EnvironmentSetsFlags) {
  setenv("BROBYGGER_REDIS_PORT", "6390", 1);
  setenv("BROBYGGER_DRAIN_TIMEOUT", "5s", 1);
  setenv("BROBYGGER_REDIS_HOST", "redis.internal", 1);
  Parse({"prog"});
  EXPECT_EQ(absl::GetFlag(FLAGS_redis_port), 6390);
  EXPECT_EQ(absl::GetFlag(FLAGS_drain_timeout), absl::Seconds(5));
  EXPECT_EQ(absl::GetFlag(FLAGS_redis_host), "redis.internal");
}

TEST_F(FlagsTest, CommandLineOverridesEnvironment) {
  setenv("BROBYGGER_REDIS_PORT", "6390", 1);
  setenv("BROBYGGER_REDIS_HOST", "from-env", 1);
  Parse({"prog", "--redis_port=7000"});
  EXPECT_EQ(absl::GetFlag(FLAGS_redis_port), 7000);
  // A flag not on the command line still comes from the environment.
  EXPECT_EQ(absl::GetFlag(FLAGS_redis_host), "from-env");
}

TEST_F(FlagsTest, ReturnsPositionalArguments) {
  setenv("BROBYGGER_REDIS_PORT", "6390", 1);
  const std::vector<std::string> positional =
      Parse({"prog", "--redis_port=7000", "extra"});
  EXPECT_EQ(positional, (std::vector<std::string>{"prog", "extra"}));
}

TEST_F(FlagsTest, BadEnvironmentValueExitsNamingTheVariable) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  setenv("BROBYGGER_REDIS_PORT", "not-a-port", 1);
  EXPECT_EXIT(Parse({"prog"}), ::testing::ExitedWithCode(2),
              "BROBYGGER_REDIS_PORT");
}

TEST_F(FlagsTest, BadLogLevelExits) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  setenv("BROBYGGER_LOG_LEVEL", "loud", 1);
  EXPECT_EXIT(Parse({"prog"}), ::testing::ExitedWithCode(2), "log_level");
}

TEST_F(FlagsTest, HostOptionsUseFlagsOrServiceDefaults) {
  Parse({"prog", "--metrics_listen=0.0.0.0:9999", "--max_message_bytes=1024"});
  server::HostOptions options = server::HostOptionsFromFlags(
      "registry", "127.0.0.1:50051", "127.0.0.1:9101");
  EXPECT_EQ(options.service_name, "registry");
  EXPECT_EQ(options.listen_address, "127.0.0.1:50051");
  EXPECT_EQ(options.metrics_address, "0.0.0.0:9999");
  EXPECT_EQ(options.max_message_bytes, 1024);
  EXPECT_EQ(options.drain_timeout, absl::Seconds(20));
}

}  // namespace
}  // namespace brobygger::config
