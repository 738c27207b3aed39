// Pending digests in a real Redis, shared the way replicas share them:
// nothing is sent twice or lost, the per-recipient cap holds, and erasing
// a newcomer removes what was waiting about them.
#include "services/notifications/digest_queue.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/redis_test.h"

namespace brobygger::notifications {
namespace {

constexpr absl::string_view kTown = "aalborg";

v1::Notification Item(absl::string_view title) {
  v1::Notification item;
  item.set_topic(v1::TOPIC_ACTIVITIES);
  item.set_urgency(v1::URGENCY_NORMAL);
  item.set_title(std::string(title));
  return item;
}

std::vector<std::string> Titles(const ClaimedDigest& digest) {
  std::vector<std::string> titles;
  for (const v1::Notification& item : digest.items) {
    titles.push_back(item.title());
  }
  return titles;
}

class DigestQueueTest : public test::RedisTest {
 protected:
  void Add(DigestQueue& queue, absl::string_view actor, absl::string_view title,
           absl::Time due, absl::string_view about = "") {
    absl::Status status = queue.Add(kTown, actor, Item(title), due, about);
    ASSERT_TRUE(status.ok()) << status;
  }

  std::vector<ClaimedDigest> Claim(DigestQueue& queue, absl::Time now,
                                   int limit = 100,
                                   absl::Duration lease = absl::Minutes(5)) {
    auto claimed = queue.Claim(kTown, now, limit, lease);
    EXPECT_TRUE(claimed.ok()) << claimed.status();
    return claimed.ok() ? *std::move(claimed) : std::vector<ClaimedDigest>{};
  }

  std::optional<absl::Time> Due(DigestQueue& queue, absl::string_view actor) {
    auto due = queue.DueTime(kTown, actor);
    EXPECT_TRUE(due.ok()) << due.status();
    return due.ok() ? *due : std::nullopt;
  }

  int64_t KeyCount() {
    auto keys = pool().Run({"DBSIZE"});
    EXPECT_TRUE(keys.ok());
    return keys.ok() ? keys->integer : -1;
  }

  const absl::Time t0_ = absl::FromUnixSeconds(1780000000);
  const absl::Time morning_ = t0_ + absl::Hours(8);
};

TEST_F(DigestQueueTest, ADigestIsClaimedWhenDueAndCompletedOnce) {
  DigestQueue queue(pool());
  Add(queue, "12", "Language café", morning_);
  Add(queue, "12", "Football", morning_);
  EXPECT_TRUE(Claim(queue, morning_ - absl::Seconds(1)).empty());

  std::vector<ClaimedDigest> claimed = Claim(queue, morning_);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].actor_id, "12");
  EXPECT_EQ(Titles(claimed[0]),
            (std::vector<std::string>{"Language café", "Football"}));
  EXPECT_EQ(claimed[0].older_dropped, 0);

  ASSERT_TRUE(queue.Complete(kTown, claimed[0]).ok());
  EXPECT_EQ(Due(queue, "12"), std::nullopt);
  EXPECT_TRUE(Claim(queue, morning_ + absl::Hours(48)).empty());
  // Nothing is left behind but the municipality's sequence counter.
  EXPECT_EQ(KeyCount(), 1);
}

TEST_F(DigestQueueTest, TheEarliestDueTimeWins) {
  DigestQueue queue(pool());
  Add(queue, "12", "weekly item", t0_ + absl::Hours(72));
  EXPECT_EQ(Due(queue, "12"), t0_ + absl::Hours(72));
  Add(queue, "12", "overflow item", morning_);
  EXPECT_EQ(Due(queue, "12"), morning_);
  Add(queue, "12", "another weekly item", t0_ + absl::Hours(72));
  EXPECT_EQ(Due(queue, "12"), morning_);
  // All of them go together.
  std::vector<ClaimedDigest> claimed = Claim(queue, morning_);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].items.size(), 3u);
}

TEST_F(DigestQueueTest, ItemsAddedDuringAClaimSurviveAndReschedule) {
  DigestQueue queue(pool());
  Add(queue, "12", "first", morning_);
  std::vector<ClaimedDigest> claimed = Claim(queue, morning_);
  ASSERT_EQ(claimed.size(), 1u);
  // While the digest is being sent, a new message arrives for tomorrow's.
  const absl::Time tomorrow = morning_ + absl::Hours(24);
  Add(queue, "12", "second", tomorrow);
  // The lease holds: the recipient is not claimable again meanwhile.
  EXPECT_TRUE(Claim(queue, morning_ + absl::Minutes(1)).empty());

  ASSERT_TRUE(queue.Complete(kTown, claimed[0]).ok());
  EXPECT_EQ(Due(queue, "12"), tomorrow);
  EXPECT_TRUE(Claim(queue, tomorrow - absl::Seconds(1)).empty());
  std::vector<ClaimedDigest> next = Claim(queue, tomorrow);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Titles(next[0]), std::vector<std::string>{"second"});
}

