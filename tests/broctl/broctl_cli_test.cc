// broctl as a user runs it: the real binary, as a child process, against a
// real registry and redis-server, with keys and tokens that broctl itself
// made. This is what deploy/local/up.sh relies on to load the demo.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/broctl/broctl_runner.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace brobygger::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr char kDemoFile[] = BROBYGGER_SOURCE_DIR "/deploy/demo/aalborg.json";

using Result = BroctlResult;

class BroctlCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/broctl-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = new fs::path(pattern);

    // Keys from broctl; the registry trusts them, so every token below is
    // minted by broctl and checked by the real verifier.
    const Result keygen =
        RunBroctl(*dir_, {"keygen", "--out", (*dir_ / "keys").string()});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
    ASSERT_EQ(fs::status(*dir_ / "keys/private/dev.pem").permissions() &
                  fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);

    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = redis->release();
    ServiceProcess::Options options;
    options.binary = ServiceProcess::BinaryPath("registry");
    options.redis_port = redis_->port();
    options.jwt_public_keys_dir = (*dir_ / "keys/public").string();
    auto registry = ServiceProcess::Start(options);
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = registry->release();
  }

  static void TearDownTestSuite() {
    delete registry_;
    delete redis_;
    if (dir_ != nullptr) fs::remove_all(*dir_);
    delete dir_;
  }

  void SetUp() override {
    ASSERT_NE(registry_, nullptr);
    ASSERT_TRUE(redis_->FlushAll().ok());
    coordinator_ =
        Token({"--role", "coordinator", "--municipality", "aalborg"});
    operator_ = Token({"--role", "operator"});
  }

  std::string Token(std::vector<std::string> args) {
    args.insert(args.begin(),
                {"token", "--key", (*dir_ / "keys/private/dev.pem").string()});
    const Result result = RunBroctl(*dir_, args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return std::string(absl::StripAsciiWhitespace(result.out));
  }

  // broctl against the registry with `token`.
  Result Call(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), {"--addr", registry_->address(), "--token", token,
                               "--timeout", "5s"});
    return RunBroctl(*dir_, args);
  }

  Result ImportDemo() {
    return Call(coordinator_, {"actors", "import", "--file", kDemoFile,
                               "--operator-token", operator_});
  }

  static fs::path* dir_;
  static RedisServer* redis_;
  static ServiceProcess* registry_;
  std::string coordinator_;
  std::string operator_;
};

fs::path* BroctlCliTest::dir_ = nullptr;
RedisServer* BroctlCliTest::redis_ = nullptr;
ServiceProcess* BroctlCliTest::registry_ = nullptr;

