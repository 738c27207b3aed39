// Operators' view of what the pipeline gave up on: listing without
// payloads, paging and filtering, replay, deletion, and erasure of a
// newcomer's entries. Against a real redis-server.
#include "services/notifications/dead_letters.h"

#include <string>
#include <vector>

#include "brobygger/registry/v1/events.pb.h"
#include "common/events/event_bus.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/redis_test.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class DeadLettersTest : public test::RedisTest {
 protected:
  void SetUp() override {
    test::RedisTest::SetUp();
    store_ = std::make_unique<store::DocumentStore>(
        pool(), redis::KeySpace(kServiceName), events::StreamRetention{});
    ctx_ = std::make_unique<NotificationsContext>(
        NotificationsContext{pool(), *store_, NotificationsKeys(), {}});
    DeadLetters::Replayers replayers;
    replayers.event = [this](const events::v1::Event& event) {
      replayed_events_.push_back(event.id());
      return replay_status_;
    };
    replayers.delivery = [this](const events::StreamEntry& entry) {
      replayed_deliveries_.push_back(std::string(entry.Field("target")));
      return replay_status_;
    };
    dead_letters_ = std::make_unique<DeadLetters>(*ctx_, replayers);
  }

  // Dead-letters an event as the event consumer does; returns its name.
  std::string AddEvent(const std::string& municipality,
                       const std::string& actor) {
    rv1::ActorCreated created;
    created.mutable_actor()->set_name(actor);
    created.mutable_actor()->mutable_newcomer()->set_first_name("Amina");
    events::v1::Event event = events::MakeEvent({"registry", "someone", ""},
                                                municipality, actor, created);
    auto reply =
        pool().Run({"XADD", ctx_->keys.DeadLetters(), "*", "stream",
                    "registry:{" + municipality + "}:events", "entry_id", "1-0",
                    "error", "boom", "event", event.SerializeAsString()});
    EXPECT_TRUE(reply.ok());
    return "deadLetters/" + reply->str;
  }

  std::string AddDelivery(const std::string& municipality,
                          const std::string& target, const std::string& about) {
    auto reply = pool().Run({"XADD",
                             ctx_->keys.DeadLetters(),
                             "*",
                             "kind",
                             "webhook",
                             "m",
                             municipality,
                             "target",
                             target,
                             "event_id",
                             "e1",
                             "event_type",
                             "brobygger.catalogue.v1.ActivityPublished",
                             "resource",
                             "municipalities/" + municipality + "/activities/1",
                             "about",
                             about,
                             "error",
                             "HTTP 503",
                             "attempts",
                             "12",
                             "delivery",
                             "opaque"});
    EXPECT_TRUE(reply.ok());
    return "deadLetters/" + reply->str;
  }

  std::vector<std::string> Names(const v1::ListDeadLettersResponse& page) {
    std::vector<std::string> names;
    for (const auto& d : page.dead_letters()) names.push_back(d.name());
    return names;
  }

  std::unique_ptr<store::DocumentStore> store_;
  std::unique_ptr<NotificationsContext> ctx_;
  std::unique_ptr<DeadLetters> dead_letters_;
  std::vector<std::string> replayed_events_;
  std::vector<std::string> replayed_deliveries_;
  absl::Status replay_status_;
};

TEST_F(DeadLettersTest, ListsBothKindsWithoutPayload) {
  const std::string event =
      AddEvent("aalborg", "municipalities/aalborg/actors/9");
  const std::string delivery =
      AddDelivery("aalborg", "municipalities/aalborg/webhooks/1", "");
  v1::ListDeadLettersRequest request;
  auto page = dead_letters_->List(request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(Names(*page), ElementsAre(event, delivery));
  const v1::DeadLetter& first = page->dead_letters(0);
  EXPECT_EQ(first.kind(), v1::DeadLetter::KIND_EVENT);
  EXPECT_EQ(first.municipality(), "aalborg");
  EXPECT_EQ(first.event_type(), "brobygger.registry.v1.ActorCreated");
  EXPECT_EQ(first.resource(), "municipalities/aalborg/actors/9");
  EXPECT_EQ(first.error(), "boom");
  // No field of the API carries the newcomer's first name.
  EXPECT_EQ(first.DebugString().find("Amina"), std::string::npos);
  const v1::DeadLetter& second = page->dead_letters(1);
  EXPECT_EQ(second.kind(), v1::DeadLetter::KIND_WEBHOOK_DELIVERY);
  EXPECT_EQ(second.target(), "municipalities/aalborg/webhooks/1");
  EXPECT_EQ(second.attempts(), 12);
  EXPECT_TRUE(page->next_page_token().empty());
}

TEST_F(DeadLettersTest, PagesAndFiltersByMunicipality) {
  std::vector<std::string> aalborg;
  for (int i = 0; i < 5; ++i) {
    aalborg.push_back(AddDelivery("aalborg", "w" + std::to_string(i), ""));
    AddDelivery("lejre", "x", "");
  }
  v1::ListDeadLettersRequest request;
  request.set_municipality("aalborg");
  request.set_page_size(2);
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = dead_letters_->List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& name : Names(*page)) seen.push_back(name);
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(seen, aalborg);

  request.set_municipality("lejre");
  EXPECT_EQ(dead_letters_->List(request).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "a token of another query must be refused";
}

TEST_F(DeadLettersTest, ReplayHandsItBackAndRemovesIt) {
  const std::string event =
      AddEvent("aalborg", "municipalities/aalborg/actors/9");
  const std::string delivery =
      AddDelivery("aalborg", "municipalities/aalborg/webhooks/1", "");
  auto replayed = dead_letters_->Replay(event);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ(replayed->kind(), v1::DeadLetter::KIND_EVENT);
  EXPECT_EQ(replayed_events_.size(), 1u);
  ASSERT_TRUE(dead_letters_->Replay(delivery).ok());
  EXPECT_THAT(replayed_deliveries_,
              ElementsAre("municipalities/aalborg/webhooks/1"));
  EXPECT_THAT(Names(*dead_letters_->List({})), IsEmpty());
  EXPECT_EQ(dead_letters_->Replay(event).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(DeadLettersTest, FailedReplayKeepsTheDeadLetter) {
  const std::string event =
      AddEvent("aalborg", "municipalities/aalborg/actors/9");
  replay_status_ = absl::UnavailableError("redis away");
  EXPECT_EQ(dead_letters_->Replay(event).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_THAT(Names(*dead_letters_->List({})), ElementsAre(event));
}

TEST_F(DeadLettersTest, DeleteAndBadNames) {
  const std::string delivery = AddDelivery("aalborg", "w", "");
  EXPECT_TRUE(dead_letters_->Delete(delivery).ok());
  EXPECT_EQ(dead_letters_->Delete(delivery).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(dead_letters_->Delete("deadLetters/abc").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(dead_letters_->Replay("letters/1-0").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(DeadLettersTest, ErasureRemovesOnlyTheNewcomersEntries) {
  AddEvent("aalborg", "municipalities/aalborg/actors/9");
  const std::string other =
      AddEvent("aalborg", "municipalities/aalborg/actors/10");
  AddDelivery("aalborg", "municipalities/aalborg/inboxes/3", "9");
  const std::string unrelated = AddDelivery("aalborg", "w", "");
  const std::string lejre = AddEvent("lejre", "municipalities/lejre/actors/9");
  ASSERT_TRUE(dead_letters_->EraseAbout("aalborg", "9").ok());
  EXPECT_THAT(Names(*dead_letters_->List({})),
              ElementsAre(other, unrelated, lejre));
}

}  // namespace
}  // namespace brobygger::notifications
