// The calendar-feed HTTP server as a calendar program sees it: real sockets
// on a free port, raw HTTP exchanges via tests/support/http_get.h.
#include "common/http/http_server.h"

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"

namespace brobygger::http {
namespace {

using ::brobygger::test::HttpCall;
using ::brobygger::test::HttpFetch;
using ::brobygger::test::HttpReply;
using ::testing::HasSubstr;
using ::testing::Optional;

constexpr char kCalendar[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
constexpr char kEtag[] = "\"v7\"";

HttpServerOptions FreePortOptions() {
  HttpServerOptions options;
  options.address = "127.0.0.1:0";
  options.drain_timeout = absl::Seconds(2);
  return options;
}

HttpCall Call(std::string method, std::string path,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpCall call;
  call.method = std::move(method);
  call.path = std::move(path);
  call.headers = std::move(headers);
  return call;
}

// A feed handler that records what it was asked.
class CalendarFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = HttpServer::Start(
        FreePortOptions(), [this](const HttpRequest& request) {
          {
            absl::MutexLock lock(&mu_);
            seen_.push_back(request);
          }
          if (request.path == "/boom") throw std::runtime_error("feed broke");
          HttpResponse response;
          response.content_type = "text/calendar; charset=utf-8";
          response.body = kCalendar;
          response.etag = kEtag;
          response.headers.emplace_back("Content-Disposition",
                                        "inline; filename=\"feed.ics\"");
          if (request.path == "/cached") {
            response.headers.emplace_back("Cache-Control", "max-age=300");
          }
          if (request.path == "/no-etag") response.etag.clear();
          if (request.path == "/bad-etag") response.etag = "v7";
          if (request.path == "/injection") {
            response.headers.emplace_back("X-Note", "a\r\nSet-Cookie: x=1");
          }
          if (request.path == "/missing") {
            response.status = 404;
            response.body = "no such feed\n";
          }
          return response;
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  HttpReply Fetch(const HttpCall& call) {
    absl::StatusOr<HttpReply> reply = HttpFetch(server_->port(), call);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *std::move(reply) : HttpReply{};
  }

  std::vector<HttpRequest> Seen() {
    absl::MutexLock lock(&mu_);
    return seen_;
  }

  absl::Mutex mu_;
  std::vector<HttpRequest> seen_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<HttpServer> server_;
};

TEST_F(CalendarFeedTest, ServesTheFeedWithItsHeaders) {
  const HttpReply reply = Fetch(Call("GET", "/feeds/aarhus.ics?token=s3cr3t"));

  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, kCalendar);
  EXPECT_THAT(reply.Header("Content-Type"),
              Optional(std::string("text/calendar; charset=utf-8")));
  EXPECT_THAT(reply.Header("Content-Length"),
              Optional(absl::StrCat(std::string(kCalendar).size())));
  EXPECT_THAT(reply.Header("ETag"), Optional(std::string(kEtag)));
  EXPECT_THAT(reply.Header("Cache-Control"), Optional(std::string("no-cache")));
  EXPECT_THAT(reply.Header("X-Content-Type-Options"),
              Optional(std::string("nosniff")));
  EXPECT_THAT(reply.Header("Content-Disposition"),
              Optional(std::string("inline; filename=\"feed.ics\"")));

  const std::vector<HttpRequest> seen = Seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].path, "/feeds/aarhus.ics");
  EXPECT_EQ(seen[0].query, "token=s3cr3t");
  EXPECT_EQ(seen[0].if_none_match, "");
}

TEST_F(CalendarFeedTest, HandlerGetsTheRawUndecodedTarget) {
  EXPECT_EQ(Fetch(Call("GET", "/feeds/%C3%A6%2Fx.ics?t=a%2Bb&u=%20")).status,
            200);
  EXPECT_EQ(Fetch(Call("GET", "http://feeds.example/abs?x=1")).status, 200);

  const std::vector<HttpRequest> seen = Seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].path, "/feeds/%C3%A6%2Fx.ics");
  EXPECT_EQ(seen[0].query, "t=a%2Bb&u=%20");
  EXPECT_EQ(seen[1].path, "/abs");
  EXPECT_EQ(seen[1].query, "x=1");
}

