#include "common/api/pagination.h"

#include <string>

#include "absl/strings/escaping.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::api {
namespace {

using ::testing::HasSubstr;

std::string ViolatedField(const absl::Status& status) {
  const auto violations = FieldViolationsOf(status);
  return violations.size() == 1 ? violations[0].field : "";
}

TEST(ResolvePageSizeTest, ZeroMeansDefault) {
  EXPECT_EQ(ResolvePageSize(0).value(), kDefaultPageSize);
  EXPECT_EQ(ResolvePageSize(0, 20).value(), 20);  // default capped by max
}

TEST(ResolvePageSizeTest, InRangeIsKept) {
  EXPECT_EQ(ResolvePageSize(1).value(), 1);
  EXPECT_EQ(ResolvePageSize(kMaxPageSize).value(), kMaxPageSize);
  EXPECT_EQ(ResolvePageSize(100, 100).value(), 100);
}

TEST(ResolvePageSizeTest, OutOfRangeNamesPageSize) {
  for (const int size : {-1, kMaxPageSize + 1}) {
    const auto resolved = ResolvePageSize(size);
    EXPECT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ViolatedField(resolved.status()), "page_size");
    EXPECT_THAT(std::string(resolved.status().message()),
                HasSubstr("between 0 and 1000"));
  }
  EXPECT_FALSE(ResolvePageSize(101, 100).ok());
}

TEST(PageTokenTest, RoundTrip) {
  const std::string token =
      EncodePageToken("municipalities/aalborg/actors/42", "q1");
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "abcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos)
      << token;
  const auto cursor = DecodePageToken(token, "q1");
  ASSERT_TRUE(cursor.ok()) << cursor.status();
  EXPECT_EQ(*cursor, "municipalities/aalborg/actors/42");
}

TEST(PageTokenTest, EmptyCursorAndBinaryCursorRoundTrip) {
  EXPECT_EQ(DecodePageToken(EncodePageToken("", "q"), "q").value(), "");
  const std::string binary("\0\xff\x01", 3);
  EXPECT_EQ(DecodePageToken(EncodePageToken(binary, "q"), "q").value(), binary);
}

TEST(PageTokenTest, EmptyTokenIsFirstPage) {
  EXPECT_EQ(DecodePageToken("", "q").value(), "");
}

TEST(PageTokenTest, TokenOfAnotherQueryIsRejected) {
  const std::string token = EncodePageToken("42", "parent=aalborg");
  const auto cursor = DecodePageToken(token, "parent=lejre");
  EXPECT_EQ(cursor.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedField(cursor.status()), "page_token");
  EXPECT_THAT(std::string(cursor.status().message()),
              HasSubstr("omit page_token"));
}

TEST(PageTokenTest, EditedTokenIsRejected) {
  const std::string token = EncodePageToken("cursor-0000000042", "q");
  for (size_t i = 0; i < token.size(); ++i) {
    std::string edited = token;
    edited[i] = edited[i] == 'A' ? 'B' : 'A';
    const auto cursor = DecodePageToken(edited, "q");
    // Base64 may ignore the low bits of the last character; an edit there
    // yields the same bytes, which is not a tampering.
    if (cursor.ok()) {
      EXPECT_EQ(*cursor, "cursor-0000000042") << "position " << i;
    } else {
      EXPECT_EQ(ViolatedField(cursor.status()), "page_token");
    }
  }
  // A forged cursor with the right layout but without the right hash.
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  raw[1] = 'X';
  EXPECT_FALSE(DecodePageToken(absl::WebSafeBase64Escape(raw), "q").ok());
  // A future version byte.
  raw = std::string(1, '\x02') + raw.substr(1);
  EXPECT_FALSE(DecodePageToken(absl::WebSafeBase64Escape(raw), "q").ok());
}

TEST(PageTokenTest, GarbageIsRejected) {
  for (const std::string& token :
       {std::string("!!!"), std::string("abc"), std::string("a b"),
        std::string(5000, 'A'), std::string("\0\0", 2)}) {
    const auto cursor = DecodePageToken(token, "q");
    EXPECT_EQ(cursor.status().code(), absl::StatusCode::kInvalidArgument)
        << token;
  }
}

}  // namespace
}  // namespace brobygger::api
