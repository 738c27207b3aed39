#include "common/events/stream_reply.h"

#include "gtest/gtest.h"

namespace brobygger::events::internal {
namespace {

using redis::Reply;

Reply Str(const std::string& s) {
  Reply r;
  r.type = Reply::Type::kString;
  r.str = s;
  return r;
}
Reply Arr(std::vector<Reply> elements) {
  Reply r;
  r.type = Reply::Type::kArray;
  r.elements = std::move(elements);
  return r;
}

TEST(StreamReplyTest, ParsesReadGroupReplyOfSeveralStreams) {
  Reply reply = Arr({
      Arr({Str("s1"), Arr({Arr({Str("1-0"), Arr({Str("id"), Str("e1"),
                                                 Str("event"), Str("bytes")})}),
                           Arr({Str("2-0"), Reply()})})}),  // deleted
      Arr({Str("s2"), Arr({Arr({Str("3-0"), Arr({Str("foo"), Str("bar")})})})}),
  });
  absl::StatusOr<std::vector<StreamEntry>> entries = ParseReadGroupReply(reply);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].stream, "s1");
  EXPECT_EQ((*entries)[0].id, "1-0");
  EXPECT_EQ((*entries)[0].event_bytes, "bytes");
  EXPECT_TRUE((*entries)[1].deleted);
  EXPECT_EQ((*entries)[2].stream, "s2");
  EXPECT_FALSE((*entries)[2].event_bytes.has_value());
}

TEST(StreamReplyTest, NilMeansNothingArrived) {
  absl::StatusOr<std::vector<StreamEntry>> entries =
      ParseReadGroupReply(Reply());
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST(StreamReplyTest, ParsesAutoClaimReply) {
  Reply reply =
      Arr({Str("5-0"), Arr({Arr({Str("4-0"), Arr({Str("event"), Str("b")})})}),
           Arr({Str("3-0")})});
  absl::StatusOr<AutoClaimResult> result = ParseAutoClaimReply("s", reply);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->next_cursor, "5-0");
  ASSERT_EQ(result->entries.size(), 1u);
  EXPECT_EQ(result->entries[0].stream, "s");
  EXPECT_EQ(result->entries[0].event_bytes, "b");
}

TEST(StreamReplyTest, UnexpectedShapesAreInternalErrorsNotCrashes) {
  const std::vector<Reply> bad = {
      Str("x"),
      Arr({Str("only-name")}),
      Arr({Arr({Str("s"), Str("not-entries")})}),
      Arr({Arr({Str("s"), Arr({Arr({Str("1-0")})})})}),
      Arr({Arr({Str("s"), Arr({Arr({Str("1-0"), Str("not-fields")})})})}),
  };
  for (const Reply& reply : bad) {
    EXPECT_EQ(ParseReadGroupReply(reply).status().code(),
              absl::StatusCode::kInternal);
  }
  EXPECT_EQ(ParseAutoClaimReply("s", Arr({Str("0-0")})).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(ParseAutoClaimReply("s", Str("x")).status().code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace brobygger::events::internal