TEST_F(CalendarFeedTest, HandlerCacheControlReplacesTheDefault) {
  const HttpReply reply = Fetch(Call("GET", "/cached"));
  EXPECT_EQ(reply.HeaderCount("Cache-Control"), 1);
  EXPECT_THAT(reply.Header("Cache-Control"),
              Optional(std::string("max-age=300")));
}

TEST_F(CalendarFeedTest, HandlerStatusAndBodyArePassedOn) {
  const HttpReply reply = Fetch(Call("GET", "/missing"));
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body, "no such feed\n");
  EXPECT_THAT(reply.Header("X-Content-Type-Options"),
              Optional(std::string("nosniff")));
}

TEST_F(CalendarFeedTest, HeadSendsTheHeadersWithoutTheBody) {
  const HttpReply reply = Fetch(Call("HEAD", "/feeds/aarhus.ics"));

  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "");
  EXPECT_THAT(reply.Header("Content-Length"),
              Optional(absl::StrCat(std::string(kCalendar).size())));
  EXPECT_THAT(reply.Header("Content-Type"),
              Optional(std::string("text/calendar; charset=utf-8")));
  EXPECT_THAT(reply.Header("ETag"), Optional(std::string(kEtag)));
  ASSERT_EQ(Seen().size(), 1u);
  EXPECT_EQ(Seen()[0].method, "HEAD");
}

TEST_F(CalendarFeedTest, MatchingIfNoneMatchGets304WithoutBody) {
  for (const std::string& if_none_match :
       {std::string(kEtag), std::string("\"v1\", \"v7\""),
        std::string("W/\"v7\""), std::string("*")}) {
    SCOPED_TRACE(if_none_match);
    const HttpReply reply = Fetch(
        Call("GET", "/feeds/aarhus.ics", {{"If-None-Match", if_none_match}}));
    EXPECT_EQ(reply.status, 304);
    EXPECT_EQ(reply.body, "");
    EXPECT_THAT(reply.Header("ETag"), Optional(std::string(kEtag)));
    // The length of the feed the client already has, never "0".
    EXPECT_THAT(reply.Header("Content-Length"),
                Optional(absl::StrCat(std::string(kCalendar).size())));
    EXPECT_THAT(reply.Header("Cache-Control"),
                Optional(std::string("no-cache")));
  }
  EXPECT_EQ(Seen().back().if_none_match, "*");
}

TEST_F(CalendarFeedTest, OtherIfNoneMatchGetsTheFullFeed) {
  for (const std::string& if_none_match :
       {std::string("\"v6\""), std::string("\"v7"), std::string("v7"),
        std::string("\"v70\", \"x\"")}) {
    SCOPED_TRACE(if_none_match);
    const HttpReply reply = Fetch(
        Call("GET", "/feeds/aarhus.ics", {{"If-None-Match", if_none_match}}));
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, kCalendar);
  }
}

TEST_F(CalendarFeedTest, IfNoneMatchNeedsAnEtagAndASuccess) {
  EXPECT_EQ(Fetch(Call("GET", "/no-etag", {{"If-None-Match", "*"}})).status,
            200);
  EXPECT_EQ(Fetch(Call("GET", "/missing", {{"If-None-Match", kEtag}})).status,
            404);
}

