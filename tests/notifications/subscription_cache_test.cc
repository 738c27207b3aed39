// The router's subscription cache against a real redis-server: grouped by
// topic, reloaded only when a subscription changed (and then seeing the
// change), loaded in batches, per municipality, safe to share between
// threads.
#include "services/notifications/subscription_cache.h"

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "tests/notifications/subscription_fixture.h"

namespace brobygger::notifications {
namespace {

class SubscriptionCacheTest : public SubscriptionFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SubscriptionFixture::SetUp());
    AddOrganisation("10");
    AddVolunteer("11", "10");
    AddVolunteer("12");
    cache_ = std::make_unique<SubscriptionCache>(ctx());
  }
  void TearDown() override {
    cache_.reset();
    SubscriptionFixture::TearDown();
  }

  std::shared_ptr<const MunicipalitySubscriptions> Snapshot(
      const std::string& m = kMunicipality) {
    auto snapshot = cache_->Get(m);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status();
    return snapshot.ok() ? *snapshot : nullptr;
  }
  static std::set<std::string> NamesOf(
      const std::vector<v1::Subscription>& subscriptions) {
    std::set<std::string> names;
    for (const auto& s : subscriptions) names.insert(s.name());
    return names;
  }

  std::unique_ptr<SubscriptionCache> cache_;
};

TEST_F(SubscriptionCacheTest, AnEmptyMunicipalityHasNoSubscriptions) {
  auto snapshot = Snapshot();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->count, 0);
  EXPECT_TRUE(snapshot->OfTopic(v1::TOPIC_ACTIVITIES).empty());
}

TEST_F(SubscriptionCacheTest, GroupsSubscriptionsByTopic) {
  const v1::Subscription both =
      MustSubscribe(ForActor("12", {v1::TOPIC_ACTIVITIES, v1::TOPIC_FORUMS}));
  const v1::Subscription activities =
      MustSubscribe(ForActor("11", {v1::TOPIC_ACTIVITIES}));
  auto snapshot = Snapshot();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->count, 2);
  EXPECT_EQ(NamesOf(snapshot->OfTopic(v1::TOPIC_ACTIVITIES)),
            (std::set<std::string>{both.name(), activities.name()}));
  EXPECT_EQ(NamesOf(snapshot->OfTopic(v1::TOPIC_FORUMS)),
            std::set<std::string>{both.name()});
  EXPECT_TRUE(snapshot->OfTopic(v1::TOPIC_MATCHES).empty());
  EXPECT_EQ(snapshot->OfTopic(v1::TOPIC_ACTIVITIES)[0].name(), both.name())
      << "oldest first";
}

TEST_F(SubscriptionCacheTest, ReloadsOnlyWhenASubscriptionChanged) {
  const v1::Subscription first =
      MustSubscribe(ForActor("12", {v1::TOPIC_ACTIVITIES}));
  auto loaded = Snapshot();
  auto again = Snapshot();
  EXPECT_EQ(cache_->loads(), 1);
  EXPECT_EQ(loaded.get(), again.get()) << "the same snapshot, not reloaded";

  // A change of something else (a webhook endpoint) is no reason.
  const v1::WebhookEndpoint hook = MustCreateEndpoint("10");
  Snapshot();
  EXPECT_EQ(cache_->loads(), 1);

  const v1::Subscription second =
      MustSubscribe(ForWebhook(hook.name(), {v1::TOPIC_ACTIVITIES}));
  auto created = Snapshot();
  EXPECT_EQ(cache_->loads(), 2);
  EXPECT_EQ(NamesOf(created->OfTopic(v1::TOPIC_ACTIVITIES)),
            (std::set<std::string>{first.name(), second.name()}));
  EXPECT_EQ(NamesOf(loaded->OfTopic(v1::TOPIC_ACTIVITIES)).size(), 1u)
      << "a snapshot handed out never changes";

  v1::Subscription patch = first;
  patch.clear_topics();
  patch.add_topics(v1::TOPIC_MATCHES);
  google::protobuf::FieldMask mask;
  mask.add_paths("topics");
  ASSERT_TRUE(subscriptions().Update(Caseworker(), patch, mask).ok());
  auto updated = Snapshot();
  EXPECT_EQ(cache_->loads(), 3);
  EXPECT_EQ(NamesOf(updated->OfTopic(v1::TOPIC_MATCHES)),
            std::set<std::string>{first.name()});
  EXPECT_EQ(NamesOf(updated->OfTopic(v1::TOPIC_ACTIVITIES)),
            std::set<std::string>{second.name()});

  ASSERT_TRUE(subscriptions().Delete(Caseworker(), first.name(), "").ok());
  auto deleted = Snapshot();
  EXPECT_EQ(cache_->loads(), 4);
  EXPECT_TRUE(deleted->OfTopic(v1::TOPIC_MATCHES).empty());

  // Deleting the endpoint deletes its subscription: the cache sees it.
  ASSERT_TRUE(webhooks().Delete(Caseworker(), hook.name(), "").ok());
  auto cascaded = Snapshot();
  EXPECT_EQ(cascaded->count, 0);
  Snapshot();
  EXPECT_EQ(cache_->loads(), 5);
}

