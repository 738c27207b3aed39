// The per-endpoint circuit breaker: when deliveries stop flowing to a
// failing endpoint, when one probe is let through, and how its state
// survives a trip through Redis.
#include "services/notifications/circuit_breaker.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace brobygger::notifications {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1700000000);

CircuitBreaker Opened(absl::Time at) {
  CircuitBreaker breaker;
  for (int i = 0; i < 5; ++i) breaker.RecordFailure(at);
  return breaker;
}

TEST(CircuitBreakerTest, OpensAfterFiveFailuresInARow) {
  CircuitBreaker breaker;
  for (int i = 0; i < 4; ++i) {
    breaker.RecordFailure(kT0);
    EXPECT_EQ(breaker.state(), BreakerState::kClosed);
    EXPECT_TRUE(breaker.AllowRequest(kT0));
  }
  breaker.RecordFailure(kT0);
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
  EXPECT_EQ(breaker.RetryTime(), kT0 + absl::Seconds(30));
  EXPECT_FALSE(breaker.AllowRequest(kT0 + absl::Seconds(29)));
}

TEST(CircuitBreakerTest, ASuccessResetsTheCount) {
  CircuitBreaker breaker;
  for (int i = 0; i < 4; ++i) breaker.RecordFailure(kT0);
  breaker.RecordSuccess();
  for (int i = 0; i < 4; ++i) breaker.RecordFailure(kT0);
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  EXPECT_EQ(breaker.consecutive_failures(), 4);
}

TEST(CircuitBreakerTest, HalfOpenLetsExactlyOneProbeThrough) {
  CircuitBreaker breaker = Opened(kT0);
  const absl::Time later = kT0 + absl::Seconds(30);
  EXPECT_TRUE(breaker.AllowRequest(later));
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
  EXPECT_FALSE(breaker.AllowRequest(later));
  EXPECT_FALSE(breaker.AllowRequest(later + absl::Seconds(29)));
}

TEST(CircuitBreakerTest, ASuccessfulProbeClosesTheCircuit) {
  CircuitBreaker breaker = Opened(kT0);
  ASSERT_TRUE(breaker.AllowRequest(kT0 + absl::Seconds(30)));
  breaker.RecordSuccess();
  EXPECT_EQ(breaker.state(), BreakerState::kClosed);
  EXPECT_EQ(breaker.RetryTime(), absl::InfinitePast());
  EXPECT_TRUE(breaker.AllowRequest(kT0 + absl::Seconds(30)));
  EXPECT_TRUE(breaker.AllowRequest(kT0 + absl::Seconds(30)));
}

TEST(CircuitBreakerTest, FailedProbesReopenWithDoubledCoolDownUpToTenMinutes) {
  CircuitBreaker breaker = Opened(kT0);
  absl::Time now = kT0;
  for (absl::Duration expected :
       {absl::Seconds(60), absl::Seconds(120), absl::Seconds(240),
        absl::Seconds(480), absl::Minutes(10), absl::Minutes(10)}) {
    now = breaker.RetryTime();
    ASSERT_TRUE(breaker.AllowRequest(now));
    breaker.RecordFailure(now);
    EXPECT_EQ(breaker.state(), BreakerState::kOpen);
    EXPECT_EQ(breaker.RetryTime() - now, expected);
  }
  // After a success the next opening starts again at 30 s.
  const absl::Time probe = breaker.RetryTime();
  ASSERT_TRUE(breaker.AllowRequest(probe));
  breaker.RecordSuccess();
  for (int i = 0; i < 5; ++i) breaker.RecordFailure(probe);
  EXPECT_EQ(breaker.RetryTime() - probe, absl::Seconds(30));
}

TEST(CircuitBreakerTest, ALostProbeIsReleasedAfterTheProbeTimeout) {
  CircuitBreaker breaker = Opened(kT0);
  const absl::Time probe = kT0 + absl::Seconds(30);
  ASSERT_TRUE(breaker.AllowRequest(probe));
  EXPECT_EQ(breaker.RetryTime(), probe + absl::Seconds(30));
  EXPECT_FALSE(breaker.AllowRequest(probe + absl::Seconds(29)));
  EXPECT_TRUE(breaker.AllowRequest(probe + absl::Seconds(30)));
  EXPECT_EQ(breaker.state(), BreakerState::kHalfOpen);
  EXPECT_FALSE(breaker.AllowRequest(probe + absl::Seconds(31)));
}

