// The server bootstrap as a client sees it: health, reflection, metrics,
// message limits and graceful drain, against the in-tree echo service.
#include "common/server/service_host.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "brobygger/bench/v1/echo.grpc.pb.h"
#include "common/bench/echo_service.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "tests/support/generic_call.h"
#include "tests/support/health_client.h"
#include "tests/support/http_get.h"
#include "tests/support/reflection_client.h"

namespace brobygger::server {
namespace {

using ::brobygger::bench::v1::EchoRequest;
using ::brobygger::bench::v1::EchoResponse;
using ::brobygger::bench::v1::EchoService;
using ::testing::Contains;

constexpr char kEchoService[] = "brobygger.bench.v1.EchoService";
constexpr int kMaxMessageBytes = 64 * 1024;

// Polls `condition` until it holds or `timeout` passes.
template <typename Condition>
bool Eventually(Condition condition,
                absl::Duration timeout = absl::Seconds(5)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return condition();
}

// The value of the metric line that starts with `name{` and contains every
// label pair in `labels`, or -1 if there is none.
double MetricValue(const std::string& metrics, const std::string& name,
                   const std::vector<std::string>& labels) {
  for (absl::string_view line : absl::StrSplit(metrics, '\n')) {
    if (!absl::StartsWith(line, absl::StrCat(name, "{"))) continue;
    bool all = true;
    for (const std::string& label : labels) {
      all = all && absl::StrContains(line, label);
    }
    if (!all) continue;
    const size_t space = line.rfind(' ');
    return std::stod(std::string(line.substr(space + 1)));
  }
  return -1;
}

class ServiceHostTest : public ::testing::Test {
 protected:
  void SetUp() override { StartHost(/*with_metrics=*/false); }

  // Metrics are off unless a test needs them: stopping the metrics HTTP
  // server takes up to 2 s.
  void StartHost(bool with_metrics) {
    HostOptions options;
    options.service_name = "echo_test";
    options.listen_address = "127.0.0.1:0";
    if (with_metrics) options.metrics_address = "127.0.0.1:0";
    options.max_message_bytes = kMaxMessageBytes;
    options.drain_timeout = absl::Seconds(10);
    options.readiness_interval = absl::Milliseconds(20);
    options.readiness_probe = [this]() -> absl::Status {
      if (ready_.load()) return absl::OkStatus();
      return absl::UnavailableError("redis is down (test)");
    };
    host_ = std::make_unique<ServiceHost>(std::move(options));
    host_->AddService(&echo_);
    ASSERT_TRUE(host_->Start().ok());
    ASSERT_GT(host_->port(), 0);
    ASSERT_EQ(host_->metrics_port() > 0, with_metrics);
    channel_ = NewChannel();
    stub_ = EchoService::NewStub(channel_);
  }

  void TearDown() override {
    if (host_ != nullptr) host_->Shutdown();
  }

  std::shared_ptr<grpc::Channel> NewChannel() {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", host_->port()),
                               grpc::InsecureChannelCredentials());
  }

  grpc::Status Echo(const std::string& payload, int delay_ms = 0,
                    EchoResponse* response = nullptr) {
    return Echo(*stub_, payload, delay_ms, response);
  }

  static grpc::Status Echo(EchoService::Stub& stub, const std::string& payload,
                           int delay_ms, EchoResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    EchoRequest request;
    request.set_payload(payload);
    request.set_delay_ms(delay_ms);
    EchoResponse ignored;
    return stub.Echo(&context, request, response ? response : &ignored);
  }

  bool Serving(const std::string& name) {
    absl::StatusOr<bool> serving = test::IsServing(channel_, name);
    EXPECT_TRUE(serving.ok()) << serving.status();
    return serving.ok() && *serving;
  }

