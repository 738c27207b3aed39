// The HTTP receiver the webhook tests rely on, driven by hand.
#include "tests/support/http_receiver.h"

#include "gtest/gtest.h"
#include "tests/support/http_get.h"

namespace brobygger::test {
namespace {

TEST(HttpReceiverTest, RecordsRequestsAndFollowsItsScript) {
  HttpReceiver receiver;
  receiver.RespondWith({503});
  HttpCall call;
  call.method = "POST";
  call.path = "/hook?a=1";
  call.headers = {{"X-Tag", "one"}, {"x-tag", "two"}};
  call.body = "payload";
  absl::StatusOr<HttpReply> first = HttpFetch(receiver.port(), call);
  absl::StatusOr<HttpReply> second = HttpFetch(receiver.port(), call);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->status, 503);
  EXPECT_EQ(second->status, 200);
  ASSERT_TRUE(receiver.WaitForRequests(2, absl::Seconds(5)));
  const ReceivedRequest request = receiver.Requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/hook?a=1");
  EXPECT_EQ(request.Header("X-TAG"), "one, two");
  EXPECT_EQ(request.body, "payload");
  EXPECT_FALSE(receiver.WaitForRequests(3, absl::Milliseconds(10)));
}

TEST(HttpReceiverTest, AnswersChunkedBodiesWithLengthRequired) {
  HttpReceiver receiver;
  HttpCall call;
  call.method = "POST";
  call.headers = {{"Transfer-Encoding", "chunked"}};
  absl::StatusOr<HttpReply> reply = HttpFetch(receiver.port(), call);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 411);
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

}  // namespace
}  // namespace brobygger::test
