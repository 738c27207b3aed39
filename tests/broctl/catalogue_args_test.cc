// The catalogue commands' options: the activity query, times and numbers
// as people type them, and errors that name the option and say what it
// takes.
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::catalogue::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Args Parsed(const std::vector<std::string>& argv) {
  auto args = Args::Parse(argv);
  EXPECT_TRUE(args.ok()) << args.status();
  return args.ok() ? *args : *Args::Parse({});
}

// The message of the error ActivityQueryFrom gives for `argv`, or "OK".
std::string QueryError(const std::vector<std::string>& argv,
                       bool with_window = true) {
  auto query = ActivityQueryFrom(Parsed(argv), with_window);
  if (query.ok()) return "OK";
  EXPECT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(query.status().message());
}

TEST(CatalogueQueryTest, ReadsEveryQueryOption) {
  auto query =
      ActivityQueryFrom(Parsed({"catalogue",
                                "search",
                                "--parent",
                                "aalborg",
                                "--area",
                                "Kærby",
                                "--category",
                                "LANGUAGE_CAFE,communal-dining,CATEGORY_HEALTH",
                                "--target",
                                "children",
                                "--child-age",
                                "9",
                                "--language",
                                "ar",
                                "--from",
                                "2026-12-01T00:00:00Z",
                                "--to",
                                "2027-01-01",
                                "--free",
                                "--max-price-ore",
                                "2500",
                                "--text",
                                "fællesspisning",
                                "--kind",
                                "CIVIL_OFFER",
                                "--organiser",
                                "municipalities/aalborg/actors/7"}),
                        /*with_window=*/true);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->area(), "Kærby");
  EXPECT_THAT(query->categories(),
              ElementsAre(v1::CATEGORY_LANGUAGE_CAFE,
                          v1::CATEGORY_COMMUNAL_DINING, v1::CATEGORY_HEALTH));
  EXPECT_EQ(query->target_group(), v1::TargetGroup::KIND_CHILDREN);
  ASSERT_TRUE(query->has_child_age());
  EXPECT_EQ(query->child_age(), 9);
  EXPECT_EQ(query->language(), "ar");
  EXPECT_EQ(query->window_start_time().seconds(),
            absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2026, 12, 1),
                                                absl::UTCTimeZone())));
  // A date is Copenhagen's midnight (UTC+1 in winter).
  EXPECT_EQ(
      query->window_end_time().seconds(),
      absl::ToUnixSeconds(absl::FromCivil(
          absl::CivilSecond(2026, 12, 31, 23, 0, 0), absl::UTCTimeZone())));
  EXPECT_TRUE(query->free_only());
  ASSERT_TRUE(query->has_max_price_ore());
  EXPECT_EQ(query->max_price_ore(), 2500);
  EXPECT_EQ(query->text(), "fællesspisning");
  EXPECT_EQ(query->kind(), v1::ACTIVITY_KIND_CIVIL_OFFER);
  EXPECT_EQ(query->organiser(), "municipalities/aalborg/actors/7");
}

TEST(CatalogueQueryTest, NoOptionsIsAnEmptyQuery) {
  auto query = ActivityQueryFrom(Parsed({"catalogue", "search"}), true);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->ByteSizeLong(), 0u);
}

TEST(CatalogueQueryTest, UnknownEnumValuesListTheValidOnes) {
  const std::string category = QueryError({"--category", "LANGUAGE_CAFE,YOGA"});
  EXPECT_THAT(category, HasSubstr("--category"));
  EXPECT_THAT(category, HasSubstr("\"YOGA\""));
  EXPECT_THAT(category, HasSubstr("COMMUNAL_DINING"));
  // UNSPECIFIED selects nothing and is refused like any unknown value.
  EXPECT_THAT(QueryError({"--category", "UNSPECIFIED"}),
              HasSubstr("--category"));
  EXPECT_THAT(QueryError({"--category", ","}), HasSubstr("--category"));
  const std::string target = QueryError({"--target", "pensioners"});
  EXPECT_THAT(target, HasSubstr("--target"));
  EXPECT_THAT(target, HasSubstr("CHILDREN"));
  EXPECT_THAT(QueryError({"--kind", "VOLUNTEER"}), HasSubstr("CIVIL_OFFER"));
}

TEST(CatalogueQueryTest, NumbersMustBeInRange) {
  EXPECT_THAT(QueryError({"--child-age", "18"}),
              HasSubstr("--child-age: must be a whole number from 0 to 17"));
  EXPECT_THAT(QueryError({"--child-age", "nine"}), HasSubstr("--child-age"));
  EXPECT_THAT(QueryError({"--max-price-ore", "-1"}),
              HasSubstr("--max-price-ore"));
  EXPECT_THAT(QueryError({"--max-price-ore", "25kr"}),
              HasSubstr("--max-price-ore"));
}

