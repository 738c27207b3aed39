// Retry delays of failed deliveries: within the documented window,
// capped, spread out, and safe for any attempt number.
#include "services/notifications/retry_backoff.h"

#include <algorithm>
#include <limits>
#include <random>
#include <set>

#include "absl/random/random.h"
#include "gtest/gtest.h"

namespace brobygger::notifications {
namespace {

// A fixed seed: the bounds must hold for every draw, the seed only makes a
// failure reproducible.
std::mt19937_64 Seeded() { return std::mt19937_64(20240611); }

TEST(RetryBackoffTest, DelaysStayBetweenTheFloorAndTheDoublingCeiling) {
  const BackoffPolicy policy;
  std::mt19937_64 random = Seeded();
  for (int attempt = 1; attempt <= 30; ++attempt) {
    const absl::Duration ceiling =
        std::min(absl::Seconds(1) * (int64_t{1} << std::min(attempt - 1, 20)),
                 absl::Hours(1));
    for (int draw = 0; draw < 200; ++draw) {
      const absl::Duration delay = RetryDelay(policy, attempt, random);
      ASSERT_GE(delay, absl::Milliseconds(100)) << "attempt " << attempt;
      ASSERT_LE(delay, ceiling) << "attempt " << attempt;
    }
  }
}

TEST(RetryBackoffTest, LaterAttemptsReachTheOneHourCap) {
  const BackoffPolicy policy;
  std::mt19937_64 random = Seeded();
  absl::Duration longest = absl::ZeroDuration();
  for (int draw = 0; draw < 500; ++draw) {
    longest = std::max(longest, RetryDelay(policy, 20, random));
  }
  EXPECT_LE(longest, absl::Hours(1));
  // Full jitter over [0.1 s, 1 h]: 500 draws all below 50 minutes would be
  // a broken distribution, not bad luck (probability 1e-39).
  EXPECT_GT(longest, absl::Minutes(50));
}

TEST(RetryBackoffTest, JitterSpreadsDeliveriesThatFailedTogether) {
  const BackoffPolicy policy;
  std::mt19937_64 random = Seeded();
  std::set<int64_t> distinct;
  for (int draw = 0; draw < 100; ++draw) {
    distinct.insert(absl::ToInt64Milliseconds(RetryDelay(policy, 10, random)));
  }
  EXPECT_GT(distinct.size(), 90u);
}

TEST(RetryBackoffTest, HugeAttemptNumbersDoNotOverflow) {
  const BackoffPolicy policy;
  std::mt19937_64 random = Seeded();
  for (int attempt : {64, 1000, 1 << 20, std::numeric_limits<int>::max()}) {
    const absl::Duration delay = RetryDelay(policy, attempt, random);
    EXPECT_GE(delay, absl::Milliseconds(100)) << attempt;
    EXPECT_LE(delay, absl::Hours(1)) << attempt;
  }
}

TEST(RetryBackoffTest, AttemptsBelowOneCountAsTheFirst) {
  const BackoffPolicy policy;
  std::mt19937_64 random = Seeded();
  for (int attempt : {0, -5, std::numeric_limits<int>::min()}) {
    const absl::Duration delay = RetryDelay(policy, attempt, random);
    EXPECT_GE(delay, absl::Milliseconds(100));
    EXPECT_LE(delay, absl::Seconds(1));
  }
}

TEST(RetryBackoffTest, OddPoliciesStillGiveBoundedDelays) {
  std::mt19937_64 random = Seeded();
  BackoffPolicy shrinking;
  shrinking.multiplier = 0.5;  // counts as 1: never below the initial
  EXPECT_LE(RetryDelay(shrinking, 50, random), absl::Seconds(1));
  BackoffPolicy floor_above_cap;
  floor_above_cap.max_delay = absl::Milliseconds(50);
  EXPECT_EQ(RetryDelay(floor_above_cap, 3, random), absl::Milliseconds(50));
  BackoffPolicy fixed;
  fixed.min_delay = fixed.initial = fixed.max_delay = absl::Seconds(7);
  EXPECT_EQ(RetryDelay(fixed, 9, random), absl::Seconds(7));
}

TEST(RetryBackoffTest, GivesUpAfterTwentyFourHours) {
  const BackoffPolicy policy;
  const absl::Time first = absl::FromUnixSeconds(1700000000);
  EXPECT_FALSE(ShouldGiveUp(policy, first, first));
  EXPECT_FALSE(ShouldGiveUp(policy, first, first + absl::Hours(23.9)));
  EXPECT_TRUE(ShouldGiveUp(policy, first, first + absl::Hours(24)));
  EXPECT_TRUE(ShouldGiveUp(policy, first, first + absl::Hours(30)));
}

}  // namespace
}  // namespace brobygger::notifications
