// The municipalities the stream followers follow are the ones the
// background workers (deliveries, digests, broadcasts) go through: both
// sides of the shared Redis set, through the assembled service.
#include "services/notifications/followed_municipalities.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/notifications.h"
#include "tests/support/redis_test.h"
#include "tests/support/test_principals.h"

namespace brobygger::notifications {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class FollowedMunicipalitiesTest : public test::RedisTest {
 protected:
  void SetUp() override {
    test::RedisTest::SetUp();
    notifications_ =
        std::make_unique<Notifications>(pool(), NotificationsOptions{});
  }
  void TearDown() override { notifications_.reset(); }

  Notifications& notifications() { return *notifications_; }

 private:
  std::unique_ptr<Notifications> notifications_;
};

TEST_F(FollowedMunicipalitiesTest, NoneBeforeAnyIsFollowed) {
  absl::StatusOr<std::vector<std::string>> followed =
      FollowedMunicipalities(notifications().context());
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_THAT(*followed, IsEmpty());
}

TEST_F(FollowedMunicipalitiesTest, TheWorkersSeeWhatTheFollowersFollow) {
  ASSERT_TRUE(notifications().Follow("lejre").ok());
  ASSERT_TRUE(notifications().Follow("aalborg").ok());
  ASSERT_TRUE(notifications().Follow("lejre").ok());

  absl::StatusOr<std::vector<std::string>> followed =
      FollowedMunicipalities(notifications().context());
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_THAT(*followed, ElementsAre("aalborg", "lejre"));
}

TEST_F(FollowedMunicipalitiesTest,
       TheSchedulerSendsADueBroadcastOfAFollowedMunicipality) {
  ASSERT_TRUE(notifications().Follow("aalborg").ok());
  v1::Broadcast asked;
  asked.mutable_audience()->set_volunteers_in_area("");
  asked.set_title("Welcome evening on Thursday");
  asked.set_body("Everyone is welcome at the town hall at 18:00.");
  absl::StatusOr<v1::Broadcast> created = notifications().broadcasts().Create(
      test::MakePrincipal("municipalities/aalborg/actors/1",
                          auth::Role::kCoordinator, "aalborg"),
      "municipalities/aalborg", asked, "");
  ASSERT_TRUE(created.ok()) << created.status();

  absl::StatusOr<int> sent = notifications().broadcast_scheduler().RunOnce();
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 1);
}

TEST_F(FollowedMunicipalitiesTest, AnUnreadableSetIsUnavailable) {
  ASSERT_TRUE(
      pool()
          .Run({"SET", notifications().context().keys.Municipalities(), "x"})
          .ok());
  absl::StatusOr<std::vector<std::string>> followed =
      FollowedMunicipalities(notifications().context());
  EXPECT_EQ(followed.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace brobygger::notifications