TEST_F(BroctlCliTest, ImportsTheDemoAndASecondImportCreatesNothing) {
  const Result first = ImportDemo();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const Json created = Json::parse(first.out);
  EXPECT_TRUE(created["municipalityCreated"].get<bool>());
  EXPECT_EQ(created["actors"].size(), 40u);
  EXPECT_EQ(created["contactPoints"].size(), 6u);
  EXPECT_EQ(created["forums"].size(), 2u);
  EXPECT_EQ(created["coordinator"], created["actors"]["coordinator"]);

  const Result second = ImportDemo();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const Json again = Json::parse(second.out);
  EXPECT_FALSE(again["municipalityCreated"].get<bool>());
  EXPECT_EQ(again["actors"], created["actors"]);
  EXPECT_EQ(again["contactPoints"], created["contactPoints"]);
  EXPECT_EQ(again["forums"], created["forums"]);

  // Every page, newcomers included (a coordinator sees them): still 40.
  const Result list = Call(
      coordinator_, {"actors", "list", "--parent", "municipalities/aalborg"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(Json::parse(list.out)["actors"].size(), 40u);

  const Result municipality =
      Call(coordinator_, {"municipality", "get", "aalborg"});
  ASSERT_EQ(municipality.exit_code, 0) << municipality.err;
  EXPECT_EQ(Json::parse(municipality.out)["coordinator"],
            created["actors"]["coordinator"]);
}

TEST_F(BroctlCliTest, ImportedSteeringGroupIsBalanced) {
  const Result imported = ImportDemo();
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string steering =
      Json::parse(imported.out)["forums"]["steering-group"];
  const Result forum = Call(coordinator_, {"forums", "get", steering});
  ASSERT_EQ(forum.exit_code, 0) << forum.err;
  const Json representation = Json::parse(forum.out)["representation"];
  EXPECT_EQ(representation["municipalMembers"], 7);
  EXPECT_EQ(representation["civilSocietyMembers"], 10);
  EXPECT_EQ(representation["balanced"], true);
}

TEST_F(BroctlCliTest, FiltersVolunteersByMotherTongue) {
  const Result imported = ImportDemo();
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const Result listed =
      Call(coordinator_,
           {"actors", "list", "--parent", "municipalities/aalborg", "--filter",
            "kind = VOLUNTEER AND mother_tongue = \"ti\""});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const Json volunteers = Json::parse(listed.out)["actors"];
  ASSERT_EQ(volunteers.size(), 2u);
  EXPECT_EQ(volunteers[0]["displayName"], "Yonas Tesfay");
  EXPECT_EQ(volunteers[1]["displayName"], "Mulu Gebremedhin");
}

TEST_F(BroctlCliTest, ResolvesContactsByAreaAndFallsBackToTheCoordinator) {
  const Result imported = ImportDemo();
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const Json names = Json::parse(imported.out);

  const Result kaerby =
      Call(coordinator_, {"contact", "resolve", "--parent", "aalborg",
                          "--topic", "housing", "--area", "Kærby"});
  ASSERT_EQ(kaerby.exit_code, 0) << kaerby.err;
  EXPECT_EQ(Json::parse(kaerby.out)["resolution"], "RESOLUTION_TOPIC_AND_AREA");
  EXPECT_EQ(Json::parse(kaerby.out)["contact"],
            names["actors"]["housing-kaerby"]);

  const Result elsewhere =
      Call(coordinator_, {"contact", "resolve", "--parent", "aalborg",
                          "--topic", "housing", "--area", "Svenstrup"});
  ASSERT_EQ(elsewhere.exit_code, 0) << elsewhere.err;
  EXPECT_EQ(Json::parse(elsewhere.out)["resolution"], "RESOLUTION_TOPIC");

  const Result unknown_topic =
      Call(coordinator_,
           {"contact", "resolve", "--parent", "aalborg", "--topic", "school"});
  ASSERT_EQ(unknown_topic.exit_code, 0) << unknown_topic.err;
  EXPECT_EQ(Json::parse(unknown_topic.out)["resolution"],
            "RESOLUTION_COORDINATOR");
  EXPECT_EQ(Json::parse(unknown_topic.out)["contact"],
            names["actors"]["coordinator"]);
}

TEST_F(BroctlCliTest, ServerErrorsShowEveryOffendingFieldAndExitOne) {
  const Result created =
      Call(operator_, {"municipality", "create", "aalborg", "--display-name",
                       "Aalborg Kommune", "--areas", "Aalborg C,Kærby"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const fs::path file = *dir_ / "bad.json";
  std::ofstream(file) << R"({"municipality": {"id": "aalborg"}, "actors": [
      {"ref": "x", "kind": "ACTOR_KIND_VOLUNTEER", "displayName": "X",
       "areas": ["Atlantis"], "volunteer": {"capacity": 99}}]})";
  const Result result =
      Call(coordinator_, {"actors", "import", "--file", file.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(result.err, HasSubstr("actors[0] (ref \"x\")"));
  EXPECT_THAT(result.err, HasSubstr("field actor.areas[0]"));
  EXPECT_THAT(result.err, HasSubstr("field actor.volunteer.capacity"));
}

TEST_F(BroctlCliTest, MissingMunicipalityNeedsAnOperator) {
  const Result result =
      Call(coordinator_, {"actors", "import", "--file", kDemoFile});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(result.err, HasSubstr("--operator-token"));
}

TEST_F(BroctlCliTest, NoTokenIsUnauthenticatedWithAHint) {
  const Result result = Call("", {"municipality", "list"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("UNAUTHENTICATED"));
  EXPECT_THAT(result.err, HasSubstr("BROBYGGER_TOKEN"));
}

TEST_F(BroctlCliTest, HealthIsServingAndAClosedPortIsAnError) {
  const Result ready =
      RunBroctl(*dir_, {"health", "--addr", registry_->address()});
  EXPECT_EQ(ready.exit_code, 0) << ready.err;
  EXPECT_THAT(ready.out, HasSubstr("\"SERVING\""));
  const Result liveness = RunBroctl(
      *dir_,
      {"health", "--addr", registry_->address(), "--service", "liveness"});
  EXPECT_EQ(liveness.exit_code, 0) << liveness.err;

  // Port 1 on loopback: nothing listens there.
  const Result closed =
      RunBroctl(*dir_, {"health", "--addr", "127.0.0.1:1", "--timeout", "2s"});
  EXPECT_EQ(closed.exit_code, 1);
  EXPECT_THAT(closed.err, HasSubstr("UNAVAILABLE"));
}

TEST_F(BroctlCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunBroctl(*dir_, {"actors", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunBroctl(*dir_, {"actors", "get", "--bogus", "x"}).exit_code, 2);
  EXPECT_EQ(RunBroctl(*dir_, {"actors", "get"}).exit_code, 2);
  EXPECT_EQ(RunBroctl(*dir_, {"--timeout", "soon", "health"}).exit_code, 2);
  EXPECT_EQ(RunBroctl(*dir_, {"help"}).exit_code, 0);
}

}  // namespace
}  // namespace brobygger::test
