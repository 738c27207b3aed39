#include "services/notifications/inbox_store.h"

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/notifications/inbox_entry_id.h"
#include "tests/notifications/inbox_fixture.h"

namespace brobygger::notifications {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kM[] = "aalborg";

std::vector<std::string> Titles(const v1::ListNotificationsResponse& page) {
  std::vector<std::string> titles;
  for (const auto& n : page.notifications()) titles.push_back(n.title());
  return titles;
}

std::vector<std::string> Ids(const std::vector<v1::Notification>& list) {
  std::vector<std::string> ids;
  for (const auto& n : list) {
    ids.push_back(n.name().substr(n.name().rfind('/') + 1));
  }
  return ids;
}

class InboxStoreTest : public InboxTest {
 protected:
  v1::ListNotificationsResponse ListAll(const std::string& inbox,
                                        bool unread_only = false) {
    auto page = inbox_->List(kM, inbox, 500, "", unread_only);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? *page : v1::ListNotificationsResponse();
  }

  // The unread count recomputed from the raw keys, as the definition says:
  // after the read-up-to mark and not in the read hash.
  int64_t UnreadByDefinition(const std::string& inbox) {
    const NotificationsKeys& keys = ctx_->keys;
    auto entries = pool().Run({"XRANGE", keys.Inbox(kM, inbox), "-", "+"});
    auto upto = pool().Run({"GET", keys.InboxReadUpTo(kM, inbox)});
    auto read = pool().Run({"HKEYS", keys.InboxRead(kM, inbox)});
    EXPECT_TRUE(entries.ok() && upto.ok() && read.ok());
    std::set<std::string> read_ids;
    for (const auto& r : read->elements) read_ids.insert(r.str);
    int64_t unread = 0;
    for (const auto& e : entries->elements) {
      const std::string& id = e.elements[0].str;
      if (!upto->is_nil() && !EntryIdLess(upto->str, id)) continue;
      if (!read_ids.count(id)) ++unread;
    }
    return unread;
  }
};

TEST_F(InboxStoreTest, ListsDeliveredMessagesNewestFirstWithNames) {
  const std::string first = DeliverOne(kM, "12", "First");
  const std::string second = DeliverOne(kM, "12", "Second");
  const std::string third = DeliverOne(kM, "12", "Third");
  DeliverOne(kM, "13", "For someone else");

  const v1::ListNotificationsResponse page = ListAll("12");
  EXPECT_THAT(Titles(page), ElementsAre("Third", "Second", "First"));
  EXPECT_EQ(page.unread_count(), 3);
  EXPECT_TRUE(page.next_page_token().empty());
  EXPECT_EQ(
      page.notifications(0).name(),
      absl::StrCat("municipalities/aalborg/inboxes/12/notifications/", third));
  EXPECT_EQ(EntryIdOf(page.notifications(2)), first);
  EXPECT_EQ(page.notifications(1).body(), "Body of the message");
  EXPECT_EQ(page.notifications(1).topic(), v1::TOPIC_ACTIVITIES);
  EXPECT_FALSE(page.notifications(1).has_read_time());
  EXPECT_TRUE(EntryIdLess(first, second) && EntryIdLess(second, third));
}

TEST_F(InboxStoreTest, NameAndReadTimeGivenByTheSenderAreIgnored) {
  InboxDelivery d = Delivery("12", "Hello", "ev-1");
  d.notification.set_name("municipalities/vejle/inboxes/1/notifications/1-1");
  *d.notification.mutable_read_time() = TimeUtil::SecondsToTimestamp(5);
  ASSERT_TRUE(inbox_->Deliver(kM, {d}).ok());
  const v1::ListNotificationsResponse page = ListAll("12");
  ASSERT_EQ(page.notifications_size(), 1);
  EXPECT_THAT(page.notifications(0).name(),
              HasSubstr("municipalities/aalborg/inboxes/12/notifications/"));
  EXPECT_FALSE(page.notifications(0).has_read_time());
  EXPECT_EQ(page.unread_count(), 1);
}

TEST_F(InboxStoreTest, SameDedupeKeyDeliversOnce) {
  auto first = inbox_->Deliver(kM, {Delivery("12", "Hello", "ev-1/sub-3")});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_FALSE(first->front().empty());

  // Redelivered event, and a duplicate within one call.
  auto again = inbox_->Deliver(kM, {Delivery("12", "Hello", "ev-1/sub-3"),
                                    Delivery("13", "Hello", "ev-1/sub-3"),
                                    Delivery("13", "Hello", "ev-1/sub-3")});
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->size(), 3u);
  EXPECT_EQ((*again)[0], "");
  EXPECT_FALSE((*again)[1].empty());  // another inbox: its own delivery
  EXPECT_EQ((*again)[2], "");

