// TenantFollower against a real redis-server: it follows the streams of
// every municipality in the tenants key (a set or a sorted set), picks up
// municipalities added later, and hands each event to the handler once.
#include "common/events/tenant_follower.h"

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "absl/time/clock.h"
#include "common/events/event_bus.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "tests/support/redis_test.h"

namespace brobygger::events {
namespace {

class TenantFollowerTest : public test::RedisTest {
 protected:
  void PublishTo(const std::string& municipality, const std::string& text) {
    google::protobuf::StringValue payload;
    payload.set_value(text);
    const v1::Event event =
        MakeEvent({"source", "test", ""}, municipality,
                  "municipalities/" + municipality, payload);
    ASSERT_TRUE(Publish(*pool_,
                        redis::KeySpace("source").EventStream(municipality),
                        event, StreamRetention{1000})
                    .ok());
  }

  // Runs a follower of "source" streams over `tenants_key` until `count`
  // distinct payloads arrived (or 10 s passed); returns them.
  std::set<std::string> Follow(const std::string& tenants_key, size_t count,
                               const std::function<void()>& meanwhile = {}) {
    std::mutex mutex;
    std::set<std::string> seen;
    int calls = 0;
    TenantFollowerOptions options;
    options.group = "follower";
    options.consumer = "test";
    options.source_service = "source";
    options.tenants_key = tenants_key;
    options.dead_letter_stream = "follower:{_global}:deadletter";
    options.tenant_refresh = absl::Milliseconds(100);
    TenantFollower follower(*pool_, redis::KeySpace("follower"), options,
                            [&](const v1::Event& event) {
                              google::protobuf::StringValue payload;
                              event.payload().UnpackTo(&payload);
                              std::lock_guard<std::mutex> lock(mutex);
                              seen.insert(payload.value());
                              ++calls;
                              return absl::OkStatus();
                            });
    follower.Start();
    if (meanwhile) meanwhile();
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (seen.size() >= count) break;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    absl::SleepFor(absl::Milliseconds(200));  // time for a duplicate to show
    follower.Stop();
    EXPECT_EQ(calls, static_cast<int>(seen.size())) << "an event handled twice";
    return seen;
  }
};

TEST_F(TenantFollowerTest, FollowsEveryMunicipalityOfASet) {
  ASSERT_TRUE(
      pool_->Run({"SADD", "t:{_global}:tenants", "aalborg", "lejre"}).ok());
  PublishTo("aalborg", "a1");
  PublishTo("lejre", "l1");
  PublishTo("odense", "o1");  // not followed
  EXPECT_EQ(Follow("t:{_global}:tenants", 2),
            (std::set<std::string>{"a1", "l1"}));
}

TEST_F(TenantFollowerTest, FollowsASortedSetAndMunicipalitiesAddedLater) {
  ASSERT_TRUE(pool_->Run({"ZADD", "t:{_global}:tenants", "0", "aalborg"}).ok());
  PublishTo("aalborg", "a1");
  const auto seen = Follow("t:{_global}:tenants", 2, [&] {
    absl::SleepFor(absl::Milliseconds(300));
    ASSERT_TRUE(
        pool_->Run({"ZADD", "t:{_global}:tenants", "0", "kolding"}).ok());
    PublishTo("kolding", "k1");
  });
  EXPECT_EQ(seen, (std::set<std::string>{"a1", "k1"}));
}

}  // namespace
}  // namespace brobygger::events
