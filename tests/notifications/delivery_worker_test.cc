// The delivery worker against a real redis-server, a loopback webhook
// receiver and a loopback SMTP sink, on a clock the test moves: signed
// deliveries, retries with one delivery id, the circuit breaker, dead
// letters and their replay, paused and deleted endpoints, e-mail, and a
// worker that dies holding a lease.
#include "services/notifications/delivery_worker.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "brobygger/notifications/v1/dead_letter.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "services/notifications/dead_letters.h"
#include "services/notifications/webhook_signature.h"
#include "tests/notifications/outbound_fixture.h"
#include "tests/support/http_receiver.h"
#include "tests/support/smtp_sink.h"

namespace brobygger::notifications {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

test::ScriptedResponse Answer(int status) {
  test::ScriptedResponse response;
  response.status = status;
  return response;
}

class DeliveryWorkerTest : public OutboundFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OutboundFixture::SetUp());
    AddOrganisation("10");
    AddVolunteer("11", "10");
    auto created =
        webhooks().Create(Caseworker(), kMunicipality,
                          Endpoint("10", receiver_.Url("/brobygger")), "");
    ASSERT_TRUE(created.ok()) << created.status();
    endpoint_ = *created;
    webhook_id_ = endpoint_.name().substr(endpoint_.name().rfind('/') + 1);
  }
  void TearDown() override {
    worker_.reset();
    OutboundFixture::TearDown();
  }

  DeliveryWorkerOptions Options() {
    DeliveryWorkerOptions options;
    options.clock = Clock();
    options.http_timeout = absl::Seconds(5);
    SmtpRelay relay;
    relay.url = sink_.Url();
    relay.from_address = "noreply@aalborg.example.dk";
    relay.tls = SmtpTls::kOpportunistic;
    relay.timeout = absl::Seconds(10);
    options.smtp_relay = relay;
    return options;
  }
  DeliveryWorker& Worker() {
    if (worker_ == nullptr) UseWorker(Options());
    return *worker_;
  }
  void UseWorker(DeliveryWorkerOptions options) {
    worker_ = std::make_unique<DeliveryWorker>(ctx(), queue(), webhooks(),
                                               std::move(options));
  }
  void RunOnce() {
    const absl::Status status = Worker().RunOnce(kMunicipality);
    ASSERT_TRUE(status.ok()) << status;
  }

  events::v1::Event MustEnqueue(const std::string& about_actor = "12") {
    events::v1::Event event = ActorEvent(about_actor);
    const absl::Status status =
        queue().EnqueueWebhook(kMunicipality, webhook_id_, event, "");
    EXPECT_TRUE(status.ok()) << status;
    return event;
  }

  v1::WebhookEndpoint GetEndpoint() {
    auto got = webhooks().Get(Caseworker(), endpoint_.name());
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : v1::WebhookEndpoint();
  }

  void SetPaused(bool paused) {
    v1::WebhookEndpoint patch;
    patch.set_name(endpoint_.name());
    patch.set_paused(paused);
    google::protobuf::FieldMask mask;
    mask.add_paths("paused");
    ASSERT_TRUE(webhooks().Update(Caseworker(), patch, mask).ok());
  }

  // The attempts of the one waiting delivery.
  int AttemptsOf(const std::string& id) {
    auto reply =
        pool().Run({"HGET", keys_.Delivery(kMunicipality, id), "attempts"});
    EXPECT_TRUE(reply.ok() && reply->is_string());
    return reply.ok() && reply->is_string() ? std::stoi(reply->str) : -1;
  }

  test::HttpReceiver receiver_;
  test::SmtpSink sink_;
  v1::WebhookEndpoint endpoint_;  // as created, with its secret
  std::string webhook_id_;
  std::unique_ptr<DeliveryWorker> worker_;
};