TEST_F(DigestQueueTest, AnExpiredLeaseIsClaimedAgainAndTheStaleClaimYields) {
  DigestQueue queue(pool());
  Add(queue, "12", "first", morning_);
  std::vector<ClaimedDigest> stale = Claim(queue, morning_);
  ASSERT_EQ(stale.size(), 1u);
  // The replica that claimed it stalls past its lease; another takes over.
  std::vector<ClaimedDigest> retry = Claim(queue, morning_ + absl::Minutes(5));
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_NE(retry[0].lease_token, stale[0].lease_token);
  EXPECT_EQ(Titles(retry[0]), std::vector<std::string>{"first"});
  Add(queue, "12", "second", morning_ + absl::Hours(24));

  // The stale replica finishes after all: what it sent is removed, but the
  // schedule stays with the newer claim.
  ASSERT_TRUE(queue.Complete(kTown, stale[0]).ok());
  EXPECT_EQ(Due(queue, "12"), morning_ + absl::Minutes(10));
  EXPECT_TRUE(Claim(queue, morning_ + absl::Minutes(6)).empty());
  ASSERT_TRUE(queue.Complete(kTown, retry[0]).ok());
  EXPECT_EQ(Due(queue, "12"), morning_ + absl::Hours(24));
}

TEST_F(DigestQueueTest, ConcurrentClaimersNeverGetTheSameRecipient) {
  DigestQueue queue(pool());
  constexpr int kRecipients = 60;
  for (int i = 0; i < kRecipients; ++i) {
    Add(queue, absl::StrCat(100 + i), "news", morning_);
  }
  std::mutex mutex;
  std::vector<std::string> all;
  int errors = 0;
  std::vector<std::thread> replicas;
  for (int r = 0; r < 4; ++r) {
    replicas.emplace_back([&] {
      DigestQueue replica(pool());
      while (true) {
        auto claimed = replica.Claim(kTown, morning_, 3, absl::Minutes(5));
        std::lock_guard<std::mutex> lock(mutex);
        if (!claimed.ok()) {
          ++errors;
          return;
        }
        if (claimed->empty()) return;
        for (const ClaimedDigest& digest : *claimed) {
          all.push_back(digest.actor_id);
        }
      }
    });
  }
  for (std::thread& replica : replicas) replica.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(all.size(), static_cast<size_t>(kRecipients));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(),
            static_cast<size_t>(kRecipients));
}

TEST_F(DigestQueueTest, TheCapDropsTheOldestAndCountsThem) {
  DigestQueue queue(pool(), /*max_items_per_recipient=*/5);
  for (int i = 1; i <= 8; ++i) Add(queue, "12", absl::StrCat("m", i), morning_);
  std::vector<ClaimedDigest> claimed = Claim(queue, morning_);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(Titles(claimed[0]),
            (std::vector<std::string>{"m4", "m5", "m6", "m7", "m8"}));
  EXPECT_EQ(claimed[0].older_dropped, 3);
  // Two more overflow while the digest is sent; they are counted next time.
  Add(queue, "12", "m9", morning_ + absl::Hours(24));
  Add(queue, "12", "m10", morning_ + absl::Hours(24));
  ASSERT_TRUE(queue.Complete(kTown, claimed[0]).ok());

  std::vector<ClaimedDigest> next = Claim(queue, morning_ + absl::Hours(24));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Titles(next[0]), (std::vector<std::string>{"m9", "m10"}));
  EXPECT_EQ(next[0].older_dropped, 2);
  ASSERT_TRUE(queue.Complete(kTown, next[0]).ok());
  Add(queue, "12", "m11", morning_ + absl::Hours(48));
  std::vector<ClaimedDigest> third = Claim(queue, morning_ + absl::Hours(48));
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].older_dropped, 0);
}