TEST(CatalogueQueryTest, WindowNeedsBothEndsInOrder) {
  EXPECT_THAT(QueryError({"--from", "2026-12-01"}),
              HasSubstr("both --from and --to"));
  EXPECT_THAT(QueryError({"--from", "2026-12-02", "--to", "2026-12-01"}),
              HasSubstr("--to: must be after --from"));
  EXPECT_THAT(QueryError({"--from", "tomorrow", "--to", "2026-12-01"}),
              HasSubstr("--from: \"tomorrow\" is not a time"));
  EXPECT_THAT(QueryError({"--from", "2026-02-30", "--to", "2026-03-01"}),
              HasSubstr("--from"));
  // Without a query window (occurrences has its own), --from/--to are not
  // read here.
  EXPECT_EQ(QueryError({"--from", "tomorrow"}, /*with_window=*/false), "OK");
}

TEST(CatalogueQueryTest, EmptyTextOptionsAreRefused) {
  EXPECT_THAT(QueryError({"--area="}), HasSubstr("--area: must not be empty"));
  EXPECT_THAT(QueryError({"--text="}), HasSubstr("--text"));
}

TEST(CatalogueQueryTest, BooleanOptionsTakeNoValue) {
  EXPECT_THAT(QueryError({"--free=maybe"}), HasSubstr("--free"));
  auto off = ActivityQueryFrom(Parsed({"--free=false"}), true);
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->free_only());
  // --free takes no value, so the next word is not swallowed.
  const Args args = Parsed({"catalogue", "search", "--free", "--parent", "x"});
  EXPECT_EQ(args.GetOr("parent", ""), "x");
  for (const char* option :
       {"free", "show-cancelled", "validate-only", "publish", "all"}) {
    EXPECT_TRUE(IsBooleanOption(option)) << option;
  }
}

TEST(ParseInstantTest, ReadsRfc3339AndCopenhagenWallClock) {
  auto utc = ParseInstant("2026-12-01T17:00:00Z", "from");
  ASSERT_TRUE(utc.ok()) << utc.status();
  // 18:00 in Copenhagen in December (UTC+1) and in July (UTC+2).
  auto winter = ParseInstant("2026-12-01T18:00", "from");
  ASSERT_TRUE(winter.ok()) << winter.status();
  EXPECT_EQ(*winter, *utc);
  auto summer = ParseInstant("2026-07-01T18:00:00", "from");
  ASSERT_TRUE(summer.ok()) << summer.status();
  auto summer_utc = ParseInstant("2026-07-01T16:00:00+00:00", "from");
  ASSERT_TRUE(summer_utc.ok());
  EXPECT_EQ(*summer, *summer_utc);
  EXPECT_FALSE(ParseInstant("2026-12-01 18:00", "from").ok());
  EXPECT_FALSE(ParseInstant("", "from").ok());
}

TEST(ParseInstantTest, NamesTimelineTemplatesAndChildren) {
  EXPECT_EQ(TimelineTemplateName("aalborg"),
            "municipalities/aalborg/timelineTemplate");
  EXPECT_EQ(ChildName("aalborg", "actors", "7"),
            "municipalities/aalborg/actors/7");
  EXPECT_EQ(ChildName("aalborg", "actors", "municipalities/lejre/actors/7"),
            "municipalities/lejre/actors/7");
}

TEST(CatalogueCommandTableTest, CatalogueCommandsCallTheCatalogue) {
  std::vector<Command> commands = CatalogueCommands();
  for (auto group : {CatalogueTimelineCommands, CatalogueExportCommands,
                     CatalogueImportCommands}) {
    for (Command& command : group()) commands.push_back(std::move(command));
  }
  std::vector<std::string> names;
  for (const Command& command : commands) {
    names.emplace_back(command.name);
    EXPECT_EQ(command.default_address, kDefaultCatalogueAddress)
        << command.name;
  }
  for (const char* expected :
       {"catalogue search", "catalogue get", "catalogue list",
        "catalogue occurrences", "catalogue cancel-occurrence",
        "catalogue report", "catalogue timeline get", "catalogue timeline set",
        "catalogue timeline analyze", "catalogue plan create",
        "catalogue plan calendar", "catalogue calendar",
        "catalogue feed create", "catalogue hsds export",
        "catalogue hsds import", "catalogue import"}) {
    EXPECT_THAT(names, ::testing::Contains(expected));
  }
  // The registry's commands keep the registry's address.
  for (const Command& command : ActorCommands()) {
    EXPECT_EQ(command.default_address, kDefaultAddress);
  }
}

}  // namespace
}  // namespace brobygger::broctl
