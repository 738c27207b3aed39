// The outbound queue against a real redis-server: idempotent enqueueing
// (also after a delivery ended), exclusive leases across threads and
// their expiry, retries, dead letters in the format operators read,
// replays, erasure of a newcomer's deliveries, and what a webhook body
// holds.
#include "services/notifications/outbound_queue.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "brobygger/notifications/v1/dead_letter.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/notifications/dead_letters.h"
#include "tests/notifications/outbound_fixture.h"

namespace brobygger::notifications {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class OutboundQueueTest : public OutboundFixture {};

TEST_F(OutboundQueueTest, TheSameEventMakesOneDeliveryEvenAfterItWasSent) {
  const events::v1::Event event = ActorEvent("12");
  ASSERT_TRUE(queue().EnqueueWebhook(kMunicipality, "1", event, "").ok());
  ASSERT_TRUE(queue().EnqueueWebhook(kMunicipality, "1", event, "").ok());
  std::vector<QueuedDelivery> claimed = ClaimAll();
  ASSERT_THAT(claimed, SizeIs(1));
  EXPECT_EQ(claimed[0].id, OutboundQueue::WebhookDeliveryId(event.id(), "1"));
  ASSERT_TRUE(queue().Complete(kMunicipality, claimed[0].id).ok());

  // Routed again (a redelivered stream entry): nothing new to send.
  ASSERT_TRUE(queue().EnqueueWebhook(kMunicipality, "1", event, "").ok());
  EXPECT_THAT(ClaimAll(), IsEmpty());
  EXPECT_EQ(WaitingCount(), 0);
  // What is remembered is a marker that expires, not the body.
  auto ttl = pool().Run({"PTTL", keys_.Delivery(kMunicipality, claimed[0].id)});
  EXPECT_GT(ttl->integer, 0);
  auto fields =
      pool().Run({"HGETALL", keys_.Delivery(kMunicipality, claimed[0].id)});
  EXPECT_THAT(fields->elements, SizeIs(2));

  // Another endpoint, or another event, is another delivery.
  ASSERT_TRUE(queue().EnqueueWebhook(kMunicipality, "2", event, "").ok());
  ASSERT_TRUE(
      queue().EnqueueWebhook(kMunicipality, "1", ActorEvent("12"), "").ok());
  EXPECT_THAT(ClaimAll(), SizeIs(2));
}

TEST_F(OutboundQueueTest, TheBodyIsTheEventAsJsonWithItsTypedPayload) {
  const events::v1::Event event = ActorEvent("12", "Vester Hassing Idræt");
  ASSERT_TRUE(queue().EnqueueWebhook(kMunicipality, "1", event, "").ok());
  std::vector<QueuedDelivery> claimed = ClaimAll();
  ASSERT_THAT(claimed, SizeIs(1));
  const std::string& body = claimed[0].body;
  EXPECT_THAT(body, HasSubstr("\"@type\":\"type.googleapis.com/"
                              "brobygger.registry.v1.ActorCreated\""));
  EXPECT_THAT(body, HasSubstr("\"displayName\":\"Vester Hassing Idræt\""));
  EXPECT_THAT(body, HasSubstr("\"municipality\":\"aalborg\""));

  // A receiver reading it with the published protos gets the event back.
  events::v1::Event parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(body, &parsed).ok());
  EXPECT_EQ(parsed.id(), event.id());
  registry::v1::ActorCreated payload;
  ASSERT_TRUE(parsed.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.actor().display_name(), "Vester Hassing Idræt");
  EXPECT_EQ(claimed[0].event_type, "brobygger.registry.v1.ActorCreated");
  EXPECT_EQ(claimed[0].resource, Actor("12"));
}

TEST_F(OutboundQueueTest, RefusesAnEventTooLargeToPost) {
  const events::v1::Event event =
      ActorEvent("12", std::string(kMaxWebhookBodyBytes, 'x'));
  const absl::Status status =
      queue().EnqueueWebhook(kMunicipality, "1", event, "");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(status), ElementsAre("event"));
  EXPECT_EQ(WaitingCount(), 0);
}