  EXPECT_EQ(ListAll("12").notifications_size(), 1);
  EXPECT_EQ(ListAll("12").unread_count(), 1);
  EXPECT_EQ(ListAll("13").notifications_size(), 1);
}

TEST_F(InboxStoreTest, FanOutToAThousandInboxesInChunksIsIdempotent) {
  std::vector<InboxDelivery> deliveries;
  for (int i = 1; i <= 1000; ++i) {
    deliveries.push_back(
        Delivery(absl::StrCat(i), "Language café", "ev-9/broadcast"));
  }
  // A fan-out that crashed after its first 300 deliveries...
  std::vector<InboxDelivery> first_part(deliveries.begin(),
                                        deliveries.begin() + 300);
  ASSERT_TRUE(inbox_->Deliver(kM, first_part).ok());
  // ... runs again in full.
  auto ids = inbox_->Deliver(kM, deliveries);
  ASSERT_TRUE(ids.ok()) << ids.status();
  ASSERT_EQ(ids->size(), 1000u);
  EXPECT_EQ(std::count(ids->begin(), ids->end(), ""), 300);
  EXPECT_EQ(std::count(ids->begin() + 300, ids->end(), ""), 0);
  for (int i : {1, 300, 301, 1000}) {
    EXPECT_EQ(ListAll(absl::StrCat(i)).notifications_size(), 1) << i;
    EXPECT_EQ(ListAll(absl::StrCat(i)).unread_count(), 1) << i;
  }
  auto none = inbox_->Deliver(kM, deliveries);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(std::count(none->begin(), none->end(), ""), 1000);
}

TEST_F(InboxStoreTest, DeliveryMarkerExpiresAfterSevenDays) {
  ASSERT_TRUE(inbox_->Deliver(kM, {Delivery("12", "Hello", "ev-1")}).ok());
  auto ttl = pool().Run({"PTTL", ctx_->keys.Delivered(kM, "ev-1", "12")});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, absl::ToInt64Milliseconds(absl::Hours(7 * 24 - 1)));
  EXPECT_LE(ttl->integer, absl::ToInt64Milliseconds(absl::Hours(7 * 24)));
}

TEST_F(InboxStoreTest, RejectsBadDeliveriesAndWritesNothing) {
  InboxDelivery long_title = Delivery("12", std::string(201, 'a'), "ev-2");
  InboxDelivery long_body = Delivery("12", "Fine", "ev-3");
  long_body.notification.set_body(std::string(5001, 'b'));
  auto status = inbox_->Deliver(
      kM, {Delivery("12", "Valid", "ev-1"), long_title, long_body,
           Delivery("abc", "Title", "ev-4"), Delivery("12", "", "ev-5"),
           Delivery("12", "Title", "has space"),
           Delivery("12", "Title", "ev-6", "not-a-newcomer")});
  ASSERT_EQ(status.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      FieldsOf(status.status()),
      ElementsAre("deliveries[1].notification.title",
                  "deliveries[2].notification.body", "deliveries[3].inbox",
                  "deliveries[4].notification.title",
                  "deliveries[5].dedupe_key", "deliveries[6].about"));
  EXPECT_EQ(ListAll("12").notifications_size(), 0);
  auto bad_municipality =
      inbox_->Deliver("aal}borg", {Delivery("12", "Hello", "ev-1")});
  EXPECT_THAT(FieldsOf(bad_municipality.status()), ElementsAre("municipality"));

  // Limits count characters, not bytes.
  std::string danish_title;
  for (int i = 0; i < 200; ++i) danish_title += "ø";
  InboxDelivery at_limit = Delivery("12", danish_title, "ev-7");
  at_limit.notification.set_body(std::string(5000, 'b'));
  EXPECT_TRUE(inbox_->Deliver(kM, {at_limit}).ok());
}

