#include "common/api/resource_name.h"

#include <string>

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kActorPattern[] = "municipalities/{municipality}/actors/{actor}";

TEST(MunicipalityIdTest, AcceptsDocumentedForm) {
  for (const char* id : {"aalborg", "ringkobing-skjern", "ab", "a1", "lejre"}) {
    EXPECT_TRUE(IsValidMunicipalityId(id)) << id;
  }
  EXPECT_TRUE(IsValidMunicipalityId(std::string(63, 'a')));
}

TEST(MunicipalityIdTest, RejectsEverythingElse) {
  for (const std::string id :
       {"", "a", "Aalborg", "1aalborg", "-aalborg", "aal borg", "aal_borg",
        "\xc3\xa5lborg", "*", "aalborg/actors"}) {
    EXPECT_FALSE(IsValidMunicipalityId(id)) << id;
  }
  EXPECT_FALSE(IsValidMunicipalityId(std::string(64, 'a')));
}

TEST(NumericIdTest, AcceptsPositiveInt64) {
  for (const char* id : {"1", "42", "9223372036854775807"}) {
    EXPECT_TRUE(IsValidNumericId(id)) << id;
  }
}

TEST(NumericIdTest, RejectsEverythingElse) {
  for (const char* id : {"", "0", "012", "-1", "+1", "12a", " 1", "1.0",
                         "9223372036854775808", "99999999999999999999"}) {
    EXPECT_FALSE(IsValidNumericId(id)) << id;
  }
}

TEST(ParseResourceNameTest, ReturnsVariablesInOrder) {
  const auto parts = ParseResourceName("municipalities/aalborg/actors/12",
                                       kActorPattern, "name");
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_THAT(*parts, ElementsAre("aalborg", "12"));
  EXPECT_THAT(ParseResourceName("municipalities/lejre",
                                "municipalities/{municipality}", "parent")
                  .value(),
              ElementsAre("lejre"));
}

TEST(ParseResourceNameTest, MismatchNamesTheFieldAndPattern) {
  for (const std::string name :
       {"municipalities/aalborg/fora/12", "municipalities/aalborg/actors",
        "municipalities/aalborg/actors/12/extra", "municipalities//actors/1",
        "municipalities/aalborg/actors/", "municipalities/Aalborg/actors/1",
        "municipalities/aalborg/actors/1 2", "/municipalities/aalborg/actors/1",
        "Municipalities/aalborg/actors/1"}) {
    SCOPED_TRACE(name);
    const auto parts = ParseResourceName(name, kActorPattern, "actor.name");
    ASSERT_FALSE(parts.ok());
    EXPECT_EQ(parts.status().code(), absl::StatusCode::kInvalidArgument);
    const auto violations = FieldViolationsOf(parts.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "actor.name");
    EXPECT_THAT(violations[0].description, HasSubstr(kActorPattern));
  }
}

TEST(ParseResourceNameTest, EmptyNameIsRequired) {
  const auto parts = ParseResourceName("", kActorPattern, "parent");
  EXPECT_THAT(std::string(parts.status().message()),
              HasSubstr("parent: is required"));
}

TEST(ParseResourceNameTest, OverlongNameIsRejectedWithShortMessage) {
  const std::string name =
      "municipalities/aalborg/actors/" + std::string(5000, '1');
  const auto parts = ParseResourceName(name, kActorPattern, "name");
  ASSERT_FALSE(parts.ok());
  EXPECT_LT(parts.status().message().size(), 500u);
}

}  // namespace
}  // namespace brobygger::api