TEST_F(DeliveryWorkerTest, DeliversOnceSignedWithTheEndpointsSecret) {
  const events::v1::Event event = MustEnqueue();
  RunOnce();
  RunOnce();
  ASSERT_EQ(receiver_.RequestCount(), 1u);
  const test::ReceivedRequest request = receiver_.Requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/brobygger");
  EXPECT_EQ(request.Header("Content-Type"), "application/json");
  EXPECT_EQ(request.Header("Brobygger-Delivery"),
            OutboundQueue::WebhookDeliveryId(event.id(), webhook_id_));
  EXPECT_EQ(request.Header("Brobygger-Event-Type"),
            "brobygger.registry.v1.ActorCreated");
  EXPECT_TRUE(VerifyWebhookSignature(endpoint_.secret(),
                                     request.Header("Brobygger-Signature"),
                                     request.body, Now())
                  .ok());
  EXPECT_THAT(request.body, HasSubstr(event.id()));

  // The same event routed again later is not sent again.
  ASSERT_TRUE(
      queue().EnqueueWebhook(kMunicipality, webhook_id_, event, "").ok());
  RunOnce();
  EXPECT_EQ(receiver_.RequestCount(), 1u);

  const v1::WebhookEndpoint shown = GetEndpoint();
  EXPECT_EQ(shown.circuit_state(), v1::WebhookEndpoint::CIRCUIT_STATE_CLOSED);
  EXPECT_EQ(store::FromTimestamp(shown.last_success_time()), Now());
}

TEST_F(DeliveryWorkerTest, CountsWhatBecameOfDeliveries) {
  auto registry = std::make_shared<prometheus::Registry>();
  DeliveryWorkerOptions options = Options();
  options.metrics = registry;
  UseWorker(options);
  receiver_.RespondWith({500});
  MustEnqueue();
  RunOnce();
  clock_.Advance(absl::Hours(1));
  RunOnce();
  sink_.RejectNext(1, 550);
  ASSERT_TRUE(queue().EnqueueEmail(kMunicipality, Email("11", "ev-1")).ok());
  RunOnce();

  const std::string text =
      prometheus::TextSerializer().Serialize(registry->Collect());
  EXPECT_THAT(text, HasSubstr("notifications_deliveries_total{channel="
                              "\"webhook\",outcome=\"retried\"} 1"));
  EXPECT_THAT(text, HasSubstr("notifications_deliveries_total{channel="
                              "\"webhook\",outcome=\"delivered\"} 1"));
  EXPECT_THAT(text, HasSubstr("notifications_deliveries_total{channel="
                              "\"email\",outcome=\"dead_lettered\"} 1"));
  EXPECT_THAT(text, HasSubstr("notifications_delivery_attempt_seconds_count{"
                              "channel=\"webhook\"} 2"));
  // Enqueued, retried an hour later, delivered: one hour on the clock.
  EXPECT_THAT(text, HasSubstr("notifications_delivery_latency_seconds_sum{"
                              "channel=\"webhook\"} 3600"));
}

TEST_F(DeliveryWorkerTest, RetriesWithTheSameDeliveryIdUntilItIsAccepted) {
  receiver_.RespondWith({500, 503});
  MustEnqueue();
  RunOnce();
  ASSERT_EQ(receiver_.RequestCount(), 1u);
  RunOnce();  // not due yet: backoff
  ASSERT_EQ(receiver_.RequestCount(), 1u);

  clock_.Advance(absl::Hours(1));
  RunOnce();
  ASSERT_EQ(receiver_.RequestCount(), 2u);
  EXPECT_EQ(GetEndpoint().last_error(), "HTTP 503");
  clock_.Advance(absl::Hours(1));
  RunOnce();
  ASSERT_EQ(receiver_.RequestCount(), 3u);
  clock_.Advance(absl::Hours(1));
  RunOnce();
  EXPECT_EQ(receiver_.RequestCount(), 3u);

  const std::vector<test::ReceivedRequest> requests = receiver_.Requests();
  for (const test::ReceivedRequest& request : requests) {
    EXPECT_EQ(request.Header("Brobygger-Delivery"),
              requests[0].Header("Brobygger-Delivery"));
  }
  EXPECT_EQ(WaitingCount(), 0);
  EXPECT_THAT(DeadLetterEntries(), IsEmpty());
}