TEST_F(InboxStoreTest, PagesThroughTheInboxWithTokens) {
  const std::vector<std::string> ids = DeliverMany(kM, "12", 7);
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    auto page = inbox_->List(kM, "12", 3, token, false);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& n : page->notifications()) seen.push_back(EntryIdOf(n));
    EXPECT_EQ(page->unread_count(), 7);
    token = page->next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  std::vector<std::string> newest_first(ids.rbegin(), ids.rend());
  EXPECT_EQ(seen, newest_first);
}

TEST_F(InboxStoreTest, RejectsForeignAndForgedPageTokens) {
  DeliverMany(kM, "12", 3);
  DeliverMany(kM, "13", 3);
  auto page = inbox_->List(kM, "12", 1, "", false);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->next_page_token().empty());
  const std::string token = page->next_page_token();

  for (auto result : {inbox_->List(kM, "13", 1, token, false),  // another inbox
                      inbox_->List(kM, "12", 1, token, true),   // another query
                      inbox_->List(kM, "12", 1, "garbage", false)}) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(FieldsOf(result.status()), ElementsAre("page_token"));
  }
}

TEST_F(InboxStoreTest, PageSizeDefaultsToFiftyAndIsAtMostFiveHundred) {
  DeliverMany(kM, "12", 60);
  auto page = inbox_->List(kM, "12", 0, "", false);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->notifications_size(), 50);
  EXPECT_FALSE(page->next_page_token().empty());
  for (int size : {-1, 501}) {
    auto bad = inbox_->List(kM, "12", size, "", false);
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(FieldsOf(bad.status()), ElementsAre("page_size"));
  }
  EXPECT_TRUE(inbox_->List(kM, "12", 500, "", false).ok());
}

TEST_F(InboxStoreTest, MarksMessagesReadByName) {
  const std::vector<std::string> ids = DeliverMany(kM, "12", 5);
  const absl::Time read_at = absl::FromUnixSeconds(1732460000);
  SetNow(read_at);
  auto marked = inbox_->MarkRead(kM, "12", {ids[1], ids[3]}, "");
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->marked_count(), 2);
  EXPECT_EQ(marked->unread_count(), 3);

  // Idempotent; messages that do not exist are skipped.
  auto again = inbox_->MarkRead(kM, "12", {ids[1], ids[3], "1-0"}, "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->marked_count(), 0);
  EXPECT_EQ(again->unread_count(), 3);

  const v1::ListNotificationsResponse all = ListAll("12");
  EXPECT_EQ(all.unread_count(), 3);
  for (const auto& n : all.notifications()) {
    const bool read = EntryIdOf(n) == ids[1] || EntryIdOf(n) == ids[3];
    EXPECT_EQ(n.has_read_time(), read) << n.title();
    if (read) {
      EXPECT_EQ(n.read_time().seconds(), absl::ToUnixSeconds(read_at));
    }
  }
  const v1::ListNotificationsResponse unread = ListAll("12", true);
  EXPECT_THAT(
      Ids({unread.notifications().begin(), unread.notifications().end()}),
      ElementsAre(ids[4], ids[2], ids[0]));
  EXPECT_EQ(unread.unread_count(), 3);
}

