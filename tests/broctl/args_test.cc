// broctl's command line: options in every position and form, and clear
// errors for the forms it cannot read.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ArgsTest, ReadsWordsAndOptionsInAnyOrder) {
  auto args = Args::Parse({"--addr", "127.0.0.1:1", "actors", "list",
                           "--parent=municipalities/aalborg", "--filter",
                           "kind = VOLUNTEER AND area = \"Kærby\""});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_THAT(args->words(), ElementsAre("actors", "list"));
  EXPECT_EQ(args->GetOr("addr", ""), "127.0.0.1:1");
  EXPECT_EQ(args->GetOr("parent", ""), "municipalities/aalborg");
  EXPECT_EQ(args->GetOr("filter", ""), "kind = VOLUNTEER AND area = \"Kærby\"");
}

TEST(ArgsTest, BooleanOptionsTakeNoValue) {
  auto args = Args::Parse({"keygen", "--force", "--out", "/tmp/k"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_TRUE(args->Has("force"));
  EXPECT_EQ(args->GetOr("out", ""), "/tmp/k");
  EXPECT_THAT(args->words(), ElementsAre("keygen"));
}

TEST(ArgsTest, ValueMayStartWithDashesWhenGivenWithEquals) {
  auto args = Args::Parse({"token", "--subject=--odd--"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->GetOr("subject", ""), "--odd--");
}

TEST(ArgsTest, DoubleDashEndsOptions) {
  auto args = Args::Parse({"actors", "get", "--", "--not-an-option"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_THAT(args->words(), ElementsAre("actors", "get", "--not-an-option"));
  EXPECT_TRUE(args->OptionNames().empty());
}

TEST(ArgsTest, MissingValueIsAnErrorNamingTheOption) {
  auto args = Args::Parse({"actors", "list", "--parent"});
  ASSERT_FALSE(args.ok());
  EXPECT_EQ(args.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(args.status().message()), HasSubstr("--parent"));
}

TEST(ArgsTest, RequireNamesTheMissingOption) {
  auto args = Args::Parse({"contact", "resolve", "--topic", ""});
  ASSERT_TRUE(args.ok());
  auto parent = args->Require("parent");
  ASSERT_FALSE(parent.ok());
  EXPECT_THAT(std::string(parent.status().message()), HasSubstr("--parent"));
  // An empty value counts as missing.
  EXPECT_FALSE(args->Require("topic").ok());
}

TEST(ArgsTest, LastRepeatedOptionWins) {
  auto args = Args::Parse({"health", "--service", "a", "--service", "b"});
  ASSERT_TRUE(args.ok());
  EXPECT_EQ(args->GetOr("service", ""), "b");
}

TEST(MunicipalityNameTest, AcceptsIdOrName) {
  EXPECT_EQ(MunicipalityName("aalborg"), "municipalities/aalborg");
  EXPECT_EQ(MunicipalityName("municipalities/aalborg"),
            "municipalities/aalborg");
}

}  // namespace
}  // namespace brobygger::broctl
