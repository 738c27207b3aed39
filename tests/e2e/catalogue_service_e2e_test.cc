// End-to-end: the catalogue binary as operators and load balancers see it:
// gRPC health, reflection, Prometheus metrics, and a calendar-feed port
// that answers unknown paths with 404.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/catalogue_e2e_fixture.h"
#include "tests/support/health_client.h"
#include "tests/support/http_get.h"
#include "tests/support/reflection_client.h"

namespace brobygger::test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

class CatalogueServiceE2eTest : public CatalogueE2eTest {};

TEST_F(CatalogueServiceE2eTest, HealthIsServing) {
  absl::StatusOr<bool> readiness = IsServing(catalogue_->channel(), "");
  ASSERT_TRUE(readiness.ok()) << readiness.status();
  EXPECT_TRUE(*readiness);
  absl::StatusOr<bool> liveness = IsServing(catalogue_->channel(), "liveness");
  ASSERT_TRUE(liveness.ok()) << liveness.status();
  EXPECT_TRUE(*liveness);
}

TEST_F(CatalogueServiceE2eTest, ReflectionListsTheCatalogueService) {
  absl::StatusOr<std::vector<std::string>> services =
      ListServices(catalogue_->channel());
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, Contains("brobygger.catalogue.v1.CatalogueService"));
}

TEST_F(CatalogueServiceE2eTest, MetricsCountCallsInPrometheusText) {
  // One answered call, so the catalogue's method has a counter.
  ASSERT_TRUE(Search(coordinator_, cv1::ActivityQuery()).ok());

  absl::StatusOr<HttpReply> reply =
      HttpFetch(catalogue_->metrics_port(), HttpGetCall("/metrics"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 200) << reply->status_line;
  ASSERT_TRUE(reply->Header("Content-Type").has_value());
  EXPECT_THAT(*reply->Header("Content-Type"), HasSubstr("text/plain"));
  EXPECT_THAT(reply->body,
              HasSubstr("# TYPE grpc_server_handled_total counter"));
  bool counted = false;
  for (absl::string_view line : absl::StrSplit(reply->body, '\n')) {
    counted =
        counted || (absl::StartsWith(line, "grpc_server_handled_total{") &&
                    absl::StrContains(
                        line, "\"brobygger.catalogue.v1.CatalogueService\"") &&
                    absl::StrContains(line, "\"SearchActivities\"") &&
                    absl::StrContains(line, "\"OK\""));
  }
  EXPECT_TRUE(counted) << "no OK SearchActivities counter in:\n" << reply->body;
}

TEST_F(CatalogueServiceE2eTest, FeedPortAnswersUnknownPathsWithNotFound) {
  const int port = catalogue_->extra_port(kFeedListenFlag);
  ASSERT_GT(port, 0);
  for (const std::string& path : {std::string("/"), std::string("/feeds/"),
                                  absl::StrCat("/feeds/", municipality_, "/",
                                               std::string(32, 'a'), ".ics"),
                                  std::string("/feeds/../../etc/passwd")}) {
    absl::StatusOr<HttpReply> reply = HttpFetch(port, HttpGetCall(path));
    ASSERT_TRUE(reply.ok()) << path << ": " << reply.status();
    EXPECT_EQ(reply->status, 404) << path << ": " << reply->status_line;
  }
}

}  // namespace
}  // namespace brobygger::test