TEST_F(DigestQueueTest, ErasingANewcomerRemovesWhatWaitsAboutThem) {
  DigestQueue queue(pool());
  Add(queue, "12", "Yonas placed in Kærby", morning_, "n-77");
  Add(queue, "12", "Language café", morning_);
  Add(queue, "13", "Yonas placed in Kærby", morning_, "n-77");
  Add(queue, "13", "Meet Yonas", morning_, "n-77");
  Add(queue, "14", "Sara placed in Nibe", morning_, "n-78");

  auto removed = queue.RemoveAbout(kTown, "n-77");
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 3);
  // 13 had nothing else waiting: no digest at all.
  EXPECT_EQ(Due(queue, "13"), std::nullopt);

  std::vector<ClaimedDigest> claimed = Claim(queue, morning_);
  ASSERT_EQ(claimed.size(), 2u);
  std::sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) {
    return a.actor_id < b.actor_id;
  });
  EXPECT_EQ(Titles(claimed[0]), std::vector<std::string>{"Language café"});
  EXPECT_EQ(Titles(claimed[1]),
            std::vector<std::string>{"Sara placed in Nibe"});
  // Erasing again finds nothing; the other newcomer's index is intact.
  EXPECT_EQ(*queue.RemoveAbout(kTown, "n-77"), 0);
  auto index =
      pool().Run({"SMEMBERS", "notifications:{aalborg}:digest_about:n-78"});
  ASSERT_TRUE(index.ok());
  ASSERT_EQ(index->elements.size(), 1u);
  EXPECT_EQ(index->elements[0].str, "14");
}

TEST_F(DigestQueueTest, ErasureDuringAClaimDoesNotLoseOtherItems) {
  DigestQueue queue(pool());
  Add(queue, "12", "about Yonas", morning_, "n-77");
  Add(queue, "12", "café", morning_);
  std::vector<ClaimedDigest> claimed = Claim(queue, morning_);
  ASSERT_EQ(claimed.size(), 1u);
  // While it is sent, Yonas is erased and a new message arrives.
  ASSERT_TRUE(queue.RemoveAbout(kTown, "n-77").ok());
  Add(queue, "12", "football", morning_ + absl::Hours(24));
  ASSERT_TRUE(queue.Complete(kTown, claimed[0]).ok());
  // Exactly the sent items went; the new one is still waiting.
  std::vector<ClaimedDigest> next = Claim(queue, morning_ + absl::Hours(24));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Titles(next[0]), std::vector<std::string>{"football"});
}

TEST_F(DigestQueueTest, SentItemsLeaveTheErasureIndex) {
  DigestQueue queue(pool());
  Add(queue, "12", "about Yonas", morning_, "n-77");
  std::vector<ClaimedDigest> claimed = Claim(queue, morning_);
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(queue.Complete(kTown, claimed[0]).ok());
  auto index =
      pool().Run({"EXISTS", "notifications:{aalborg}:digest_about:n-77"});
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->integer, 0);
}

TEST_F(DigestQueueTest, ARemovedRecipientHasNothingWaiting) {
  DigestQueue queue(pool());
  Add(queue, "12", "about Yonas", morning_, "n-77");
  Add(queue, "12", "café", morning_);
  Add(queue, "13", "café", morning_);
  ASSERT_TRUE(queue.RemoveRecipient(kTown, "12").ok());
  EXPECT_EQ(Due(queue, "12"), std::nullopt);
  std::vector<ClaimedDigest> claimed = Claim(queue, morning_);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].actor_id, "13");
  EXPECT_EQ(*queue.RemoveAbout(kTown, "n-77"), 0);
}

TEST_F(DigestQueueTest, MunicipalitiesAreSeparate) {
  DigestQueue queue(pool());
  Add(queue, "12", "Aalborg news", morning_);
  ASSERT_TRUE(queue.Add("kolding", "12", Item("Kolding news"), morning_).ok());
  auto kolding = queue.Claim("kolding", morning_, 10, absl::Minutes(5));
  ASSERT_TRUE(kolding.ok());
  ASSERT_EQ(kolding->size(), 1u);
  EXPECT_EQ(Titles((*kolding)[0]), std::vector<std::string>{"Kolding news"});
  std::vector<ClaimedDigest> aalborg = Claim(queue, morning_);
  ASSERT_EQ(aalborg.size(), 1u);
  EXPECT_EQ(Titles(aalborg[0]), std::vector<std::string>{"Aalborg news"});
}

TEST_F(DigestQueueTest, BadArgumentsAreRefused) {
  DigestQueue queue(pool());
  EXPECT_EQ(queue.Add(kTown, "12", Item("x"), morning_, "n|1").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(queue.Add(kTown, "", Item("x"), morning_).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(queue
                .Add(kTown, "12",
                     Item(std::string(kMaxDigestItemBytes + 1, 'x')), morning_)
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(queue.Claim(kTown, morning_, 0, absl::Minutes(5)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      queue.Claim(kTown, morning_, 10, absl::ZeroDuration()).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(queue.RemoveAbout(kTown, "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace brobygger::notifications