TEST(CircuitBreakerTest, LateFailuresWhileOpenDoNotExtendTheCoolDown) {
  CircuitBreaker breaker = Opened(kT0);
  breaker.RecordFailure(kT0 + absl::Seconds(20));
  EXPECT_EQ(breaker.RetryTime(), kT0 + absl::Seconds(30));
}

TEST(CircuitBreakerTest, PolicyIsHonoured) {
  CircuitBreakerPolicy policy;
  policy.failure_threshold = 2;
  policy.open_for = absl::Seconds(5);
  CircuitBreaker breaker(policy);
  breaker.RecordFailure(kT0);
  breaker.RecordFailure(kT0);
  EXPECT_EQ(breaker.state(), BreakerState::kOpen);
  EXPECT_EQ(breaker.RetryTime(), kT0 + absl::Seconds(5));
}

TEST(CircuitBreakerTest, SerialisesAndParsesEveryState) {
  CircuitBreaker closed;
  closed.RecordFailure(kT0);
  CircuitBreaker open = Opened(kT0);
  CircuitBreaker half_open = Opened(kT0);
  ASSERT_TRUE(half_open.AllowRequest(kT0 + absl::Seconds(30)));
  EXPECT_EQ(closed.Serialize(), "cb1;closed;1;0;0");
  EXPECT_EQ(open.Serialize(), "cb1;open;5;1;1700000030000");
  for (const CircuitBreaker& breaker : {closed, open, half_open}) {
    absl::StatusOr<CircuitBreaker> parsed =
        CircuitBreaker::Parse(breaker.Serialize());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->state(), breaker.state());
    EXPECT_EQ(parsed->RetryTime(), breaker.RetryTime());
    EXPECT_EQ(parsed->consecutive_failures(), breaker.consecutive_failures());
    EXPECT_EQ(parsed->Serialize(), breaker.Serialize());
  }
}

TEST(CircuitBreakerTest, AParsedBreakerBehavesLikeTheOriginal) {
  CircuitBreaker breaker = Opened(kT0);
  ASSERT_TRUE(breaker.AllowRequest(kT0 + absl::Seconds(30)));
  breaker.RecordFailure(kT0 + absl::Seconds(31));  // reopened for 60 s
  absl::StatusOr<CircuitBreaker> parsed =
      CircuitBreaker::Parse(breaker.Serialize());
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->AllowRequest(kT0 + absl::Seconds(90)));
  ASSERT_TRUE(parsed->AllowRequest(kT0 + absl::Seconds(91)));
  parsed->RecordFailure(kT0 + absl::Seconds(92));
  EXPECT_EQ(parsed->RetryTime(), kT0 + absl::Seconds(92 + 120));
}

TEST(CircuitBreakerTest, ParseRejectsGarbage) {
  for (absl::string_view text : {
           "",
           "cb1",
           "cb2;closed;0;0;0",
           "cb1;shut;0;0;0",
           "cb1;closed;0;0",
           "cb1;closed;0;0;0;0",
           "cb1;closed;-1;0;0",
           "cb1;closed;x;0;0",
           "cb1;closed; 1;0;0",
           "cb1;closed;0;1;0",            // closed yet opened before
           "cb1;open;5;0;1700000030000",  // open but never opened
           "cb1;open;5;1;0",              // open without a retry time
           "cb1;half_open;5;1;0",
           "cb1;closed;99999999999999999999;0;0",
       }) {
    EXPECT_EQ(CircuitBreaker::Parse(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(CircuitBreakerTest, MapsToTheProtoState) {
  EXPECT_EQ(ToProtoCircuitState(BreakerState::kClosed),
            v1::WebhookEndpoint::CIRCUIT_STATE_CLOSED);
  EXPECT_EQ(ToProtoCircuitState(BreakerState::kOpen),
            v1::WebhookEndpoint::CIRCUIT_STATE_OPEN);
  EXPECT_EQ(ToProtoCircuitState(BreakerState::kHalfOpen),
            v1::WebhookEndpoint::CIRCUIT_STATE_HALF_OPEN);
}

}  // namespace
}  // namespace brobygger::notifications