TEST_F(InboxStoreTest, MarksEverythingUpToAMessageAndCompacts) {
  const std::vector<std::string> ids = DeliverMany(kM, "12", 6);
  const absl::Time t1 = absl::FromUnixSeconds(1732460000);
  const absl::Time t2 = t1 + absl::Hours(1);
  const absl::Time t3 = t2 + absl::Hours(1);
  SetNow(t1);
  ASSERT_TRUE(inbox_->MarkRead(kM, "12", {ids[3]}, "").ok());
  SetNow(t2);
  auto up_to_2 = inbox_->MarkRead(kM, "12", {}, ids[2]);
  ASSERT_TRUE(up_to_2.ok()) << up_to_2.status();
  EXPECT_EQ(up_to_2->marked_count(), 3);
  EXPECT_EQ(up_to_2->unread_count(), 2);  // ids[4], ids[5]

  SetNow(t3);
  // Names are ignored when all_up_to is set.
  auto up_to_4 = inbox_->MarkRead(kM, "12", {ids[5]}, ids[4]);
  ASSERT_TRUE(up_to_4.ok());
  EXPECT_EQ(up_to_4->marked_count(), 1);  // ids[3] was read already
  EXPECT_EQ(up_to_4->unread_count(), 1);

  // Compaction: the read hash holds nothing at or before the mark.
  auto read_hash = pool().Run({"HLEN", ctx_->keys.InboxRead(kM, "12")});
  ASSERT_TRUE(read_hash.ok());
  EXPECT_EQ(read_hash->integer, 0);

  // An older mark is idempotent.
  auto older = inbox_->MarkRead(kM, "12", {}, ids[1]);
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(older->marked_count(), 0);
  EXPECT_EQ(older->unread_count(), 1);

  // Read times: the mark that first covered each message.
  const v1::ListNotificationsResponse all = ListAll("12");
  ASSERT_EQ(all.notifications_size(), 6);
  std::vector<int64_t> read_seconds;
  for (const auto& n : all.notifications()) {
    read_seconds.push_back(n.has_read_time() ? n.read_time().seconds() : 0);
  }
  const int64_t s2 = absl::ToUnixSeconds(t2);
  const int64_t s3 = absl::ToUnixSeconds(t3);
  // Newest first: ids[5] unread; ids[4] and ids[3] (read one by one, then
  // compacted) at the second mark; ids[2..0] at the first.
  EXPECT_THAT(read_seconds, ElementsAre(0, s3, s3, s2, s2, s2));
  EXPECT_EQ(UnreadByDefinition("12"), 1);
}

TEST_F(InboxStoreTest, RejectsBadMarkRequests) {
  const std::vector<std::string> ids = DeliverMany(kM, "12", 2);
  std::vector<std::string> too_many(501, ids[0]);
  auto status = inbox_->MarkRead(kM, "12", too_many, "");
  EXPECT_EQ(status.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(status.status()), ElementsAre("names"));

  status = inbox_->MarkRead(kM, "12", {ids[0], "x-1"}, "");
  EXPECT_THAT(FieldsOf(status.status()), ElementsAre("names[1]"));

  // A message after the newest the inbox ever had.
  status = inbox_->MarkRead(kM, "12", {}, "99999999999999-0");
  EXPECT_EQ(status.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(status.status()), ElementsAre("all_up_to"));
  status = inbox_->MarkRead(kM, "14", {}, ids[0]);  // an empty inbox
  EXPECT_THAT(FieldsOf(status.status()), ElementsAre("all_up_to"));
  EXPECT_EQ(ListAll("12").unread_count(), 2);
}

TEST_F(InboxStoreTest, KeepsTheNewestThousandAndAccountsForTrimmedOnes) {
  const std::vector<std::string> ids = DeliverMany(kM, "12", 1005);
  ASSERT_EQ(ids.size(), 1005u);
  auto length = pool().Run({"XLEN", ctx_->keys.Inbox(kM, "12")});
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(length->integer, 1000);

  v1::ListNotificationsResponse all = ListAll("12");
  EXPECT_EQ(all.unread_count(), 1000);
  EXPECT_EQ(EntryIdOf(all.notifications(0)), ids[1004]);

  // A message read one by one and then trimmed leaves no trace.
  ASSERT_TRUE(inbox_->MarkRead(kM, "12", {ids[5], ids[6]}, "").ok());
  DeliverMany(kM, "12", 2);
  auto read_hash = pool().Run({"HLEN", ctx_->keys.InboxRead(kM, "12")});
  EXPECT_EQ(read_hash->integer, 0);
  EXPECT_EQ(ListAll("12").unread_count(), 1000);
  EXPECT_EQ(UnreadByDefinition("12"), 1000);
}