TEST_F(CalendarFeedTest, KeepAliveConnectionsServeSeveralRequests) {
  // Calendar programs poll over persistent connections: three pipelined
  // requests on one connection, of which HEAD and 304 carry no body bytes.
  const absl::StatusOr<std::string> stream = test::HttpExchange(
      server_->port(),
      absl::StrCat("GET /feeds/a.ics HTTP/1.1\r\nHost: x\r\n\r\n",
                   "HEAD /feeds/a.ics HTTP/1.1\r\nHost: x\r\n\r\n",
                   "GET /feeds/a.ics HTTP/1.1\r\nHost: x\r\nIf-None-Match: ",
                   kEtag, "\r\nConnection: close\r\n\r\n"));
  ASSERT_TRUE(stream.ok()) << stream.status();

  const std::vector<absl::string_view> replies =
      absl::StrSplit(*stream, "HTTP/1.1 ", absl::SkipEmpty());
  ASSERT_EQ(replies.size(), 3u) << *stream;
  EXPECT_TRUE(absl::StartsWith(replies[0], "200 ")) << replies[0];
  EXPECT_TRUE(absl::EndsWith(replies[0], absl::StrCat("\r\n\r\n", kCalendar)))
      << replies[0];
  EXPECT_FALSE(absl::StrContains(absl::AsciiStrToLower(replies[0]),
                                 "connection: close"));
  EXPECT_TRUE(absl::StartsWith(replies[1], "200 ")) << replies[1];
  EXPECT_TRUE(absl::EndsWith(replies[1], "\r\n\r\n")) << replies[1];
  EXPECT_TRUE(absl::StartsWith(replies[2], "304 ")) << replies[2];
  EXPECT_TRUE(absl::EndsWith(replies[2], "\r\n\r\n")) << replies[2];
  EXPECT_EQ(Seen().size(), 3u);
}

TEST_F(CalendarFeedTest, HeadWithMatchingIfNoneMatchGets304) {
  const HttpReply reply =
      Fetch(Call("HEAD", "/feeds/aarhus.ics", {{"If-None-Match", kEtag}}));
  EXPECT_EQ(reply.status, 304);
  EXPECT_EQ(reply.body, "");
}

TEST_F(CalendarFeedTest, OtherMethodsGet405WithAllow) {
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    SCOPED_TRACE(method);
    const HttpReply reply = Fetch(Call(method, "/feeds/aarhus.ics"));
    EXPECT_EQ(reply.status, 405);
    EXPECT_THAT(reply.Header("Allow"), Optional(std::string("GET, HEAD")));
    EXPECT_THAT(reply.Header("Content-Type"),
                Optional(HasSubstr("text/plain")));
  }
  HttpCall post = Call("POST", "/feeds/aarhus.ics");
  post.body = "BEGIN:VCALENDAR";
  EXPECT_EQ(Fetch(post).status, 405);
  EXPECT_TRUE(Seen().empty());
}

TEST_F(CalendarFeedTest, RequestBodiesGet413) {
  HttpCall get = Call("GET", "/feeds/aarhus.ics");
  get.body = "unexpected";
  EXPECT_EQ(Fetch(get).status, 413);
  EXPECT_EQ(Fetch(Call("GET", "/feeds/aarhus.ics",
                       {{"Transfer-Encoding", "chunked"}}))
                .status,
            413);
  EXPECT_TRUE(Seen().empty());
  // An explicit empty body is no body.
  EXPECT_EQ(
      Fetch(Call("GET", "/feeds/aarhus.ics", {{"Content-Length", "0"}})).status,
      200);
}

TEST_F(CalendarFeedTest, ThrowingHandlerGets500AndServingGoesOn) {
  const HttpReply failed = Fetch(Call("GET", "/boom"));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.body, "internal server error\n");
  EXPECT_THAT(failed.Header("Content-Type"), Optional(HasSubstr("text/plain")));

  EXPECT_EQ(Fetch(Call("GET", "/feeds/aarhus.ics")).status, 200);
}

TEST_F(CalendarFeedTest, UnsendableHandlerAnswersGet500) {
  const HttpReply bad_etag = Fetch(Call("GET", "/bad-etag"));
  EXPECT_EQ(bad_etag.status, 500);
  const HttpReply injection = Fetch(Call("GET", "/injection"));
  EXPECT_EQ(injection.status, 500);
  EXPECT_EQ(injection.HeaderCount("Set-Cookie"), 0);
}

