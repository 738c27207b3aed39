// Log lines must stay parseable JSON, one per line, whatever is logged and
// however many threads log at once.
#include "common/log/log.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace brobygger::log {
namespace {

using ::testing::MatchesRegex;

// Redirects stderr into a temporary file for its lifetime.
class CapturedStderr {
 public:
  CapturedStderr() {
    char path[] = "/tmp/log_test_XXXXXX";
    const int fd = mkstemp(path);
    path_ = path;
    // O_APPEND: concurrent writers never overwrite each other's bytes.
    fcntl(fd, F_SETFL, O_APPEND);
    fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  ~CapturedStderr() {
    Restore();
    unlink(path_.c_str());
  }
  // Stops capturing and returns the captured lines.
  std::vector<std::string> Lines() {
    Restore();
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> lines = absl::StrSplit(text.str(), '\n');
    EXPECT_TRUE(lines.back().empty()) << "last line not terminated";
    lines.pop_back();
    return lines;
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
  }
  std::string path_;
  int saved_ = -1;
};

// JsonEscape's output is a valid JSON string body that decodes to `text`
// (for valid UTF-8 input).
std::string RoundTrip(const std::string& text) {
  return nlohmann::json::parse("\"" + JsonEscape(text) + "\"")
      .get<std::string>();
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetServiceName("test");
    SetMinLevel(Level::kDebug);
  }
  void TearDown() override { SetMinLevel(Level::kInfo); }
};

TEST(JsonEscapeTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(JsonEscape("say \"hi\"\\"), "say \\\"hi\\\"\\\\");
  EXPECT_EQ(JsonEscape("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(JsonEscape(std::string("\x01\x1f\x7f", 3)),
            "\\u0001\\u001f\\u007f");
  EXPECT_EQ(JsonEscape(std::string("nul\0byte", 8)), "nul\\u0000byte");
  EXPECT_EQ(RoundTrip("line1\nline2 \"q\" \\ \b\f"),
            "line1\nline2 \"q\" \\ \b\f");
}

TEST(JsonEscapeTest, KeepsValidUtf8) {
  EXPECT_EQ(JsonEscape("Kærby Østergade"), "Kærby Østergade");
  EXPECT_EQ(RoundTrip("مرحبا 👋 Привет"), "مرحبا 👋 Привет");
}

TEST(JsonEscapeTest, ReplacesInvalidUtf8) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(JsonEscape("a\xFF"
                       "b"),
            "a" + fffd + "b");
  // A truncated sequence is one replacement (maximal subpart).
  EXPECT_EQ(JsonEscape("\xE2\x82"
                       "x"),
            fffd + "x");
  // Overlong encoding of '/', and a UTF-16 surrogate: not UTF-8.
  EXPECT_EQ(JsonEscape("\xC0\xAF"), fffd + fffd);
  EXPECT_EQ(JsonEscape("\xED\xA0\x80"), fffd + fffd + fffd);
  // Above U+10FFFF.
  EXPECT_EQ(JsonEscape("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);
  // Truncated at the very end.
  EXPECT_EQ(JsonEscape("ok\xF0\x9F"), "ok" + fffd);
  // Whatever the bytes, the result parses.
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  EXPECT_NO_THROW(RoundTrip(all_bytes + all_bytes));
}

TEST_F(LogTest, WritesOneParseableJsonLine) {
  CapturedStderr captured;
  Info("rpc done", {{"method", "/brobygger.bench.v1.EchoService/Echo"},
                    {"code", "OK"},
                    {"ms", 0.41},
                    {"count", int64_t{42}},
                    {"cached", true},
                    {"note", "two\nlines \"quoted\" \xFF"}});
  const std::vector<std::string> lines = captured.Lines();
  ASSERT_EQ(lines.size(), 1u);
  const nlohmann::json line = nlohmann::json::parse(lines[0]);
  EXPECT_THAT(
      line["ts"].get<std::string>(),
      MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                   "\\.[0-9]{3}Z"));
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["service"], "test");
  EXPECT_EQ(line["msg"], "rpc done");
  EXPECT_EQ(line["method"], "/brobygger.bench.v1.EchoService/Echo");
  EXPECT_EQ(line["code"], "OK");
  EXPECT_DOUBLE_EQ(line["ms"].get<double>(), 0.41);
  EXPECT_EQ(line["count"], 42);
  EXPECT_EQ(line["cached"], true);
  EXPECT_EQ(line["note"], "two\nlines \"quoted\" \xEF\xBF\xBD");
  // Field order: ts, level, service, msg, then the fields.
  EXPECT_EQ(lines[0].rfind("{\"ts\":", 0), 0u);
  EXPECT_LT(lines[0].find("\"msg\""), lines[0].find("\"method\""));
}

TEST_F(LogTest, NonFiniteNumbersBecomeNull) {
  CapturedStderr captured;
  Warning("odd", {{"nan", std::nan("")},
                  {"inf", std::numeric_limits<double>::infinity()}});
  const std::vector<std::string> lines = captured.Lines();
  ASSERT_EQ(lines.size(), 1u);
  const nlohmann::json line = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(line["level"], "warning");
  EXPECT_TRUE(line["nan"].is_null());
  EXPECT_TRUE(line["inf"].is_null());
}

TEST_F(LogTest, DropsLinesBelowTheMinimumLevel) {
  SetMinLevel(Level::kWarning);
  CapturedStderr captured;
  Debug("hidden");
  Info("hidden");
  Warning("shown");
  Error("shown too");
  const std::vector<std::string> lines = captured.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["level"], "warning");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["level"], "error");
}

TEST_F(LogTest, TruncatesHugeValuesAndStaysValid) {
  const std::string huge(100 * 1024, 'x');
  CapturedStderr captured;
  Info("big", {{"body", huge}});
  const std::vector<std::string> lines = captured.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_LT(lines[0].size(), 20 * 1024u);
  const std::string body =
      nlohmann::json::parse(lines[0])["body"].get<std::string>();
  EXPECT_THAT(body, ::testing::HasSubstr("[truncated"));
}

TEST_F(LogTest, ConcurrentLinesNeverInterleave) {
  constexpr int kThreads = 8;
  constexpr int kLinesPerThread = 200;
  const std::string payload(2000, 'p');
  CapturedStderr captured;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLinesPerThread; ++i) {
        Info("concurrent",
             {{"thread", int64_t{t}}, {"i", int64_t{i}}, {"payload", payload}});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::vector<std::string> lines = captured.Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLinesPerThread));
  for (const std::string& line : lines) {
    const nlohmann::json json = nlohmann::json::parse(line);
    ASSERT_EQ(json["payload"], payload);
  }
}

TEST(ParseLevelTest, AcceptsKnownNamesOnly) {
  Level level;
  ASSERT_TRUE(ParseLevel("DEBUG", &level));
  EXPECT_EQ(level, Level::kDebug);
  ASSERT_TRUE(ParseLevel("warn", &level));
  EXPECT_EQ(level, Level::kWarning);
  ASSERT_TRUE(ParseLevel("error", &level));
  EXPECT_EQ(level, Level::kError);
  EXPECT_FALSE(ParseLevel("verbose", &level));
  EXPECT_FALSE(ParseLevel("", &level));
}

}  // namespace
}  // namespace brobygger::log
