// broctl's catalogue commands as a user runs them: the real broctl binary
// against the real registry and catalogue binaries and a redis-server,
// loading the demo the way deploy/local/up.sh does (actors import, then
// catalogue import) with tokens that broctl itself made.
//
// The catalogue keeps per-municipality state in memory, so Redis is not
// flushed between tests: the registry demo is imported once for the suite
// (the import is idempotent) and no test depends on another's absence.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
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

constexpr char kRegistryDemo[] =
    BROBYGGER_SOURCE_DIR "/deploy/demo/aalborg.json";
constexpr char kCatalogueDemo[] =
    BROBYGGER_SOURCE_DIR "/deploy/demo/aalborg-catalogue.json";
constexpr char kFeedBaseUrl[] = "https://kalender.example.dk";

class CatalogueCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/broctl-catalogue-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = new fs::path(pattern);
    const BroctlResult keygen =
        RunBroctl(*dir_, {"keygen", "--out", (*dir_ / "keys").string()});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;

    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = redis->release();
    ServiceProcess::Options registry_options;
    registry_options.binary = ServiceProcess::BinaryPath("registry");
    registry_options.redis_port = redis_->port();
    registry_options.jwt_public_keys_dir = (*dir_ / "keys/public").string();
    auto registry = ServiceProcess::Start(registry_options);
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = registry->release();

    ServiceProcess::Options catalogue_options = registry_options;
    catalogue_options.binary = ServiceProcess::BinaryPath("catalogue");
    catalogue_options.extra_listen_flags = {"feed_listen"};
    catalogue_options.extra_args = {
        absl::StrCat("--feed_base_url=", kFeedBaseUrl)};
    auto catalogue = ServiceProcess::Start(catalogue_options);
    ASSERT_TRUE(catalogue.ok()) << catalogue.status();
    catalogue_ = catalogue->release();

    coordinator_ = new std::string(
        Token({"--role", "coordinator", "--municipality", "aalborg"}));
    const BroctlResult imported = RunBroctl(
        *dir_, {"--addr", registry_->address(), "--token", *coordinator_,
                "actors", "import", "--file", kRegistryDemo, "--operator-token",
                Token({"--role", "operator"})});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }

  static void TearDownTestSuite() {
    delete catalogue_;
    delete registry_;
    delete redis_;
    delete coordinator_;
    if (dir_ != nullptr) fs::remove_all(*dir_);
    delete dir_;
  }

  void SetUp() override {
    ASSERT_NE(catalogue_, nullptr) << "the services did not start";
    ASSERT_NE(coordinator_, nullptr);
  }

  void TearDown() override {
    if (HasFailure() && catalogue_ != nullptr) {
      std::cerr << "--- catalogue log tail ---\n"
                << catalogue_->LogTail() << "--- end ---\n";
    }
  }

  static std::string Token(std::vector<std::string> args) {
    args.insert(args.begin(),
                {"token", "--key", (*dir_ / "keys/private/dev.pem").string()});
    const BroctlResult result = RunBroctl(*dir_, args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return std::string(absl::StripAsciiWhitespace(result.out));
  }

  // broctl against the catalogue, as aalborg's coordinator.
  BroctlResult Catalogue(std::vector<std::string> args) {
    args.insert(args.begin(), {"--addr", catalogue_->address(), "--token",
                               *coordinator_, "--timeout", "10s"});
    return RunBroctl(*dir_, args);
  }

  BroctlResult ImportCatalogue(const std::string& file) {
    return Catalogue({"catalogue", "import", "--file", file, "--registry-addr",
                      registry_->address()});
  }

  static fs::path* dir_;
  static RedisServer* redis_;
  static ServiceProcess* registry_;
  static ServiceProcess* catalogue_;
  static std::string* coordinator_;
};

fs::path* CatalogueCliTest::dir_ = nullptr;
RedisServer* CatalogueCliTest::redis_ = nullptr;
ServiceProcess* CatalogueCliTest::registry_ = nullptr;
ServiceProcess* CatalogueCliTest::catalogue_ = nullptr;
std::string* CatalogueCliTest::coordinator_ = nullptr;

