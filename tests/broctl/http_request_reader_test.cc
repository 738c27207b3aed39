// The demo receiver's HTTP parser: requests however they are split, and
// refusals with the right status for what it will not guess at.
#include "tools/broctl/http_request_reader.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace brobygger::broctl {
namespace {

using Progress = HttpRequestReader::Progress;

TEST(HttpRequestReaderTest, ReadsARequestFedByteByByte) {
  const std::string request =
      "POST /hook?x=1 HTTP/1.1\r\nHost: localhost\r\nX-A: one\r\n"
      "x-a:  two \r\nContent-Length: 5\r\n\r\nhello";
  HttpRequestReader reader;
  Progress progress = Progress::kNeedMore;
  for (size_t i = 0; i < request.size(); ++i) {
    ASSERT_EQ(progress, Progress::kNeedMore) << i;
    progress = reader.Feed(request.substr(i, 1));
  }
  ASSERT_EQ(progress, Progress::kComplete) << reader.error();
  EXPECT_EQ(reader.request().method, "POST");
  EXPECT_EQ(reader.request().target, "/hook?x=1");
  EXPECT_EQ(reader.request().Header("X-A"), "one, two");
  EXPECT_EQ(reader.request().body, "hello");
  EXPECT_FALSE(reader.expects_continue());
}

TEST(HttpRequestReaderTest, IgnoresBytesAfterTheBody) {
  HttpRequestReader reader;
  EXPECT_EQ(reader.Feed("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nokGET /"),
            Progress::kComplete);
  EXPECT_EQ(reader.request().body, "ok");
}

TEST(HttpRequestReaderTest, RefusesAmbiguousOrOversizedRequests) {
  const struct {
    std::string request;
    int status;
  } cases[] = {
      {"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
       400},
      {"POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length : 3\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n",
       400},
      {"POST / HTTP/1.1\r\nX-A: a\x01z\r\nContent-Length: 0\r\n\r\n", 400},
      {"POST  / HTTP/1.1\r\n\r\n", 400},
      {"POST / HTTP/2.0\r\n\r\n", 505},
      {"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 413},
      {"POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n", 413},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411},
  };
  for (const auto& c : cases) {
    HttpRequestReader reader;
    EXPECT_EQ(reader.Feed(c.request), Progress::kFailed) << c.request;
    EXPECT_EQ(reader.error_status(), c.status) << c.request;
  }
}

TEST(HttpRequestReaderTest, HeadersOverTheLimitFailWithoutTheirEnd) {
  HttpRequestReader reader;
  EXPECT_EQ(reader.Feed("POST / HTTP/1.1\r\n"), Progress::kNeedMore);
  EXPECT_EQ(reader.Feed(std::string(kMaxHttpHeaderBytes, 'a')),
            Progress::kFailed);
  EXPECT_EQ(reader.error_status(), 431);

  std::string many = "POST / HTTP/1.1\r\n";
  for (size_t i = 0; i <= kMaxHttpHeaderCount; ++i) {
    absl::StrAppend(&many, "X-", i, ": 1\r\n");
  }
  HttpRequestReader counted;
  EXPECT_EQ(counted.Feed(absl::StrCat(many, "\r\n")), Progress::kFailed);
  EXPECT_EQ(counted.error_status(), 431);
}

TEST(HttpRequestReaderTest, ABodyOfExactlyTheLimitIsRead) {
  HttpRequestReader reader;
  ASSERT_EQ(reader.Feed(absl::StrCat("POST / HTTP/1.1\r\nExpect: 100-Continue"
                                     "\r\nContent-Length: ",
                                     kMaxHttpBodyBytes, "\r\n\r\n")),
            Progress::kNeedMore);
  EXPECT_TRUE(reader.headers_done());
  EXPECT_TRUE(reader.expects_continue());
  EXPECT_EQ(reader.Feed(std::string(kMaxHttpBodyBytes - 1, 'b')),
            Progress::kNeedMore);
  EXPECT_EQ(reader.Feed("bc"), Progress::kComplete);
  EXPECT_EQ(reader.request().body.size(), kMaxHttpBodyBytes);
}

}  // namespace
}  // namespace brobygger::broctl