TEST(HttpServerTest, TooLongTargetsGet414) {
  HttpServerOptions options = FreePortOptions();
  options.max_request_line = 100;
  std::atomic<int> calls{0};
  auto server = HttpServer::Start(options, [&](const HttpRequest&) {
    ++calls;
    return HttpResponse{};
  });
  ASSERT_TRUE(server.ok()) << server.status();

  auto reply = HttpFetch((*server)->port(),
                         Call("GET", "/feeds/" + std::string(120, 'a')));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 414);
  reply = HttpFetch((*server)->port(),
                    Call("GET", "/feeds/" + std::string(80, 'a')));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpServerTest, RequestsTheLibraryRefusesDoNotHoldUpStop) {
  auto server = HttpServer::Start(
      FreePortOptions(), [](const HttpRequest&) { return HttpResponse{}; });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  // Over the per-connection memory: libmicrohttpd answers by itself.
  auto huge_target =
      HttpFetch(port, Call("GET", "/" + std::string(1 << 17, 'a')));
  ASSERT_TRUE(huge_target.ok()) << huge_target.status();
  EXPECT_EQ(huge_target->status, 414);
  auto huge_header = HttpFetch(
      port, Call("GET", "/", {{"X-Padding", std::string(1 << 17, 'b')}}));
  ASSERT_TRUE(huge_header.ok()) << huge_header.status();
  EXPECT_GE(huge_header->status, 400);
  EXPECT_EQ(HttpFetch(port, Call("GET", "/")).value().status, 200);

  // Every request that got as far as its request line was accounted for,
  // so there is nothing to drain.
  const absl::Time start = absl::Now();
  (*server)->Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

TEST(HttpServerTest, StopRefusesNewConnections) {
  auto server = HttpServer::Start(
      FreePortOptions(), [](const HttpRequest&) { return HttpResponse{}; });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  ASSERT_TRUE(HttpFetch(port, Call("GET", "/")).ok());

  (*server)->Stop();
  const absl::StatusOr<HttpReply> after = HttpFetch(port, Call("GET", "/"));
  EXPECT_EQ(after.status().code(), absl::StatusCode::kUnavailable)
      << after.status();
  (*server)->Stop();  // idempotent; the destructor stops a third time
}

TEST(HttpServerTest, StopLetsInFlightRequestsFinish) {
  absl::Notification entered;
  absl::Notification release;
  auto server = HttpServer::Start(FreePortOptions(), [&](const HttpRequest&) {
    entered.Notify();
    release.WaitForNotificationWithTimeout(absl::Seconds(10));
    HttpResponse response;
    response.body = "late but complete";
    return response;
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();

  // A keep-alive request: the server must end the connection itself.
  absl::StatusOr<std::string> slow;
  std::thread client([&] {
    slow = test::HttpExchange(port, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  });
  ASSERT_TRUE(entered.WaitForNotificationWithTimeout(absl::Seconds(5)));
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    (*server)->Stop();
    stopped = true;
  });
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_FALSE(stopped.load()) << "Stop() must wait for the request";
  // New connections are refused while the old request drains.
  const absl::StatusOr<HttpReply> refused = HttpFetch(port, Call("GET", "/"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(refused.status().message(), HasSubstr("connect"));
  release.Notify();
  client.join();
  stopper.join();

  ASSERT_TRUE(slow.ok()) << slow.status();
  const absl::StatusOr<HttpReply> reply = test::ParseHttpReply(*slow);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "late but complete");
  EXPECT_THAT(reply->Header("Connection"), Optional(std::string("close")));
}

TEST(HttpServerTest, PortInUseIsUnavailable) {
  auto first = HttpServer::Start(
      FreePortOptions(), [](const HttpRequest&) { return HttpResponse{}; });
  ASSERT_TRUE(first.ok()) << first.status();
  HttpServerOptions options;
  options.address = absl::StrCat("127.0.0.1:", (*first)->port());

  auto second = HttpServer::Start(
      options, [](const HttpRequest&) { return HttpResponse{}; });
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("in use"));
  EXPECT_THAT(second.status().message(), HasSubstr(options.address));
}

TEST(HttpServerTest, BadAddressesAreInvalidArguments) {
  for (const char* address :
       {"", "8088", "127.0.0.1", "127.0.0.1:", ":8088", "127.0.0.1:http",
        "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+80", "256.1.1.1:80",
        "1.2.3:80", "example.com:80", "::1:80", "[::1", "[::1]", "[::1]80",
        "[nonsense]:80", "[]:80", " 127.0.0.1:80"}) {
    SCOPED_TRACE(address);
    HttpServerOptions options;
    options.address = address;
    auto server = HttpServer::Start(
        options, [](const HttpRequest&) { return HttpResponse{}; });
    ASSERT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
    const std::vector<FieldViolation> violations =
        FieldViolationsOf(server.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "address");
  }
}

TEST(HttpServerTest, BadOptionsNameTheirField) {
  const auto answer = [](const HttpRequest&) { return HttpResponse{}; };
  struct Case {
    const char* field;
    HttpServerOptions options;
    HttpHandler handler;
  };
  std::vector<Case> cases;
  cases.push_back({"threads", FreePortOptions(), answer});
  cases.back().options.threads = 0;
  cases.push_back({"max_connections", FreePortOptions(), answer});
  cases.back().options.max_connections = 0;
  cases.push_back({"connection_timeout", FreePortOptions(), answer});
  cases.back().options.connection_timeout = absl::ZeroDuration();
  cases.push_back({"max_request_line", FreePortOptions(), answer});
  cases.back().options.max_request_line = 0;
  cases.push_back({"drain_timeout", FreePortOptions(), answer});
  cases.back().options.drain_timeout = absl::Hours(1);
  cases.push_back({"handler", FreePortOptions(), nullptr});
  for (Case& c : cases) {
    SCOPED_TRACE(c.field);
    auto server = HttpServer::Start(c.options, c.handler);
    ASSERT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
    const std::vector<FieldViolation> violations =
        FieldViolationsOf(server.status());
    ASSERT_FALSE(violations.empty());
    EXPECT_EQ(violations[0].field, c.field);
  }
}

TEST(HttpServerTest, LocalhostAndAllInterfacesServe) {
  for (const char* address : {"localhost:0", "0.0.0.0:0"}) {
    SCOPED_TRACE(address);
    HttpServerOptions options = FreePortOptions();
    options.address = address;
    auto server = HttpServer::Start(options, [](const HttpRequest&) {
      HttpResponse response;
      response.body = "ok";
      return response;
    });
    ASSERT_TRUE(server.ok()) << server.status();
    EXPECT_GT((*server)->port(), 0);
    const absl::StatusOr<std::string> body =
        test::HttpGet((*server)->port(), "/");
    ASSERT_TRUE(body.ok()) << body.status();
    EXPECT_EQ(*body, "ok");
  }
}

TEST(HttpServerTest, BracketedIpv6IsAccepted) {
  HttpServerOptions options = FreePortOptions();
  options.address = "[::1]:0";
  auto server = HttpServer::Start(
      options, [](const HttpRequest&) { return HttpResponse{}; });
  // Hosts without IPv6 cannot bind it; the address itself is valid.
  if (!server.ok()) {
    EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable)
        << server.status();
    GTEST_SKIP() << "no IPv6 loopback: " << server.status();
  }
  EXPECT_GT((*server)->port(), 0);
}

TEST(HttpServerTest, ConcurrentClientsAreAllAnswered) {
  HttpServerOptions options = FreePortOptions();
  options.threads = 4;
  auto server = HttpServer::Start(options, [](const HttpRequest& request) {
    absl::SleepFor(absl::Milliseconds(2));
    HttpResponse response;
    response.body = absl::StrCat("feed ", request.path);
    return response;
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();

  constexpr int kClients = 8;
  constexpr int kRequestsEach = 25;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int r = 0; r < kRequestsEach; ++r) {
        const std::string path = absl::StrCat("/feeds/", c, "-", r);
        const absl::StatusOr<std::string> body = test::HttpGet(port, path);
        if (body.ok() && *body == absl::StrCat("feed ", path)) ++answered;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(answered.load(), kClients * kRequestsEach);
}

}  // namespace
}  // namespace brobygger::http
