// The hourly limit on non-urgent messages, against a real Redis shared the
// way service replicas share it.
#include "services/notifications/rate_limiter.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/redis_test.h"

namespace brobygger::notifications {
namespace {

class RateLimiterTest : public test::RedisTest {
 protected:
  // How many of `attempts` acquisitions at `now` succeed.
  int Acquired(RateLimiter& limiter, const std::string& key, int limit,
               absl::Time now, int attempts) {
    int acquired = 0;
    for (int i = 0; i < attempts; ++i) {
      absl::StatusOr<bool> allowed =
          limiter.TryAcquire(key, limit, absl::Hours(1), now);
      EXPECT_TRUE(allowed.ok()) << allowed.status();
      if (allowed.ok() && *allowed) ++acquired;
    }
    return acquired;
  }

  const absl::Time t0_ = absl::FromUnixSeconds(1780000000);
};

TEST_F(RateLimiterTest, KeysCarryTheMunicipalityAndRecipient) {
  EXPECT_EQ(RecipientRateKey("aalborg", "12"),
            "notifications:{aalborg}:rate:12");
}

TEST_F(RateLimiterTest, AllowsUpToTheLimitThenRefuses) {
  RateLimiter limiter(pool());
  const std::string key = RecipientRateKey("aalborg", "12");
  EXPECT_EQ(Acquired(limiter, key, 10, t0_, 15), 10);
  EXPECT_EQ(Acquired(limiter, key, 10, t0_ + absl::Minutes(59), 1), 0);
}

TEST_F(RateLimiterTest, TheWindowSlides) {
  RateLimiter limiter(pool());
  const std::string key = RecipientRateKey("aalborg", "12");
  // One at 0, 20 and 40 minutes past; the limit is 3 an hour.
  EXPECT_EQ(Acquired(limiter, key, 3, t0_, 1), 1);
  EXPECT_EQ(Acquired(limiter, key, 3, t0_ + absl::Minutes(20), 1), 1);
  EXPECT_EQ(Acquired(limiter, key, 3, t0_ + absl::Minutes(40), 1), 1);
  EXPECT_EQ(Acquired(limiter, key, 3, t0_ + absl::Minutes(59), 1), 0);
  // An hour after the first, its slot is free again, and only its slot.
  EXPECT_EQ(Acquired(limiter, key, 3, t0_ + absl::Minutes(60), 2), 1);
  EXPECT_EQ(Acquired(limiter, key, 3, t0_ + absl::Minutes(79), 1), 0);
  EXPECT_EQ(Acquired(limiter, key, 3, t0_ + absl::Minutes(80), 1), 1);
}

TEST_F(RateLimiterTest, RefusalsDoNotUseUpTheWindow) {
  RateLimiter limiter(pool());
  const std::string key = RecipientRateKey("aalborg", "12");
  EXPECT_EQ(Acquired(limiter, key, 2, t0_, 2), 2);
  // Many refused attempts later in the hour...
  EXPECT_EQ(Acquired(limiter, key, 2, t0_ + absl::Minutes(50), 20), 0);
  // ...do not push the free slots further out.
  EXPECT_EQ(Acquired(limiter, key, 2, t0_ + absl::Minutes(60), 2), 2);
}

TEST_F(RateLimiterTest, RecipientsAreIndependent) {
  RateLimiter limiter(pool());
  const std::string amina = RecipientRateKey("aalborg", "12");
  const std::string jens = RecipientRateKey("aalborg", "13");
  const std::string other_town = RecipientRateKey("kolding", "12");
  EXPECT_EQ(Acquired(limiter, amina, 5, t0_, 5), 5);
  EXPECT_EQ(Acquired(limiter, amina, 5, t0_, 1), 0);
  EXPECT_EQ(Acquired(limiter, jens, 5, t0_, 5), 5);
  EXPECT_EQ(Acquired(limiter, other_town, 5, t0_, 5), 5);
}

TEST_F(RateLimiterTest, IdleKeysExpireAndStayBounded) {
  RateLimiter limiter(pool());
  const std::string key = RecipientRateKey("aalborg", "12");
  EXPECT_EQ(Acquired(limiter, key, 3, t0_, 10), 3);
  auto size = pool().Run({"ZCARD", key});
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->integer, 3);
  auto ttl = pool().Run({"PTTL", key});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, absl::ToInt64Milliseconds(absl::Hours(1)));
}

TEST_F(RateLimiterTest, ConcurrentCallersNeverExceedTheLimit) {
  RateLimiter limiter(pool());
  const std::string key = RecipientRateKey("aalborg", "12");
  constexpr int kThreads = 8;
  constexpr int kAttemptsEach = 25;
  std::atomic<int> acquired{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kAttemptsEach; ++i) {
        // All in the same millisecond: members must still be distinct.
        absl::StatusOr<bool> allowed =
            limiter.TryAcquire(key, 10, absl::Hours(1), t0_);
        if (!allowed.ok()) {
          ++errors;
        } else if (*allowed) {
          ++acquired;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(acquired.load(), 10);
}

TEST_F(RateLimiterTest, NoLimitAllowsNothingAndAWindowMustBePositive) {
  RateLimiter limiter(pool());
  const std::string key = RecipientRateKey("aalborg", "12");
  auto zero = limiter.TryAcquire(key, 0, absl::Hours(1), t0_);
  ASSERT_TRUE(zero.ok());
  EXPECT_FALSE(*zero);
  auto bad = limiter.TryAcquire(key, 10, absl::ZeroDuration(), t0_);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace brobygger::notifications
