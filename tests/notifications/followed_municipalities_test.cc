// The background workers (deliveries, digests, broadcasts) go through the
// municipalities the service follows: they must read the set exactly as
// following a municipality writes it, or they silently do nothing.
#include "services/notifications/followed_municipalities.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/notifications.h"
#include "tests/support/redis_test.h"

namespace brobygger::notifications {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class FollowedMunicipalitiesTest : public test::RedisTest {};

TEST_F(FollowedMunicipalitiesTest, ListsWhatFollowingWroteSorted) {
  Notifications notifications(pool(), NotificationsOptions());
  absl::StatusOr<std::vector<std::string>> none =
      FollowedMunicipalities(notifications.context());
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(*none, IsEmpty());

  for (const char* m : {"kolding", "aalborg", "kolding"}) {
    ASSERT_TRUE(notifications.Follow(m).ok());
  }
  absl::StatusOr<std::vector<std::string>> followed =
      FollowedMunicipalities(notifications.context());
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_THAT(*followed, ElementsAre("aalborg", "kolding"));
}

TEST_F(FollowedMunicipalitiesTest, ARedisErrorIsUnavailable) {
  Notifications notifications(pool(), NotificationsOptions());
  ASSERT_TRUE(pool()
                  .Run({"SET", notifications.context().keys.Municipalities(),
                        "not a set"})
                  .ok());
  absl::StatusOr<std::vector<std::string>> followed =
      FollowedMunicipalities(notifications.context());
  EXPECT_EQ(followed.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace brobygger::notifications