TEST_F(SubscriptionCacheTest, KeepsMunicipalitiesApart) {
  MustSubscribe(ForActor("12", {v1::TOPIC_ACTIVITIES}));
  AddActor("5", rv1::ACTOR_KIND_VOLUNTEER, "", kOther);
  auto in_vejle = subscriptions().Create(
      Caseworker(kOther), kOther,
      [] {
        v1::Subscription s;
        s.set_subscriber("municipalities/vejle/actors/5");
        s.add_topics(v1::TOPIC_MATCHES);
        return s;
      }(),
      "");
  ASSERT_TRUE(in_vejle.ok()) << in_vejle.status();
  auto aalborg = Snapshot();
  auto vejle = Snapshot(kOther);
  EXPECT_EQ(aalborg->count, 1);
  EXPECT_TRUE(aalborg->OfTopic(v1::TOPIC_MATCHES).empty());
  EXPECT_EQ(vejle->count, 1);
  EXPECT_EQ(NamesOf(vejle->OfTopic(v1::TOPIC_MATCHES)),
            std::set<std::string>{in_vejle->name()});
  EXPECT_EQ(cache_->loads(), 2);
}

TEST_F(SubscriptionCacheTest, LoadsMoreThanOneBatch) {
  // More subscriptions than one scan batch (store::kMaxScanBatch), spread
  // over enough subscribers to stay within the per-subscriber limit.
  const int total = store::kMaxScanBatch + 7;
  for (int i = 0; i < total; ++i) {
    const std::string subscriber =
        absl::StrCat(100 + i / kMaxSubscriptionsPerSubscriber);
    if (i % kMaxSubscriptionsPerSubscriber == 0) AddVolunteer(subscriber);
    MustSubscribe(ForActor(subscriber, {v1::TOPIC_MATCHES}));
  }
  auto snapshot = Snapshot();
  EXPECT_EQ(snapshot->count, total);
  EXPECT_EQ(NamesOf(snapshot->OfTopic(v1::TOPIC_MATCHES)).size(),
            static_cast<size_t>(total));
}

TEST_F(SubscriptionCacheTest, RouterThreadsShareItWhileSubscriptionsChange) {
  constexpr int kReaders = 4;
  constexpr int kWrites = 30;
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      int64_t last_count = 0;
      while (writing.load()) {
        auto snapshot = cache_->Get(kMunicipality);
        if (!snapshot.ok()) {
          ++failures;
          continue;
        }
        const int64_t count = (*snapshot)->count;
        // Subscriptions are only added here: no reader goes back in time.
        if (count < last_count ||
            static_cast<int64_t>(
                (*snapshot)->OfTopic(v1::TOPIC_ACTIVITIES).size()) != count) {
          ++failures;
        }
        last_count = count;
      }
    });
  }
  for (int i = 0; i < kWrites; ++i) {
    MustSubscribe(ForActor("12", {v1::TOPIC_ACTIVITIES}));
  }
  writing = false;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Snapshot()->count, kWrites);
}

}  // namespace
}  // namespace brobygger::notifications