  std::atomic<bool> ready_{false};
  bench::EchoServiceImpl echo_;
  std::unique_ptr<ServiceHost> host_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<EchoService::Stub> stub_;
};

class ServiceHostMetricsTest : public ServiceHostTest {
 protected:
  void SetUp() override { StartHost(/*with_metrics=*/true); }
};

TEST_F(ServiceHostTest, LivenessIsServingWhileNotReady) {
  EXPECT_TRUE(Serving(kLivenessServiceName));
  EXPECT_FALSE(Serving(""));
  EXPECT_FALSE(Serving(kEchoService));
}

TEST_F(ServiceHostTest, ReadinessFollowsTheProbe) {
  EXPECT_FALSE(Serving(""));

  ready_ = true;
  EXPECT_TRUE(Eventually([&] { return Serving(""); }));
  EXPECT_TRUE(Serving(kEchoService));
  EXPECT_TRUE(Serving(kLivenessServiceName));

  ready_ = false;
  EXPECT_TRUE(Eventually([&] { return !Serving(""); }));
  EXPECT_FALSE(Serving(kEchoService));
  EXPECT_TRUE(Serving(kLivenessServiceName));
}

TEST_F(ServiceHostTest, UnknownHealthServiceIsNotFound) {
  absl::StatusOr<bool> serving = test::IsServing(channel_, "no.such.Service");
  EXPECT_EQ(serving.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ServiceHostTest, ReflectionListsTheEchoService) {
  absl::StatusOr<std::vector<std::string>> services =
      test::ListServices(channel_);
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, Contains(kEchoService));
}

TEST_F(ServiceHostTest, EchoesThePayload) {
  EchoResponse response;
  ASSERT_TRUE(Echo("hej med dig", 0, &response).ok());
  EXPECT_EQ(response.payload(), "hej med dig");
}

TEST_F(ServiceHostMetricsTest, MetricsCountHandledCallsByCode) {
  ASSERT_TRUE(Echo("a").ok());
  ASSERT_TRUE(Echo("b").ok());
  EXPECT_EQ(Echo("c", /*delay_ms=*/-1).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  absl::StatusOr<std::string> metrics =
      test::HttpGet(host_->metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  const std::vector<std::string> echo_labels = {
      absl::StrCat("service=\"", kEchoService, "\""), "method=\"Echo\""};
  auto with = [&](std::string label) {
    std::vector<std::string> labels = echo_labels;
    labels.push_back(std::move(label));
    return labels;
  };
  EXPECT_EQ(
      MetricValue(*metrics, "grpc_server_handled_total", with("code=\"OK\"")),
      2)
      << *metrics;
  EXPECT_EQ(MetricValue(*metrics, "grpc_server_handled_total",
                        with("code=\"INVALID_ARGUMENT\"")),
            1);
  EXPECT_EQ(MetricValue(*metrics, "grpc_server_started_total", echo_labels), 3);
  EXPECT_EQ(
      MetricValue(*metrics, "grpc_server_handling_seconds_count", echo_labels),
      3);
  EXPECT_THAT(*metrics, ::testing::HasSubstr("process_start_time_seconds"));
}

TEST_F(ServiceHostMetricsTest, TheServicesOwnMetricsAreServedAlongside) {
  ASSERT_NE(host_->metrics_registry(), nullptr);
  prometheus::BuildCounter()
      .Name("echo_test_things_total")
      .Help("Things the echo test did.")
      .Register(*host_->metrics_registry())
      .Add({{"kind", "echo"}})
      .Increment(3);
  absl::StatusOr<std::string> metrics =
      test::HttpGet(host_->metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(MetricValue(*metrics, "echo_test_things_total", {"kind=\"echo\""}),
            3)
      << *metrics;
}

TEST_F(ServiceHostMetricsTest, UnknownMethodsShareOneMetricLabel) {
  for (const char* method : {"/x.Y/A", "/x.Y/B"}) {
    EXPECT_EQ(test::GenericUnaryCall(channel_, method, "").status().code(),
              absl::StatusCode::kUnimplemented);
  }
  absl::StatusOr<std::string> metrics =
      test::HttpGet(host_->metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_THAT(*metrics, ::testing::Not(::testing::HasSubstr("x.Y")));
}

TEST_F(ServiceHostTest, OversizedMessageIsResourceExhausted) {
  const grpc::Status status = Echo(std::string(kMaxMessageBytes + 1, 'x'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  // The limit is per message, not a broken server.
  EXPECT_TRUE(Echo(std::string(kMaxMessageBytes / 2, 'x')).ok());
}

TEST_F(ServiceHostMetricsTest, ShutdownDrainsInFlightCallsAndRefusesNewOnes) {
  grpc::Status slow_status;
  EchoResponse slow_response;
  std::thread slow(
      [&] { slow_status = Echo("slow", /*delay_ms=*/1500, &slow_response); });
  // The slow call is in flight once the server counted it as started.
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<std::string> metrics =
        test::HttpGet(host_->metrics_port(), "/metrics");
    return metrics.ok() && MetricValue(*metrics, "grpc_server_started_total",
                                       {"method=\"Echo\""}) == 1;
  }));

  const absl::Time shutdown_start = absl::Now();
  std::thread shutdown([&] { host_->Shutdown(); });
  absl::SleepFor(absl::Milliseconds(300));

  // Draining: a new client cannot start a call.
  auto fresh_stub = EchoService::NewStub(NewChannel());
  const grpc::Status refused = Echo(*fresh_stub, "late", 0, nullptr);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE)
      << refused.error_message();

  slow.join();
  shutdown.join();
  EXPECT_TRUE(slow_status.ok()) << slow_status.error_message();
  EXPECT_EQ(slow_response.payload(), "slow");
  // It waited for the call, not for the whole drain timeout.
  EXPECT_LT(absl::Now() - shutdown_start, absl::Seconds(5));
}

TEST_F(ServiceHostTest, WaitReturnsAfterShutdown) {
  std::atomic<bool> returned{false};
  std::thread waiter([&] {
    host_->Wait();
    returned = true;
  });
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_FALSE(returned.load());
  host_->Shutdown();
  waiter.join();
  EXPECT_TRUE(returned.load());
}

TEST(ServiceHostStartTest, RejectsABusyPort) {
  HostOptions options;
  options.service_name = "first";
  options.listen_address = "127.0.0.1:0";
  ServiceHost first(options);
  bench::EchoServiceImpl echo;
  first.AddService(&echo);
  ASSERT_TRUE(first.Start().ok());

  options.listen_address = absl::StrCat("127.0.0.1:", first.port());
  ServiceHost second(options);
  const absl::Status status = second.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

TEST(ServiceHostStartTest, RejectsBadOptions) {
  HostOptions options;
  options.service_name = "bad";
  options.listen_address = "127.0.0.1:0";
  options.max_message_bytes = 0;
  ServiceHost host(options);
  const absl::Status status = host.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("max_message_bytes"));
}

TEST(ServiceHostSignalTest, SigtermEndsWaitAfterDraining) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // In a child process: the signal state is process-wide.
  EXPECT_EXIT(
      {
        alarm(20);  // a Wait() that never returns fails the test
        InstallSignalHandlers();
        HostOptions options;
        options.service_name = "signal";
        options.listen_address = "127.0.0.1:0";
        ServiceHost host(options);
        bench::EchoServiceImpl echo;
        host.AddService(&echo);
        if (!host.Start().ok()) _exit(3);
        std::thread killer([] {
          absl::SleepFor(absl::Milliseconds(200));
          kill(getpid(), SIGTERM);
        });
        host.Wait();
        killer.join();
        _exit(ShutdownRequested() ? 0 : 4);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace brobygger::server