TEST_F(CatalogueCliTest, ImportsTheDemoCatalogueOnceAndFindsTheDinner) {
  const BroctlResult first = ImportCatalogue(kCatalogueDemo);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const Json created = Json::parse(first.out);
  EXPECT_EQ(created["municipality"], "municipalities/aalborg");
  EXPECT_EQ(created["created"], 13);
  EXPECT_EQ(created["existing"], 0);
  ASSERT_EQ(created["activities"].size(), 13u);
  EXPECT_EQ(created["timelineTemplate"]["items"], 15);
  EXPECT_EQ(created["timelineTemplate"]["updated"], true);
  const std::string dinner =
      created["activities"]["faellesspisning-st-restrup"];

  // Found by a word of its name, typed with or without Danish letters.
  for (const char* text : {"fællesspisning", "faellesspisning restrup"}) {
    const BroctlResult search = Catalogue(
        {"catalogue", "search", "--parent", "aalborg", "--text", text});
    ASSERT_EQ(search.exit_code, 0) << search.err;
    const Json results = Json::parse(search.out)["results"];
    bool found = false;
    for (const Json& result : results) {
      if (result["activity"]["name"] != dinner) continue;
      found = true;
      EXPECT_EQ(result["activity"]["displayName"],
                "Fællesspisning i St. Restrup");
      EXPECT_EQ(result["activity"]["organiserDisplayName"],
                "St. Restrup Lokalråd");
      EXPECT_EQ(result["activity"]["coOrganisers"].size(), 1u);
      EXPECT_TRUE(result.contains("nextOccurrence")) << result.dump();
    }
    EXPECT_TRUE(found) << text << ": " << search.out;
  }

  // The second run creates nothing and leaves the template alone.
  const BroctlResult second = ImportCatalogue(kCatalogueDemo);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const Json again = Json::parse(second.out);
  EXPECT_EQ(again["created"], 0);
  EXPECT_EQ(again["existing"], 13);
  EXPECT_EQ(again["activities"], created["activities"]);
  EXPECT_EQ(again["timelineTemplate"]["updated"], false);
  const BroctlResult list =
      Catalogue({"catalogue", "list", "--parent", "municipalities/aalborg"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(Json::parse(list.out)["activities"].size(), 13u);

  // The template's items name the created activities.
  const BroctlResult timeline =
      Catalogue({"catalogue", "timeline", "get", "--parent", "aalborg"});
  ASSERT_EQ(timeline.exit_code, 0) << timeline.err;
  const Json items = Json::parse(timeline.out)["items"];
  EXPECT_EQ(items.size(), 15u);
  bool furniture = false;
  for (const Json& item : items) {
    if (item["id"] != "furniture") continue;
    furniture = true;
    EXPECT_EQ(item["activity"], created["activities"]["donationslager"]);
  }
  EXPECT_TRUE(furniture) << timeline.out;
}

TEST_F(CatalogueCliTest, ExportsCalendarsAndCreatesFeeds) {
  const BroctlResult imported = ImportCatalogue(kCatalogueDemo);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const fs::path ics = *dir_ / "dinners.ics";
  const BroctlResult calendar =
      Catalogue({"catalogue", "calendar", "--parent", "aalborg", "--category",
                 "COMMUNAL_DINING", "--out", ics.string()});
  ASSERT_EQ(calendar.exit_code, 0) << calendar.err;
  EXPECT_EQ(Json::parse(calendar.out)["eventCount"], 3);
  const std::string text = ReadWholeFile(ics);
  EXPECT_TRUE(absl::StartsWith(text, "BEGIN:VCALENDAR")) << text;
  EXPECT_THAT(text, HasSubstr("Fællesspisning i St. Restrup"));

  const BroctlResult feed = Catalogue(
      {"catalogue", "feed", "create", "--parent", "aalborg", "--display-name",
       "Fællesspisning", "--category", "COMMUNAL_DINING"});
  ASSERT_EQ(feed.exit_code, 0) << feed.err;
  const Json created = Json::parse(feed.out);
  EXPECT_TRUE(absl::StartsWith(created["url"].get<std::string>(),
                               absl::StrCat(kFeedBaseUrl, "/feeds/aalborg/")))
      << feed.out;
  EXPECT_EQ(created["url"].get<std::string>(),
            absl::StrCat(kFeedBaseUrl, created["path"].get<std::string>()));
}

TEST_F(CatalogueCliTest, UnknownOrganiserNamesChangeNothing) {
  const fs::path file = *dir_ / "unknown-organiser.json";
  std::ofstream(file) << R"({"municipality": "aalborg", "activities": [
      {"ref": "yoga", "organiserName": "Ingen Forening",
       "kind": "ACTIVITY_KIND_CIVIL_OFFER", "displayName": "Yoga",
       "category": "CATEGORY_SPORT_AND_LEISURE", "place": {"area": "Kærby"},
       "schedule": {"startTime": "2026-12-01T10:00", "duration": "3600s"},
       "price": {"kind": "KIND_FREE"}}]})";
  const BroctlResult result = ImportCatalogue(file.string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("NOT_FOUND"));
  EXPECT_THAT(result.err, HasSubstr("activities[0] (ref \"yoga\")"));
  EXPECT_THAT(result.err, HasSubstr("\"Ingen Forening\""));
  const BroctlResult search = Catalogue(
      {"catalogue", "search", "--parent", "aalborg", "--text", "yoga"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_FALSE(Json::parse(search.out).contains("results")) << search.out;
}

TEST_F(CatalogueCliTest, BadOptionsAreClearErrors) {
  // Usage errors (unknown options, missing arguments) exit 2.
  const BroctlResult unknown = Catalogue(
      {"catalogue", "search", "--parent", "aalborg", "--colour", "x"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown option --colour"));
  EXPECT_EQ(Catalogue({"catalogue", "get"}).exit_code, 2);
  EXPECT_EQ(Catalogue({"catalogue", "plan", "calendar"}).exit_code, 2);
  // Bad values exit 1 with INVALID_ARGUMENT naming the option.
  const BroctlResult category = Catalogue(
      {"catalogue", "search", "--parent", "aalborg", "--category", "YOGA"});
  EXPECT_EQ(category.exit_code, 1);
  EXPECT_THAT(category.err, HasSubstr("INVALID_ARGUMENT: --category"));
  const BroctlResult window =
      Catalogue({"catalogue", "occurrences", "--parent", "aalborg"});
  EXPECT_EQ(window.exit_code, 1);
  EXPECT_THAT(window.err, HasSubstr("missing --from and --to"));
  EXPECT_THAT(Catalogue({"catalogue", "search"}).err,
              HasSubstr("missing --parent"));
  EXPECT_THAT(Catalogue({"catalogue", "timeline", "set", "--parent", "aalborg",
                         "--file", "/nonexistent.json"})
                  .err,
              HasSubstr("NOT_FOUND: cannot read the timeline template"));
  // The server's own checks come back with the offending field.
  const BroctlResult cancel = Catalogue(
      {"catalogue", "cancel-occurrence", "municipalities/aalborg/activities/1",
       "--start", "someday", "--reason", "closed"});
  EXPECT_EQ(cancel.exit_code, 1);
  EXPECT_THAT(cancel.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(cancel.err, HasSubstr("start_time"));
}

}  // namespace
}  // namespace brobygger::test