TEST_F(OutboundQueueTest, RefusesWhatCouldNeverBeSent) {
  const events::v1::Event event = ActorEvent("12");
  EXPECT_THAT(FieldsOf(queue().EnqueueWebhook("Aal:borg", "1", event, "")),
              ElementsAre("municipality"));
  EXPECT_THAT(FieldsOf(queue().EnqueueWebhook(kMunicipality, "x", event, "")),
              ElementsAre("webhook_id"));
  EXPECT_THAT(
      FieldsOf(queue().EnqueueWebhook(kMunicipality, "1", event, "amina")),
      ElementsAre("about_newcomer"));
  events::v1::Event no_id = event;
  no_id.clear_id();
  EXPECT_THAT(FieldsOf(queue().EnqueueWebhook(kMunicipality, "1", no_id, "")),
              ElementsAre("event.id"));

  OutboundEmail bad_address = Email("11", "event-1");
  bad_address.message.to_address = "not an address";
  EXPECT_THAT(FieldsOf(queue().EnqueueEmail(kMunicipality, bad_address)),
              ElementsAre("to_address"));
  OutboundEmail injected = Email("11", "event-1");
  injected.message.subject = "Hej\r\nBcc: everyone@example.org";
  EXPECT_THAT(FieldsOf(queue().EnqueueEmail(kMunicipality, injected)),
              ElementsAre("subject"));
  EXPECT_THAT(FieldsOf(queue().EnqueueEmail(kMunicipality, Email("11", ""))),
              ElementsAre("dedupe_key"));
  EXPECT_EQ(WaitingCount(), 0);
}

TEST_F(OutboundQueueTest, AnEmailIsQueuedOncePerKeyAndActorAndWaitsUntilDue) {
  OutboundEmail email = Email("11", "broadcast-3/1");
  email.due = Now() + absl::Hours(8);  // after quiet hours
  ASSERT_TRUE(queue().EnqueueEmail(kMunicipality, email).ok());
  ASSERT_TRUE(queue().EnqueueEmail(kMunicipality, email).ok());
  ASSERT_TRUE(
      queue().EnqueueEmail(kMunicipality, Email("12", "broadcast-3/1")).ok());

  auto now = queue().Claim(kMunicipality, Now(), 10, absl::Minutes(1));
  ASSERT_TRUE(now.ok());
  ASSERT_THAT(*now, SizeIs(1));
  EXPECT_EQ(now->front().target, "12");
  ASSERT_TRUE(queue().Complete(kMunicipality, now->front().id).ok());

  auto later = queue().Claim(kMunicipality, Now() + absl::Hours(8), 10,
                             absl::Minutes(1));
  ASSERT_TRUE(later.ok());
  ASSERT_THAT(*later, SizeIs(1));
  const QueuedDelivery& delivery = later->front();
  EXPECT_EQ(delivery.id, OutboundQueue::EmailDeliveryId("broadcast-3/1", "11"));
  EXPECT_EQ(delivery.channel, DeliveryChannel::kEmail);
  EXPECT_EQ(delivery.email.to_address, "frivillig@example.org");
  EXPECT_EQ(delivery.email.to_name, "Søren Frivillig");
  EXPECT_EQ(delivery.email.subject, "Ny aktivitet i Vester Hassing");
  EXPECT_EQ(delivery.email.text_body, "Hej Søren,\nder er en ny aktivitet.\n");
}

