// End-to-end: what a crash or a restart does. An acknowledged create
// survives `kill -9` of the service and a crash of redis-server; readiness
// reports the Redis outage; SIGTERM drains and exits cleanly.
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/e2e/registry_e2e_fixture.h"
#include "tests/support/health_client.h"

namespace brobygger::test {
namespace {

class RegistryDurabilityE2eTest : public RegistryE2eTest {
 protected:
  void TearDown() override {
    RegistryE2eTest::TearDown();
    // Leave both processes running for the next test, even after a failure
    // halfway through a crash scenario.
    if (redis_ != nullptr && !redis_->running()) {
      EXPECT_TRUE(redis_->Restart().ok());
    }
    if (service_ != nullptr && !service_->running()) {
      EXPECT_TRUE(service_->Restart().ok());
    }
  }
};

TEST_F(RegistryDurabilityE2eTest, AcknowledgedCreateSurvivesKill9OfService) {
  const std::string request_id = "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70";
  auto created = CreateActor(coordinator_, "aalborg",
                             Volunteer("Amira Haddad", {"Kærby"}), request_id);
  ASSERT_TRUE(created.ok()) << created.status();

  const pid_t before = service_->pid();
  ASSERT_TRUE(service_->Kill9().ok());
  EXPECT_FALSE(service_->running());
  ASSERT_TRUE(service_->Restart().ok());  // waits until SERVING
  EXPECT_NE(service_->pid(), before);

  auto got = GetActor(coordinator_, created->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->display_name(), "Amira Haddad");
  EXPECT_EQ(got->etag(), created->etag());
  // The idempotency record survived too: the retry does not create again.
  auto retried = CreateActor(coordinator_, "aalborg",
                             Volunteer("Amira Haddad", {"Kærby"}), request_id);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->name(), created->name());
}

TEST_F(RegistryDurabilityE2eTest, AcknowledgedCreateSurvivesRedisCrash) {
  auto created = CreateActor(coordinator_, "aalborg",
                             Organisation(rv1::ACTOR_KIND_NGO_BRANCH,
                                          "Røde Kors Aalborg", {"Aalborg C"}));
  ASSERT_TRUE(created.ok()) << created.status();

  ASSERT_TRUE(redis_->Kill9().ok());
  // Readiness follows Redis; liveness does not.
  EXPECT_TRUE(
      service_->WaitForHealth("", /*serving=*/false, absl::Seconds(10)).ok())
      << "readiness stayed SERVING while Redis was down";
  auto liveness = IsServing(service_->channel(), "liveness");
  ASSERT_TRUE(liveness.ok()) << liveness.status();
  EXPECT_TRUE(*liveness) << "liveness must not depend on Redis";
  // A call meanwhile fails cleanly, as retryable, without crashing anything.
  auto during = GetActor(coordinator_, created->name());
  EXPECT_EQ(during.status().code(), absl::StatusCode::kUnavailable)
      << during.status();
  EXPECT_TRUE(service_->running());

  ASSERT_TRUE(redis_->Restart().ok());
  ASSERT_TRUE(
      service_->WaitForHealth("", /*serving=*/true, absl::Seconds(15)).ok())
      << "the service did not become ready again after Redis came back";
  auto got = GetActor(coordinator_, created->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->display_name(), "Røde Kors Aalborg");
  EXPECT_EQ(got->etag(), created->etag());

  // And it writes again.
  auto after = CreateActor(coordinator_, "aalborg",
                           Volunteer("Lars Østergaard", {"Vejgaard"}));
  EXPECT_TRUE(after.ok()) << after.status();
}

TEST_F(RegistryDurabilityE2eTest, SigtermDrainsAndExitsZero) {
  // A second registry of its own, so the suite's keeps running.
  auto second = ServiceProcess::Start(RegistryOptions());
  ASSERT_TRUE(second.ok()) << second.status();
  auto stub = (*second)->NewStub<rv1::RegistryService>();
  rv1::GetMunicipalityRequest request;
  request.set_name("municipalities/aalborg");
  auto got = Call(*stub, &RegistryStub::GetMunicipality, coordinator_, request);
  ASSERT_TRUE(got.ok()) << got.status();

  const absl::Time start = absl::Now();
  // Generous wait; the assertion on the elapsed time below is the check.
  absl::StatusOr<int> exit_code = (*second)->Terminate(absl::Seconds(30));
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << "log tail:\n" << (*second)->LogTail();
  // The drain itself is bounded by the drain timeout (gRPC waits that long
  // for idle client connections to go away); stopping the metrics HTTP
  // server adds up to 2 s.
  EXPECT_LE(took, kDrainTimeout + absl::Seconds(4))
      << "SIGTERM took " << took << " with --drain_timeout=" << kDrainTimeout;
  EXPECT_FALSE((*second)->running());

  // It stopped listening.
  auto after =
      Call(*stub, &RegistryStub::GetMunicipality, coordinator_, request);
  EXPECT_EQ(after.status().code(), absl::StatusCode::kUnavailable)
      << after.status();
}

}  // namespace
}  // namespace brobygger::test