TEST_F(InboxStoreTest,
       ReadAfterReportsAGapWhenEntriesAfterTheCursorWereTrimmed) {
  const std::vector<std::string> ids = DeliverMany(kM, "12", 1005);
  // ids[0..4] were trimmed.
  auto after_first = inbox_->ReadAfter(kM, "12", ids[0], 3);
  ASSERT_TRUE(after_first.ok()) << after_first.status();
  EXPECT_TRUE(after_first->gap);
  EXPECT_THAT(Ids(after_first->notifications),
              ElementsAre(ids[5], ids[6], ids[7]));
  EXPECT_EQ(after_first->cursor, ids[7]);

  // The newest trimmed entry as cursor: nothing after it is missing.
  auto after_last_trimmed = inbox_->ReadAfter(kM, "12", ids[4], 1);
  ASSERT_TRUE(after_last_trimmed.ok());
  EXPECT_FALSE(after_last_trimmed->gap);
  EXPECT_THAT(Ids(after_last_trimmed->notifications), ElementsAre(ids[5]));

  auto retained = inbox_->ReadAfter(kM, "12", ids[500], 2);
  ASSERT_TRUE(retained.ok());
  EXPECT_FALSE(retained->gap);
  EXPECT_THAT(Ids(retained->notifications), ElementsAre(ids[501], ids[502]));
}

TEST_F(InboxStoreTest, ReadAfterFromNowThenInOrder) {
  auto empty = inbox_->ReadAfter(kM, "12", "", 10);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->cursor, "0-0");
  EXPECT_TRUE(empty->notifications.empty());

  const std::vector<std::string> before = DeliverMany(kM, "12", 2);
  auto now = inbox_->ReadAfter(kM, "12", "", 10);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->cursor, before[1]);
  EXPECT_TRUE(now->notifications.empty());

  const std::vector<std::string> ids = DeliverMany(kM, "12", 3);
  auto next = inbox_->ReadAfter(kM, "12", now->cursor, 2);
  ASSERT_TRUE(next.ok());
  EXPECT_THAT(Ids(next->notifications), ElementsAre(ids[0], ids[1]));
  EXPECT_FALSE(next->gap);
  auto rest = inbox_->ReadAfter(kM, "12", next->cursor, 10);
  ASSERT_TRUE(rest.ok());
  EXPECT_THAT(Ids(rest->notifications), ElementsAre(ids[2]));
  auto nothing = inbox_->ReadAfter(kM, "12", rest->cursor, 10);
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->notifications.empty());
  EXPECT_EQ(nothing->cursor, ids[2]);

  // Read state travels along.
  ASSERT_TRUE(inbox_->MarkRead(kM, "12", {}, ids[0]).ok());
  auto again = inbox_->ReadAfter(kM, "12", now->cursor, 10);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->notifications.size(), 3u);
  EXPECT_TRUE(again->notifications[0].has_read_time());
  EXPECT_FALSE(again->notifications[1].has_read_time());
}

TEST_F(InboxStoreTest, RejectsMalformedAndFutureCursors) {
  const std::vector<std::string> ids = DeliverMany(kM, "12", 1);
  for (const char* bad :
       {"abc", "12", "1-2-3", "-1", "99999999999999999999-0"}) {
    auto result = inbox_->ReadAfter(kM, "12", bad, 1);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_THAT(FieldsOf(result.status()), ElementsAre("cursor")) << bad;
  }
  auto future = inbox_->ResolveCursor(kM, "12", "99999999999999-0");
  EXPECT_THAT(FieldsOf(future.status()), ElementsAre("cursor"));
  // Leading zeros are the same id.
  auto padded = inbox_->ResolveCursor(kM, "12", "0" + ids[0]);
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(*padded, ids[0]);
}