TEST_F(OutboundQueueTest, ClaimsAreExclusiveAcrossThreads) {
  constexpr int kDeliveries = 200;
  for (int i = 0; i < kDeliveries; ++i) {
    ASSERT_TRUE(queue()
                    .EnqueueWebhook(kMunicipality, absl::StrCat(1 + i % 5),
                                    ActorEvent(absl::StrCat(100 + i)), "")
                    .ok());
  }
  absl::Mutex mutex;
  std::vector<std::string> claimed_ids;
  std::vector<std::thread> workers;
  for (int w = 0; w < 8; ++w) {
    workers.emplace_back([&] {
      // Bounded, so that claims that are not exclusive fail rather than
      // hand the same deliveries out forever.
      for (int round = 0; round < kDeliveries; ++round) {
        auto claimed = queue().Claim(kMunicipality, Now(), 7, absl::Minutes(1));
        ASSERT_TRUE(claimed.ok()) << claimed.status();
        if (claimed->empty()) return;
        absl::MutexLock lock(&mutex);
        for (const QueuedDelivery& d : *claimed) claimed_ids.push_back(d.id);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  EXPECT_THAT(claimed_ids, SizeIs(kDeliveries));
  EXPECT_THAT(std::set<std::string>(claimed_ids.begin(), claimed_ids.end()),
              SizeIs(kDeliveries));
}

TEST_F(OutboundQueueTest, AnExpiredLeaseMakesTheDeliveryClaimableAgain) {
  ASSERT_TRUE(
      queue().EnqueueWebhook(kMunicipality, "1", ActorEvent("12"), "").ok());
  auto first = queue().Claim(kMunicipality, Now(), 10, absl::Seconds(60));
  ASSERT_TRUE(first.ok());
  ASSERT_THAT(*first, SizeIs(1));
  EXPECT_EQ(first->front().lease_until, Now() + absl::Seconds(60));

  // The claimer died without a word.
  auto during = queue().Claim(kMunicipality, Now() + absl::Seconds(59), 10,
                              absl::Seconds(60));
  ASSERT_TRUE(during.ok());
  EXPECT_THAT(*during, IsEmpty());
  auto after = queue().Claim(kMunicipality, Now() + absl::Seconds(60), 10,
                             absl::Seconds(60));
  ASSERT_TRUE(after.ok());
  ASSERT_THAT(*after, SizeIs(1));
  EXPECT_EQ(after->front().id, first->front().id);
  EXPECT_EQ(after->front().attempts, 0);
}

TEST_F(OutboundQueueTest, RetryCountsTheAttemptAndPostponeDoesNot) {
  ASSERT_TRUE(
      queue().EnqueueWebhook(kMunicipality, "1", ActorEvent("12"), "").ok());
  const std::string id = ClaimAll().front().id;
  const absl::Time first_failure = Now();
  ASSERT_TRUE(queue()
                  .Retry(kMunicipality, id, Now() + absl::Seconds(10),
                         "HTTP 503: maintenance")
                  .ok());
  clock_.Advance(absl::Seconds(5));
  auto early = queue().Claim(kMunicipality, Now(), 10, absl::Minutes(1));
  EXPECT_THAT(*early, IsEmpty());

  clock_.Advance(absl::Seconds(5));
  auto due = queue().Claim(kMunicipality, Now(), 10, absl::Minutes(1));
  ASSERT_THAT(*due, SizeIs(1));
  EXPECT_EQ(due->front().attempts, 1);
  EXPECT_EQ(due->front().last_error, "HTTP 503: maintenance");
  EXPECT_EQ(due->front().first_attempt, first_failure);

  ASSERT_TRUE(queue().Retry(kMunicipality, id, Now(), "HTTP 500").ok());
  ASSERT_TRUE(
      queue().Postpone(kMunicipality, id, Now() + absl::Minutes(1)).ok());
  auto postponed = ClaimAll();
  ASSERT_THAT(postponed, SizeIs(1));
  EXPECT_EQ(postponed.front().attempts, 2);
  EXPECT_EQ(postponed.front().first_attempt, first_failure);
  EXPECT_EQ(postponed.front().last_error, "HTTP 500");
}

TEST_F(OutboundQueueTest, GiveUpWritesADeadLetterOperatorsCanReadAndReplay) {
  const events::v1::Event event = ActorEvent("30");
  ASSERT_TRUE(queue().EnqueueWebhook(kMunicipality, "1", event, "30").ok());
  const std::string id = ClaimAll().front().id;
  ASSERT_TRUE(queue().Retry(kMunicipality, id, Now(), "HTTP 500").ok());
  ASSERT_TRUE(queue()
                  .GiveUp(kMunicipality, id,
                          "the receiver no longer takes "
                          "deliveries: HTTP 410")
                  .ok());

  std::vector<events::StreamEntry> entries = DeadLetterEntries();
  ASSERT_THAT(entries, SizeIs(1));
  const v1::DeadLetter letter = DeadLetters::ToDeadLetter(entries[0]);
  EXPECT_EQ(letter.kind(), v1::DeadLetter::KIND_WEBHOOK_DELIVERY);
  EXPECT_EQ(letter.municipality(), kMunicipality);
  EXPECT_EQ(letter.target(), "municipalities/aalborg/webhooks/1");
  EXPECT_EQ(letter.event_id(), event.id());
  EXPECT_EQ(letter.event_type(), "brobygger.registry.v1.ActorCreated");
  EXPECT_EQ(letter.resource(), Actor("30"));
  EXPECT_EQ(letter.attempts(), 2);
  EXPECT_EQ(letter.error(),
            "the receiver no longer takes deliveries: HTTP 410");
  EXPECT_EQ(entries[0].Field("about"), "30");
  EXPECT_EQ(WaitingCount(), 0);
  // Giving up again (a second worker) adds nothing.
  ASSERT_TRUE(queue().GiveUp(kMunicipality, id, "again").ok());
  EXPECT_THAT(DeadLetterEntries(), SizeIs(1));

  // The replay is a fresh first attempt of the same delivery.
  ASSERT_TRUE(queue().Requeue(entries[0]).ok());
  ASSERT_TRUE(queue().Requeue(entries[0]).ok());
  std::vector<QueuedDelivery> replayed = ClaimAll();
  ASSERT_THAT(replayed, SizeIs(1));
  EXPECT_EQ(replayed[0].id, id);
  EXPECT_EQ(replayed[0].attempts, 0);
  EXPECT_FALSE(replayed[0].first_attempt.has_value());
  EXPECT_EQ(replayed[0].about_newcomer, "30");
  events::v1::Event parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(replayed[0].body, &parsed)
          .ok());
  EXPECT_EQ(parsed.id(), event.id());
}

TEST_F(OutboundQueueTest, AnEmailDeadLetterNamesTheRecipientActor) {
  ASSERT_TRUE(queue().EnqueueEmail(kMunicipality, Email("11", "ev-9")).ok());
  const std::string id = ClaimAll().front().id;
  ASSERT_TRUE(queue()
                  .GiveUp(kMunicipality, id, "550 unknown mailbox",
                          /*attempted=*/true)
                  .ok());
  std::vector<events::StreamEntry> entries = DeadLetterEntries();
  ASSERT_THAT(entries, SizeIs(1));
  const v1::DeadLetter letter = DeadLetters::ToDeadLetter(entries[0]);
  EXPECT_EQ(letter.kind(), v1::DeadLetter::KIND_EMAIL_DELIVERY);
  EXPECT_EQ(letter.target(), Actor("11"));
  EXPECT_EQ(letter.event_id(), "ev-9");
  EXPECT_EQ(letter.attempts(), 1);

  ASSERT_TRUE(queue().Requeue(entries[0]).ok());
  std::vector<QueuedDelivery> replayed = ClaimAll();
  ASSERT_THAT(replayed, SizeIs(1));
  EXPECT_EQ(replayed[0].email.subject, "Ny aktivitet i Vester Hassing");
  EXPECT_EQ(replayed[0].email.to_address, "frivillig@example.org");
}

TEST_F(OutboundQueueTest, AnEndedDeliveryIsNotDeadLettered) {
  ASSERT_TRUE(
      queue().EnqueueWebhook(kMunicipality, "1", ActorEvent("12"), "").ok());
  const std::string id = ClaimAll().front().id;
  ASSERT_TRUE(queue().Complete(kMunicipality, id).ok());
  ASSERT_TRUE(queue().GiveUp(kMunicipality, id, "late").ok());
  ASSERT_TRUE(queue().Retry(kMunicipality, id, Now(), "late").ok());
  EXPECT_THAT(DeadLetterEntries(), IsEmpty());
  EXPECT_EQ(WaitingCount(), 0);
}

TEST_F(OutboundQueueTest, RequeueRefusesAnEntryWithoutADelivery) {
  events::StreamEntry entry;
  entry.id = "1-0";
  entry.fields = {{"kind", "webhook"}, {"delivery", "not json"}};
  EXPECT_EQ(queue().Requeue(entry).code(), absl::StatusCode::kInvalidArgument);
  entry.fields = {{"kind", "webhook"},
                  {"delivery", R"({"id":"w1","m":"aalborg","kind":"fax"})"}};
  EXPECT_EQ(queue().Requeue(entry).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WaitingCount(), 0);
}

TEST_F(OutboundQueueTest, ErasureRemovesOnlyTheNewcomersDeliveries) {
  ASSERT_TRUE(
      queue().EnqueueWebhook(kMunicipality, "1", ActorEvent("30"), "30").ok());
  ASSERT_TRUE(
      queue().EnqueueEmail(kMunicipality, Email("11", "ev-1", "30")).ok());
  const events::v1::Event other = ActorEvent("31");
  ASSERT_TRUE(queue().EnqueueWebhook(kMunicipality, "1", other, "31").ok());
  ASSERT_TRUE(
      queue().EnqueueWebhook(kMunicipality, "1", ActorEvent("12"), "").ok());

  auto erased = queue().EraseAbout(kMunicipality, "30");
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(*erased, 2);

  std::vector<QueuedDelivery> left = ClaimAll();
  ASSERT_THAT(left, SizeIs(2));
  for (const QueuedDelivery& d : left) EXPECT_NE(d.about_newcomer, "30");
  // Nothing about the newcomer is left in Redis but an expiring marker.
  auto keys = pool().Run({"KEYS", "notifications:*"});
  for (const redis::Reply& key : keys->elements) {
    auto type = pool().Run({"TYPE", key.str});
    if (type->str != "hash") continue;
    auto about = pool().Run({"HGET", key.str, "about"});
    EXPECT_NE(about->str, "30") << key.str;
  }
  EXPECT_EQ(pool()
                .Run({"EXISTS", keys_.DeliveriesAbout(kMunicipality, "30")})
                ->integer,
            0);
  auto again = queue().EraseAbout(kMunicipality, "30");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

}  // namespace
}  // namespace brobygger::notifications
