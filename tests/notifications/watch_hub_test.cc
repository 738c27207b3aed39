#include "services/notifications/watch_hub.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/notifications/inbox_fixture.h"
#include "tests/notifications/watch_collector.h"

namespace brobygger::notifications {
namespace {

using ::testing::ElementsAre;

constexpr char kM[] = "aalborg";

std::vector<std::string> CursorsOf(
    const std::vector<v1::WatchNotificationsResponse>& responses) {
  std::vector<std::string> cursors;
  for (const auto& r : responses) {
    if (r.has_notification()) cursors.push_back(r.cursor());
  }
  return cursors;
}

std::vector<std::string> TitlesOf(
    const std::vector<v1::WatchNotificationsResponse>& responses) {
  std::vector<std::string> titles;
  for (const auto& r : responses) {
    if (r.has_notification()) titles.push_back(r.notification().title());
  }
  return titles;
}

class WatchHubTest : public InboxTest {
 protected:
  // Polls often so that the tests do not wait; the behaviour is the same.
  static WatchHubOptions FastOptions() {
    WatchHubOptions options;
    options.poll_interval = absl::Milliseconds(5);
    return options;
  }

  std::shared_ptr<WatchHub::Watch> Watch(WatchHub& hub,
                                         WatchCollector& collector,
                                         const std::string& m,
                                         const std::string& inbox,
                                         const std::string& cursor) {
    auto watch = hub.Add(m, inbox, cursor, &collector);
    EXPECT_TRUE(watch.ok()) << watch.status();
    if (!watch.ok()) return nullptr;
    collector.Attach(*watch);
    return *watch;
  }
};

TEST_F(WatchHubTest, SendsEntriesAfterTheCursorInOrderThenNewOnes) {
  const std::vector<std::string> ids = DeliverMany(kM, "12", 3);
  WatchHub hub(*inbox_, FastOptions());
  hub.Start();
  WatchCollector collector;
  auto watch = Watch(hub, collector, kM, "12", ids[0]);

  ASSERT_TRUE(collector.WaitForNotifications(2));
  const std::string later = DeliverOne(kM, "12", "Later");
  ASSERT_TRUE(collector.WaitForNotifications(3));

  const auto received = collector.received();
  // The first response is a heartbeat carrying the starting cursor.
  ASSERT_FALSE(received.empty());
  EXPECT_FALSE(received[0].has_notification());
  EXPECT_EQ(received[0].cursor(), ids[0]);
  EXPECT_THAT(CursorsOf(received), ElementsAre(ids[1], ids[2], later));
  EXPECT_THAT(TitlesOf(received),
              ElementsAre("Message 1", "Message 2", "Later"));
  for (const auto& r : WatchCollector::Notifications(received)) {
    EXPECT_FALSE(r.gap());
    EXPECT_EQ(r.notification().name(),
              absl::StrCat("municipalities/aalborg/inboxes/12/notifications/",
                           r.cursor()));
  }
  hub.Remove(watch);
}

TEST_F(WatchHubTest, ResumingWithTheLastCursorLosesAndRepeatsNothing) {
  WatchHubOptions options = FastOptions();
  options.read_count = 7;  // many small reads
  WatchHub hub(*inbox_, options);
  hub.Start();
  auto start = inbox_->ResolveCursor(kM, "12", "");
  ASSERT_TRUE(start.ok());

  constexpr int kTotal = 300;
  std::vector<std::string> delivered;
  std::thread producer([&] {
    for (int i = 0; i < kTotal; ++i) {
      auto ids = inbox_->Deliver(kM, {Delivery("12", absl::StrCat("Live ", i),
                                               absl::StrCat("live-", i))});
      ASSERT_TRUE(ids.ok()) << ids.status();
      delivered.push_back(ids->front());
      if (i % 20 == 0) std::this_thread::yield();
    }
  });

  std::vector<std::string> received;
  std::string cursor = *start;
  int connections = 0;
  while (received.size() < kTotal && connections < 200) {
    ++connections;
    WatchCollector collector;
    auto watch = Watch(hub, collector, kM, "12", cursor);
    ASSERT_NE(watch, nullptr);
    // Hang up after a few messages, mid-stream.
    const size_t want = std::min<size_t>(kTotal - received.size(), 23);
    ASSERT_TRUE(collector.WaitForNotifications(want));
    hub.Remove(watch);
    for (const auto& r : collector.received()) {
      if (r.has_notification()) received.push_back(r.cursor());
      cursor = r.cursor();
    }
  }
  producer.join();
  EXPECT_GT(connections, 5);
  EXPECT_EQ(received, delivered);
  EXPECT_EQ(hub.watch_count(), 0u);
}

TEST_F(WatchHubTest, KeepsMunicipalitiesApart) {
  WatchHub hub(*inbox_, FastOptions());
  hub.Start();
  WatchCollector aalborg;
  WatchCollector vejle;
  auto a = Watch(hub, aalborg, "aalborg", "12", "0-0");
  auto v = Watch(hub, vejle, "vejle", "12", "0-0");

  DeliverOne("aalborg", "12", "For Aalborg");
  DeliverOne("vejle", "12", "For Vejle");
  DeliverOne("vejle", "13", "For someone else in Vejle");
  DeliverOne("aalborg", "12", "For Aalborg again");
  ASSERT_TRUE(aalborg.WaitForNotifications(2));
  ASSERT_TRUE(vejle.WaitForNotifications(1));
  DeliverOne("vejle", "12", "For Vejle again");
  ASSERT_TRUE(vejle.WaitForNotifications(2));

  EXPECT_THAT(TitlesOf(aalborg.received()),
              ElementsAre("For Aalborg", "For Aalborg again"));
  EXPECT_THAT(TitlesOf(vejle.received()),
              ElementsAre("For Vejle", "For Vejle again"));
  for (const auto& r : WatchCollector::Notifications(vejle.received())) {
    EXPECT_THAT(r.notification().name(),
                ::testing::StartsWith("municipalities/vejle/inboxes/12/"));
  }
  hub.Remove(a);
  hub.Remove(v);
}

TEST_F(WatchHubTest, ReportsEntriesTrimmedBeforeTheyWereSentAsOneGap) {
  const std::string first = DeliverOne(kM, "12", "First");
  WatchHub hub(*inbox_, FastOptions());
  WatchCollector collector;
  // The watcher falls behind by more than the inbox keeps.
  auto watch = Watch(hub, collector, kM, "12", first);
  const std::vector<std::string> ids = DeliverMany(kM, "12", 1005);
  hub.Start();

  ASSERT_TRUE(collector.WaitForNotifications(1000));
  const auto notifications =
      WatchCollector::Notifications(collector.received());
  ASSERT_EQ(notifications.size(), 1000u);
  EXPECT_TRUE(notifications[0].gap());
  EXPECT_EQ(notifications[0].cursor(), ids[5]);  // ids[0..4] were trimmed
  EXPECT_EQ(notifications[999].cursor(), ids[1004]);
  int gaps = 0;
  for (const auto& r : notifications) gaps += r.gap() ? 1 : 0;
  EXPECT_EQ(gaps, 1);
  hub.Remove(watch);
}

TEST_F(WatchHubTest, ReportsAnErasedEntryAsAGapWithTheNextMessage) {
  WatchHub hub(*inbox_, FastOptions());
  WatchCollector collector;
  auto watch = Watch(hub, collector, kM, "12", "0-0");
  DeliverOne(kM, "12", "About Amira", "7");
  ASSERT_TRUE(inbox_->EraseAbout(kM, "7").ok());
  hub.Start();
  const std::string next = DeliverOne(kM, "12", "Next");
  ASSERT_TRUE(collector.WaitForNotifications(1));
  const auto notifications =
      WatchCollector::Notifications(collector.received());
  ASSERT_EQ(notifications.size(), 1u);
  EXPECT_EQ(notifications[0].cursor(), next);
  EXPECT_TRUE(notifications[0].gap());
  hub.Remove(watch);
}

TEST_F(WatchHubTest, ReportsOneErasureOnceThoughSmallReadsStartBeforeIt) {
  WatchHubOptions options = FastOptions();
  options.read_count = 1;
  WatchHub hub(*inbox_, options);
  WatchCollector collector;
  auto watch = Watch(hub, collector, kM, "12", "0-0");
  const std::string a = DeliverOne(kM, "12", "A");
  DeliverOne(kM, "12", "About Amira", "7");
  const std::string c = DeliverOne(kM, "12", "C");
  const std::string d = DeliverOne(kM, "12", "D");
  ASSERT_TRUE(inbox_->EraseAbout(kM, "7").ok());
  hub.Start();
  ASSERT_TRUE(collector.WaitForNotifications(3));
  const auto notifications =
      WatchCollector::Notifications(collector.received());
  ASSERT_EQ(notifications.size(), 3u);
  EXPECT_EQ(notifications[0].cursor(), a);
  EXPECT_EQ(notifications[1].cursor(), c);
  EXPECT_EQ(notifications[2].cursor(), d);
  // Reported (early, with A: see InboxStore::ReadAfter), and only once.
  EXPECT_TRUE(notifications[0].gap());
  EXPECT_FALSE(notifications[1].gap());
  EXPECT_FALSE(notifications[2].gap());
  hub.Remove(watch);
}

TEST_F(WatchHubTest, HoldsAtMostMaxQueuedMessagesForAClientThatDoesNotRead) {
  WatchHubOptions options = FastOptions();
  options.max_queued = 4;
  WatchHub hub(*inbox_, options);
  WatchCollector collector(/*drain=*/false);
  auto added = hub.Add(kM, "12", "0-0", &collector);
  ASSERT_TRUE(added.ok());
  std::shared_ptr<WatchHub::Watch> watch = *added;
  const std::vector<std::string> ids = DeliverMany(kM, "12", 20);
  hub.Start();

  // Read slowly, one message at a time: everything arrives, in order.
  std::vector<std::string> cursors;
  int ready_calls = 0;
  while (cursors.size() < ids.size()) {
    std::optional<v1::WatchNotificationsResponse> next = watch->Pop();
    if (next.has_value()) {
      if (next->has_notification()) cursors.push_back(next->cursor());
      continue;
    }
    ASSERT_TRUE(collector.WaitForReadyCalls(++ready_calls));
  }
  EXPECT_EQ(cursors, ids);

  // A client that stops reading: the hub fills its queue, then stops
  // reading for it, however many polls follow.
  DeliverMany(kM, "12", 20);
  while (true) {
    const int calls = collector.ready_calls();
    if (watch->Queued() >= static_cast<size_t>(options.max_queued)) break;
    ASSERT_TRUE(collector.WaitForReadyCalls(calls + 1));
  }
  absl::SleepFor(absl::Milliseconds(50));  // ten more polls
  hub.Stop();
  int waiting = 0;
  while (watch->Pop().has_value()) ++waiting;
  EXPECT_EQ(waiting, options.max_queued);
}

TEST_F(WatchHubTest, SendsHeartbeatsWithTheCursorWhileNothingArrives) {
  WatchHubOptions options = FastOptions();
  options.heartbeat_interval = absl::Milliseconds(20);
  WatchHub hub(*inbox_, options);
  hub.Start();
  WatchCollector collector;
  auto watch = Watch(hub, collector, kM, "12", "0-0");
  ASSERT_TRUE(collector.WaitFor(
      [](const auto& received) { return received.size() >= 3; }));
  for (const auto& r : collector.received()) {
    EXPECT_FALSE(r.has_notification());
    EXPECT_EQ(r.cursor(), "0-0");
  }

  const std::string id = DeliverOne(kM, "12", "Hello");
  ASSERT_TRUE(collector.WaitFor([&](const auto& received) {
    return !received.back().has_notification() &&
           received.back().cursor() == id;
  }));
  hub.Remove(watch);
}

TEST_F(WatchHubTest, RemovedWatchesAreNotCalledAgain) {
  WatchHub hub(*inbox_, FastOptions());
  hub.Start();
  WatchCollector removed;
  auto watch = Watch(hub, removed, kM, "12", "0-0");
  DeliverOne(kM, "12", "Before");
  ASSERT_TRUE(removed.WaitForNotifications(1));
  hub.Remove(watch);
  hub.Remove(watch);  // idempotent
  const auto before = removed.received();

  // Another watcher sees the next message, so a poll ran after Remove.
  WatchCollector other;
  auto watch2 = Watch(hub, other, kM, "12", "0-0");
  DeliverOne(kM, "12", "After");
  ASSERT_TRUE(other.WaitForNotifications(2));
  EXPECT_EQ(removed.received().size(), before.size());
  hub.Remove(watch2);
}

TEST_F(WatchHubTest, StopEndsEveryWatchAndRefusesNewOnes) {
  WatchHub hub(*inbox_, FastOptions());
  hub.Start();
  WatchCollector first;
  WatchCollector second;
  auto a = Watch(hub, first, kM, "12", "0-0");
  auto b = Watch(hub, second, "vejle", "13", "0-0");
  hub.Stop();
  EXPECT_TRUE(first.stopped());
  EXPECT_TRUE(second.stopped());
  EXPECT_EQ(hub.watch_count(), 0u);
  WatchCollector late;
  EXPECT_EQ(hub.Add(kM, "12", "0-0", &late).status().code(),
            absl::StatusCode::kUnavailable);
  hub.Remove(a);  // harmless after Stop
  hub.Stop();     // idempotent
}

}  // namespace
}  // namespace brobygger::notifications
