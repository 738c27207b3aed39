// The outbound queue over a private redis-server, on a clock the test
// moves (so backoff, leases and cool-downs pass without waiting), with
// the subscription fixture's endpoints and actors. Shared by the queue's
// and the delivery worker's tests.
#ifndef BROBYGGER_TESTS_NOTIFICATIONS_OUTBOUND_FIXTURE_H_
#define BROBYGGER_TESTS_NOTIFICATIONS_OUTBOUND_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/events/event_bus.h"
#include "common/events/stream_tail.h"
#include "gtest/gtest.h"
#include "services/notifications/outbound_queue.h"
#include "tests/notifications/subscription_fixture.h"

namespace brobygger::notifications {

// A clock that only moves when told; safe to read from worker threads.
class ManualClock {
 public:
  explicit ManualClock(absl::Time now) : now_(now) {}
  absl::Time Now() const {
    absl::MutexLock lock(&mutex_);
    return now_;
  }
  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mutex_);
    now_ += by;
  }

 private:
  mutable absl::Mutex mutex_;
  absl::Time now_;
};

class OutboundFixture : public SubscriptionFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SubscriptionFixture::SetUp());
    queue_ = std::make_unique<OutboundQueue>(ctx(), Clock());
  }
  void TearDown() override {
    queue_.reset();
    SubscriptionFixture::TearDown();
  }

  OutboundQueue& queue() { return *queue_; }
  std::function<absl::Time()> Clock() {
    return [this] { return clock_.Now(); };
  }
  absl::Time Now() const { return clock_.Now(); }

  // A registry event about actor `actor_id`, as routed to webhooks.
  events::v1::Event ActorEvent(const std::string& actor_id,
                               const std::string& display_name =
                                   "Amina's "
                                   "family") {
    registry::v1::ActorCreated created;
    created.mutable_actor()->set_name(Actor(actor_id));
    created.mutable_actor()->set_display_name(display_name);
    return events::MakeEvent(events::EventContext{"registry", "test", ""},
                             kMunicipality, Actor(actor_id), created, Now());
  }

  static OutboundEmail Email(const std::string& actor_id,
                             const std::string& dedupe_key,
                             const std::string& about = "") {
    OutboundEmail email;
    email.actor_id = actor_id;
    email.message.to_address = "frivillig@example.org";
    email.message.to_name = "Søren Frivillig";
    email.message.subject = "Ny aktivitet i Vester Hassing";
    email.message.text_body = "Hej Søren,\nder er en ny aktivitet.\n";
    email.dedupe_key = dedupe_key;
    email.about_newcomer = about;
    email.event_type = "brobygger.catalogue.v1.ActivityCreated";
    email.resource = "municipalities/aalborg/activities/4";
    return email;
  }

  // Everything due within the next year, leased for a minute.
  std::vector<QueuedDelivery> ClaimAll() {
    auto claimed = queue().Claim(kMunicipality, Now() + absl::Hours(24 * 365),
                                 500, absl::Minutes(1));
    EXPECT_TRUE(claimed.ok()) << claimed.status();
    return claimed.ok() ? *claimed : std::vector<QueuedDelivery>();
  }

  int64_t WaitingCount() {
    auto reply = pool().Run({"ZCARD", keys_.DeliveriesDue(kMunicipality)});
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? reply->integer : -1;
  }

  std::vector<events::StreamEntry> DeadLetterEntries() {
    std::vector<events::StreamEntry> out;
    auto reply = pool().Run({"XRANGE", keys_.DeadLetters(), "-", "+"});
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return out;
    for (const redis::Reply& entry : reply->elements) {
      out.push_back(events::ParseStreamEntry(entry));
    }
    return out;
  }

  ManualClock clock_{absl::FromUnixSeconds(1'800'000'000)};

 private:
  std::unique_ptr<OutboundQueue> queue_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_TESTS_NOTIFICATIONS_OUTBOUND_FIXTURE_H_