TEST_F(DeliveryWorkerTest, AFailingEndpointOpensItsCircuitAndDeliveriesWait) {
  receiver_.SetDefaultResponse(Answer(500));
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back(OutboundQueue::WebhookDeliveryId(
        MustEnqueue(absl::StrCat(20 + i)).id(), webhook_id_));
  }
  RunOnce();
  // Five failures in a row open the circuit; the sixth is not sent.
  EXPECT_EQ(receiver_.RequestCount(), 5u);
  v1::WebhookEndpoint shown = GetEndpoint();
  EXPECT_EQ(shown.circuit_state(), v1::WebhookEndpoint::CIRCUIT_STATE_OPEN);
  EXPECT_EQ(store::FromTimestamp(shown.circuit_retry_time()),
            Now() + absl::Seconds(30));
  EXPECT_EQ(shown.last_error(), "HTTP 500");

  // Retries come due during the cool-down: they wait, uncounted.
  clock_.Advance(absl::Seconds(10));
  RunOnce();
  EXPECT_EQ(receiver_.RequestCount(), 5u);
  std::vector<int> attempts;
  for (const std::string& id : ids) attempts.push_back(AttemptsOf(id));
  EXPECT_THAT(attempts, ::testing::UnorderedElementsAre(0, 1, 1, 1, 1, 1));

  // After the cool-down one probe goes; it succeeds and the rest follow.
  receiver_.SetDefaultResponse(Answer(200));
  clock_.Advance(absl::Seconds(21));
  RunOnce();
  EXPECT_EQ(receiver_.RequestCount(), 11u);
  EXPECT_EQ(WaitingCount(), 0);
  EXPECT_EQ(GetEndpoint().circuit_state(),
            v1::WebhookEndpoint::CIRCUIT_STATE_CLOSED);
}

TEST_F(DeliveryWorkerTest, GoneGivesUpAtOnceAndTheDeadLetterReplays) {
  receiver_.RespondWith({410});
  const events::v1::Event event = MustEnqueue();
  RunOnce();
  ASSERT_EQ(receiver_.RequestCount(), 1u);
  EXPECT_EQ(WaitingCount(), 0);
  std::vector<events::StreamEntry> entries = DeadLetterEntries();
  ASSERT_THAT(entries, SizeIs(1));
  const v1::DeadLetter letter = DeadLetters::ToDeadLetter(entries[0]);
  EXPECT_EQ(letter.kind(), v1::DeadLetter::KIND_WEBHOOK_DELIVERY);
  EXPECT_EQ(letter.target(), endpoint_.name());
  EXPECT_EQ(letter.event_id(), event.id());
  EXPECT_EQ(letter.attempts(), 1);
  EXPECT_THAT(letter.error(), HasSubstr("no longer takes deliveries"));

  // The owner fixed their receiver; an operator replays the dead letter.
  DeadLetters::Replayers replayers;
  replayers.delivery = [this](const events::StreamEntry& entry) {
    return queue().Requeue(entry);
  };
  DeadLetters dead_letters(ctx(), replayers);
  ASSERT_TRUE(dead_letters.Replay(letter.name()).ok());
  EXPECT_THAT(DeadLetterEntries(), IsEmpty());
  RunOnce();
  ASSERT_EQ(receiver_.RequestCount(), 2u);
  EXPECT_EQ(receiver_.Requests()[1].Header("Brobygger-Delivery"),
            receiver_.Requests()[0].Header("Brobygger-Delivery"));
  EXPECT_EQ(WaitingCount(), 0);
}