TEST_F(InboxStoreTest, ErasureRemovesOnlyTheEntriesAboutTheNewcomer) {
  const std::string last_before = DeliverOne(kM, "12", "Welcome Amira", "7");
  const std::string keep_other = DeliverOne(kM, "12", "Welcome Yonas", "8");
  const std::string keep_plain = DeliverOne(kM, "12", "Language café");
  const std::string read_about = DeliverOne(kM, "12", "Amira's housing", "7");
  DeliverOne(kM, "13", "Amira moved", "7");
  ASSERT_TRUE(inbox_->MarkRead(kM, "12", {read_about}, "").ok());
  auto cursor_before = inbox_->ResolveCursor(kM, "12", "");
  ASSERT_TRUE(cursor_before.ok());

  ASSERT_TRUE(inbox_->EraseAbout(kM, "7").ok());

  v1::ListNotificationsResponse twelve = ListAll("12");
  EXPECT_THAT(Titles(twelve), ElementsAre("Language café", "Welcome Yonas"));
  EXPECT_EQ(twelve.unread_count(), 2);
  EXPECT_EQ(UnreadByDefinition("12"), 2);
  EXPECT_EQ(ListAll("13").notifications_size(), 0);
  EXPECT_EQ(ListAll("13").unread_count(), 0);
  auto about = pool().Run({"EXISTS", ctx_->keys.InboxEntriesAbout(kM, "7")});
  EXPECT_EQ(about->integer, 0);
  auto read_hash = pool().Run({"HLEN", ctx_->keys.InboxRead(kM, "12")});
  EXPECT_EQ(read_hash->integer, 0);

  // No copy of the erased messages is left in Redis (XDEL alone would
  // leave the bytes in the stream's nodes and in snapshots).
  for (const char* inbox : {"12", "13"}) {
    auto dump = pool().Run({"DUMP", ctx_->keys.Inbox(kM, inbox)});
    ASSERT_TRUE(dump.ok());
    EXPECT_EQ(dump->str.find("Amira"), std::string::npos) << inbox;
  }

  // Ids keep growing where they were, and watchers learn of the removal.
  auto cursor_after = inbox_->ResolveCursor(kM, "12", "");
  ASSERT_TRUE(cursor_after.ok());
  EXPECT_EQ(*cursor_after, *cursor_before);
  const std::string next = DeliverOne(kM, "12", "Later");
  EXPECT_TRUE(EntryIdLess(*cursor_before, next));
  auto watch = inbox_->ReadAfter(kM, "12", keep_plain, 10);
  ASSERT_TRUE(watch.ok());
  EXPECT_TRUE(watch->gap);  // read_about was erased after the cursor
  EXPECT_THAT(Ids(watch->notifications), ElementsAre(next));
  auto past_it = inbox_->ReadAfter(kM, "12", read_about, 10);
  ASSERT_TRUE(past_it.ok());
  EXPECT_FALSE(past_it->gap);
  (void)last_before;
  (void)keep_other;

  // An inbox whose every entry was erased still knows its last id.
  auto thirteen = inbox_->ResolveCursor(kM, "13", "");
  ASSERT_TRUE(thirteen.ok());
  EXPECT_NE(*thirteen, "0-0");
  EXPECT_TRUE(inbox_->EraseAbout(kM, "7").ok());  // idempotent
}

TEST_F(InboxStoreTest, UnreadCountMatchesItsDefinitionThroughRandomChanges) {
  std::mt19937 random(7);
  std::vector<std::string> ids = DeliverMany(kM, "12", 990);
  for (int step = 0; step < 150; ++step) {
    switch (random() % 4) {
      case 0: {
        const int count = 1 + random() % 8;
        for (int i = 0; i < count; ++i) {
          ids.push_back(
              DeliverOne(kM, "12", "Step", random() % 3 == 0 ? "7" : ""));
        }
        break;
      }
      case 1: {
        std::vector<std::string> names;
        for (int i = 0; i < 5; ++i) names.push_back(ids[random() % ids.size()]);
        ASSERT_TRUE(inbox_->MarkRead(kM, "12", names, "").ok());
        break;
      }
      case 2:
        ASSERT_TRUE(
            inbox_->MarkRead(kM, "12", {}, ids[random() % ids.size()]).ok());
        break;
      case 3:
        if (random() % 5 == 0) {
          ASSERT_TRUE(inbox_->EraseAbout(kM, "7").ok());
        }
        break;
    }
    ASSERT_EQ(ListAll("12").unread_count(), UnreadByDefinition("12"))
        << "step " << step;
  }
  int64_t listed_unread = 0;
  std::string token;
  do {
    auto page = inbox_->List(kM, "12", 500, token, true);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& n : page->notifications()) {
      EXPECT_FALSE(n.has_read_time());
      ++listed_unread;
    }
    token = page->next_page_token();
  } while (!token.empty());
  EXPECT_EQ(listed_unread, UnreadByDefinition("12"));
}

}  // namespace
}  // namespace brobygger::notifications
