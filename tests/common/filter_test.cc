#include "common/api/filter.h"

#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace brobygger::api {
namespace {

TEST(FilterTest, ParsesConjunctionWithQuotedAndBareValues) {
  auto parsed = ParseFilter(
      R"(kind = VOLUNTEER AND area = "Kærby Nord" AND name:"a \"b\"")");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0].field, "kind");
  EXPECT_EQ((*parsed)[0].value, "VOLUNTEER");
  EXPECT_EQ((*parsed)[1].value, "Kærby Nord");
  EXPECT_EQ((*parsed)[2].op, ":");
  EXPECT_EQ((*parsed)[2].value, "a \"b\"");
}

TEST(FilterTest, EmptyFilterHasNoRestrictions) {
  EXPECT_TRUE(ParseFilter("   ")->empty());
}

TEST(FilterTest, UnsupportedSyntaxIsInvalidArgumentNamingFilter) {
  for (const char* bad :
       {"kind = A OR kind = B", "kind > 3", "kind = ", "= 3", "kind = \"open",
        "kind = A kind = B", "kind = A AND", "NOT kind = A"}) {
    auto parsed = ParseFilter(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    auto violations = FieldViolationsOf(parsed.status());
    ASSERT_EQ(violations.size(), 1u) << bad;
    EXPECT_EQ(violations[0].field, "filter");
  }
}

TEST(FilterTest, LimitsLengthAndRestrictionCount) {
  EXPECT_FALSE(ParseFilter(std::string(kMaxFilterLength + 1, 'a')).ok());
  std::string many = "a = 1";
  for (int i = 0; i < kMaxRestrictions; ++i) many += " AND a = 1";
  EXPECT_FALSE(ParseFilter(many).ok());
}

}  // namespace
}  // namespace brobygger::api
