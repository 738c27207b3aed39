// The inbox store over a private redis-server, with a settable clock and
// builders of deliveries. Shared by the inbox and watch tests.
#ifndef BROBYGGER_TESTS_NOTIFICATIONS_INBOX_FIXTURE_H_
#define BROBYGGER_TESTS_NOTIFICATIONS_INBOX_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "common/store/document_store.h"
#include "gtest/gtest.h"
#include "services/notifications/inbox_store.h"
#include "services/notifications/notifications_context.h"
#include "tests/support/redis_test.h"

namespace brobygger::notifications {

class InboxTest : public test::RedisTest {
 protected:
  void SetUp() override {
    RedisTest::SetUp();
    documents_ = std::make_unique<store::DocumentStore>(
        pool(), redis::KeySpace(kServiceName), events::StreamRetention{});
    ctx_ = std::make_unique<NotificationsContext>(
        NotificationsContext{pool(), *documents_, NotificationsKeys(), {}});
    inbox_ = std::make_unique<InboxStore>(*ctx_, [this] {
      absl::MutexLock lock(&clock_mu_);
      return now_;
    });
  }

  void SetNow(absl::Time now) {
    absl::MutexLock lock(&clock_mu_);
    now_ = now;
  }

  static InboxDelivery Delivery(std::string inbox, std::string title,
                                std::string dedupe_key,
                                std::string about = "") {
    InboxDelivery d;
    d.inbox = std::move(inbox);
    d.notification.set_title(std::move(title));
    d.notification.set_body("Body of the message");
    d.notification.set_topic(v1::TOPIC_ACTIVITIES);
    d.notification.set_urgency(v1::URGENCY_NORMAL);
    d.notification.set_event_id(dedupe_key);
    d.about = std::move(about);
    d.dedupe_key = std::move(dedupe_key);
    return d;
  }

  // Delivers one message and returns its entry id.
  std::string DeliverOne(const std::string& m, const std::string& inbox,
                         const std::string& title,
                         const std::string& about = "") {
    auto ids = inbox_->Deliver(
        m, {Delivery(inbox, title, absl::StrCat("ev-", ++sequence_), about)});
    EXPECT_TRUE(ids.ok()) << ids.status();
    if (!ids.ok() || ids->size() != 1) return "";
    return ids->front();
  }

  // `count` messages titled "<prefix> <i>"; their entry ids in order.
  std::vector<std::string> DeliverMany(const std::string& m,
                                       const std::string& inbox, int count,
                                       const std::string& prefix = "Message") {
    std::vector<InboxDelivery> deliveries;
    for (int i = 0; i < count; ++i) {
      deliveries.push_back(Delivery(inbox, absl::StrCat(prefix, " ", i),
                                    absl::StrCat("ev-", ++sequence_)));
    }
    auto ids = inbox_->Deliver(m, deliveries);
    EXPECT_TRUE(ids.ok()) << ids.status();
    return ids.ok() ? *ids : std::vector<std::string>();
  }

  static std::string EntryIdOf(const v1::Notification& n) {
    return n.name().substr(n.name().rfind('/') + 1);
  }

  static std::vector<std::string> FieldsOf(const absl::Status& status) {
    std::vector<std::string> fields;
    for (const FieldViolation& v : FieldViolationsOf(status)) {
      fields.push_back(v.field);
    }
    return fields;
  }

  std::unique_ptr<store::DocumentStore> documents_;
  std::unique_ptr<NotificationsContext> ctx_;
  std::unique_ptr<InboxStore> inbox_;
  int sequence_ = 0;

 private:
  absl::Mutex clock_mu_;
  absl::Time now_ = absl::FromUnixSeconds(1732450000);
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_TESTS_NOTIFICATIONS_INBOX_FIXTURE_H_