TEST_F(DeliveryWorkerTest, RetriesEndInADeadLetterAfterADay) {
  receiver_.SetDefaultResponse(Answer(502));
  DeliveryWorkerOptions options = Options();
  options.breaker.failure_threshold = 1000;  // only the retry window counts
  UseWorker(options);
  MustEnqueue();
  for (int hour = 0; hour < 30 && WaitingCount() > 0; ++hour) {
    RunOnce();
    clock_.Advance(absl::Hours(1));
  }
  EXPECT_EQ(WaitingCount(), 0);
  std::vector<events::StreamEntry> entries = DeadLetterEntries();
  ASSERT_THAT(entries, SizeIs(1));
  const v1::DeadLetter letter = DeadLetters::ToDeadLetter(entries[0]);
  EXPECT_EQ(letter.error(), "HTTP 502");
  EXPECT_EQ(static_cast<size_t>(letter.attempts()), receiver_.RequestCount());
  EXPECT_GE(letter.attempts(), 24);
}

TEST_F(DeliveryWorkerTest, APausedEndpointsDeliveriesWaitUnlessTooLong) {
  ASSERT_NO_FATAL_FAILURE(SetPaused(true));
  const std::string id =
      OutboundQueue::WebhookDeliveryId(MustEnqueue().id(), webhook_id_);
  RunOnce();
  clock_.Advance(absl::Minutes(2));
  RunOnce();
  EXPECT_EQ(receiver_.RequestCount(), 0u);
  EXPECT_EQ(AttemptsOf(id), 0);

  ASSERT_NO_FATAL_FAILURE(SetPaused(false));
  clock_.Advance(absl::Minutes(2));
  RunOnce();
  EXPECT_EQ(receiver_.RequestCount(), 1u);

  // Paused for longer than a delivery may wait: dead-lettered, not kept.
  ASSERT_NO_FATAL_FAILURE(SetPaused(true));
  MustEnqueue("13");
  for (int i = 0; i < 26; ++i) {
    clock_.Advance(absl::Hours(1));
    RunOnce();
  }
  EXPECT_EQ(receiver_.RequestCount(), 1u);
  EXPECT_EQ(WaitingCount(), 0);
  std::vector<events::StreamEntry> entries = DeadLetterEntries();
  ASSERT_THAT(entries, SizeIs(1));
  const v1::DeadLetter letter = DeadLetters::ToDeadLetter(entries[0]);
  EXPECT_THAT(letter.error(), HasSubstr("paused"));
  EXPECT_EQ(letter.attempts(), 0);
}

TEST_F(DeliveryWorkerTest, ADeletedEndpointsDeliveriesAreDropped) {
  MustEnqueue();
  ASSERT_TRUE(
      webhooks().Delete(Caseworker(), endpoint_.name(), endpoint_.etag()).ok());
  RunOnce();
  EXPECT_EQ(receiver_.RequestCount(), 0u);
  EXPECT_EQ(WaitingCount(), 0);
  EXPECT_THAT(DeadLetterEntries(), IsEmpty());
  EXPECT_EQ(
      pool()
          .Run({"EXISTS", keys_.WebhookCircuit(kMunicipality, webhook_id_)})
          ->integer,
      0);
}

TEST_F(DeliveryWorkerTest, AnEmailIsHandedToTheRelayWithTheDeliveryId) {
  ASSERT_TRUE(queue().EnqueueEmail(kMunicipality, Email("11", "ev-1")).ok());
  RunOnce();
  ASSERT_EQ(sink_.MessageCount(), 1u);
  const test::SmtpMessage message = sink_.Messages()[0];
  EXPECT_EQ(message.envelope_from, "noreply@aalborg.example.dk");
  EXPECT_THAT(message.recipients,
              ::testing::ElementsAre("frivillig@example.org"));
  EXPECT_THAT(message.data,
              HasSubstr(absl::StrCat(
                  "Message-ID: <", OutboundQueue::EmailDeliveryId("ev-1", "11"),
                  "@aalborg.example.dk>")));
  EXPECT_EQ(WaitingCount(), 0);
  RunOnce();
  EXPECT_EQ(sink_.MessageCount(), 1u);
}

TEST_F(DeliveryWorkerTest,
       ARefusedMailboxIsDeadLetteredATemporaryErrorRetried) {
  sink_.RejectNext(1, 451);
  ASSERT_TRUE(queue().EnqueueEmail(kMunicipality, Email("11", "ev-1")).ok());
  RunOnce();
  EXPECT_EQ(sink_.MessageCount(), 0u);
  EXPECT_EQ(WaitingCount(), 1);
  clock_.Advance(absl::Minutes(5));
  RunOnce();
  EXPECT_EQ(sink_.MessageCount(), 1u);

  sink_.RejectNext(1, 550, test::SmtpRejectAt::kRecipient);
  ASSERT_TRUE(queue().EnqueueEmail(kMunicipality, Email("11", "ev-2")).ok());
  RunOnce();
  EXPECT_EQ(sink_.MessageCount(), 1u);
  EXPECT_EQ(WaitingCount(), 0);
  std::vector<events::StreamEntry> entries = DeadLetterEntries();
  ASSERT_THAT(entries, SizeIs(1));
  const v1::DeadLetter letter = DeadLetters::ToDeadLetter(entries[0]);
  EXPECT_EQ(letter.kind(), v1::DeadLetter::KIND_EMAIL_DELIVERY);
  EXPECT_EQ(letter.target(), Actor("11"));
  EXPECT_EQ(letter.event_id(), "ev-2");
  EXPECT_EQ(letter.attempts(), 1);
  // No address or text in what operators see.
  EXPECT_THAT(letter.DebugString(), ::testing::Not(HasSubstr("Søren")));
}

TEST_F(DeliveryWorkerTest, WithoutARelayEmailsWait) {
  DeliveryWorkerOptions options = Options();
  options.smtp_relay.reset();
  UseWorker(options);
  ASSERT_TRUE(queue().EnqueueEmail(kMunicipality, Email("11", "ev-1")).ok());
  RunOnce();
  clock_.Advance(absl::Hours(1));
  RunOnce();
  EXPECT_EQ(WaitingCount(), 1);
  EXPECT_THAT(DeadLetterEntries(), IsEmpty());

  // A replica with a relay sends it.
  UseWorker(Options());
  clock_.Advance(absl::Hours(1));
  RunOnce();
  EXPECT_EQ(sink_.MessageCount(), 1u);
}

TEST_F(DeliveryWorkerTest, AnotherWorkerDeliversWhatADeadWorkerHeld) {
  MustEnqueue();
  // A worker claims the delivery and is killed before sending it.
  auto held = queue().Claim(kMunicipality, Now(), 50, absl::Seconds(60));
  ASSERT_TRUE(held.ok());
  ASSERT_THAT(*held, SizeIs(1));

  RunOnce();
  EXPECT_EQ(receiver_.RequestCount(), 0u);
  clock_.Advance(absl::Seconds(61));
  RunOnce();
  ASSERT_EQ(receiver_.RequestCount(), 1u);
  EXPECT_EQ(receiver_.Requests()[0].Header("Brobygger-Delivery"),
            held->front().id);
  EXPECT_EQ(WaitingCount(), 0);
}

TEST_F(DeliveryWorkerTest, RunningThreadsDeliverAndStopPromptly) {
  ASSERT_TRUE(pool().Run({"SADD", keys_.Municipalities(), kMunicipality}).ok());
  // Real time here: the threads poll.
  OutboundQueue live_queue(ctx());
  DeliveryWorkerOptions options = Options();
  options.clock = absl::Now;
  options.poll_interval = absl::Milliseconds(20);
  DeliveryWorker worker(ctx(), live_queue, webhooks(), options);
  worker.Start();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(live_queue
                    .EnqueueWebhook(kMunicipality, webhook_id_,
                                    ActorEvent(absl::StrCat(40 + i)), "")
                    .ok());
  }
  EXPECT_TRUE(receiver_.WaitForRequests(3, absl::Seconds(20)));
  worker.Stop();
  EXPECT_EQ(receiver_.RequestCount(), 3u);
  EXPECT_EQ(WaitingCount(), 0);
}

}  // namespace
}  // namespace brobygger::notifications
