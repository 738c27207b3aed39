// Shared set-up of the notification service's end-to-end tests: the
// matching fixture's private redis-server with the real `registry`,
// `catalogue` and `matching` binaries, plus the real `notifications`
// binary, whose e-mails go to an SmtpSink, all started once per test suite
// and called over gRPC exactly as clients do.
//
// Notifications learns actors, contact points and matches only from the
// other services' event streams, following a municipality from the first
// call about it. So the tests change things through the other services'
// APIs and poll notifications (with deadlines, never fixed sleeps) until it
// has followed. Redis is never flushed (the services keep per-municipality
// state in memory): every test gets a municipality of its own, and filters
// the shared SMTP sink by its own recipients.
//
// Header-only because tests/e2e compiles only *_test.cc files.
#ifndef BROBYGGER_TESTS_E2E_NOTIFICATIONS_E2E_FIXTURE_H_
#define BROBYGGER_TESTS_E2E_NOTIFICATIONS_E2E_FIXTURE_H_

#include <deque>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/notification_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/sync_stream.h"
#include "gtest/gtest.h"
#include "tests/e2e/matching_e2e_fixture.h"
#include "tests/support/service_process.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/test_tokens.h"

namespace brobygger::test {

namespace nv1 = ::brobygger::notifications::v1;
using NotificationsStub = nv1::NotificationService::Stub;
using CatalogueStub = ::brobygger::catalogue::v1::CatalogueService::Stub;

// How long a message may take from the change in another service to an
// inbox, an e-mail or a webhook (several streams and a delivery worker,
// with retries starting at 1 s, on a slow shared machine).
inline constexpr absl::Duration kDeliveryDeadline = absl::Seconds(20);
// The notification service drains this long on SIGTERM: longer than any
// deadline of the tests, so a watch that ends in time ended because the
// service closed it, not because the drain ran out.
inline constexpr absl::Duration kNotificationsDrainTimeout = absl::Seconds(40);

// "municipalities/{m}/inboxes/{actor id}" of an actor name.
inline std::string InboxOf(const std::string& actor_name) {
  const std::vector<std::string> parts = absl::StrSplit(actor_name, '/');
  if (parts.size() != 4) return "";
  return absl::StrCat("municipalities/", parts[1], "/inboxes/", parts[3]);
}

// The value of header `name` (e.g. "Subject") in a raw e-mail, "" if absent.
inline std::string MailHeader(const SmtpMessage& message,
                              absl::string_view name) {
  const std::string prefix = absl::StrCat(name, ": ");
  for (absl::string_view line : absl::StrSplit(message.data, "\r\n")) {
    if (line.empty()) break;  // the end of the headers
    if (absl::StartsWithIgnoreCase(line, prefix)) {
      return std::string(line.substr(prefix.size()));
    }
  }
  return "";
}

// A WatchNotifications stream read on a thread of its own, so the test can
// wait for the next response with a deadline. Cancelled when destroyed.
class InboxWatch {
 public:
  using Response = nv1::WatchNotificationsResponse;

  InboxWatch(NotificationsStub& stub, const std::string& token,
             const std::string& inbox, const std::string& cursor = "") {
    context_.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    // Bounds a stream the test forgets; the tests cancel it long before.
    context_.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(5)));
    nv1::WatchNotificationsRequest request;
    request.set_parent(inbox);
    request.set_cursor(cursor);
    reader_ = stub.WatchNotifications(&context_, request);
    thread_ = std::thread([this] { ReadUntilTheEnd(); });
  }
  ~InboxWatch() {
    context_.TryCancel();
    thread_.join();
  }
  InboxWatch(const InboxWatch&) = delete;
  InboxWatch& operator=(const InboxWatch&) = delete;

  // The next response (heartbeat or message), or nullopt when the stream
  // ended or `timeout` passed first.
  std::optional<Response> Next(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(this, &InboxWatch::HasNews), timeout);
    if (received_.empty()) return std::nullopt;
    Response next = std::move(received_.front());
    received_.pop_front();
    if (!next.cursor().empty()) cursor_ = next.cursor();
    return next;
  }

  // The next message, skipping heartbeats.
  std::optional<nv1::Notification> NextNotification(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (true) {
      std::optional<Response> next = Next(deadline - absl::Now());
      if (!next.has_value()) return std::nullopt;
      if (next->has_notification()) return next->notification();
    }
  }

  // How the stream ended, once every response before the end was taken
  // with Next(); nullopt while it is still open after `timeout`.
  std::optional<grpc::Status> End(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(this, &InboxWatch::Ended), timeout);
    return status_;
  }

  // The cursor of the last response taken with Next().
  std::string cursor() const {
    absl::MutexLock lock(&mu_);
    return cursor_;
  }

 private:
  void ReadUntilTheEnd() {
    Response response;
    while (reader_->Read(&response)) {
      absl::MutexLock lock(&mu_);
      received_.push_back(response);
    }
    grpc::Status status = reader_->Finish();
    absl::MutexLock lock(&mu_);
    status_ = std::move(status);
  }
  bool HasNews() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !received_.empty() || status_.has_value();
  }
  bool Ended() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return status_.has_value();
  }

  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<Response>> reader_;
  mutable absl::Mutex mu_;
  std::deque<Response> received_ ABSL_GUARDED_BY(mu_);
  std::optional<grpc::Status> status_ ABSL_GUARDED_BY(mu_);
  std::string cursor_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: started once everything above exists
};

class NotificationsE2eTest : public MatchingE2eTest {
 protected:
  static void SetUpTestSuite() {
    MatchingE2eTest::SetUpTestSuite();
    if (!suite_status_.ok()) return;
    smtp_ = std::make_unique<SmtpSink>();
    auto notifications = ServiceProcess::Start(NotificationsOptions());
    if (!notifications.ok()) {
      suite_status_ = notifications.status();
      return;
    }
    notifications_ = *std::move(notifications);
  }
  static void TearDownTestSuite() {
    notifications_.reset();
    smtp_.reset();
    MatchingE2eTest::TearDownTestSuite();
  }

  static ServiceProcess::Options NotificationsOptions() {
    ServiceProcess::Options options;
    options.binary = ServiceProcess::BinaryPath("notifications");
    options.redis_port = redis_->port();
    options.extra_args = {
        absl::StrCat("--smtp_url=", smtp_->Url()),
        "--smtp_from=brobygger@kolding.dk", "--smtp_starttls_optional",
        absl::StrCat("--drain_timeout=",
                     absl::FormatDuration(kNotificationsDrainTimeout))};
    return options;
  }

  void SetUp() override {
    MatchingE2eTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_NE(notifications_, nullptr);
    ASSERT_TRUE(notifications_->running())
        << "an earlier test stopped notifications. Log tail:\n"
        << notifications_->LogTail();
    notifications_stub_ = notifications_->NewStub<nv1::NotificationService>();
    // The first call about the municipality makes the service follow its
    // event streams.
    nv1::ListSubscriptionsRequest list;
    list.set_parent(Parent());
    auto listed =
        Call(*notifications_stub_, &NotificationsStub::ListSubscriptions,
             coordinator_, list);
    ASSERT_TRUE(listed.ok()) << listed.status();
  }

  void TearDown() override {
    MatchingE2eTest::TearDown();
    if (HasFailure() && notifications_ != nullptr) {
      std::cerr << "--- notifications log tail ---\n"
                << notifications_->LogTail(8000)
                << "--- end of notifications log ---\n";
    }
  }

  // --- Tokens. ---

  // A volunteer's token: its subject is the volunteer's actor name.
  std::string TokenOf(const rv1::Actor& volunteer) const {
    return MintTestToken(auth::Role::kVolunteer, {municipality_},
                         volunteer.name());
  }
  // The organisation's app.
  std::string AppTokenOf(const rv1::Actor& organisation) const {
    return MintTestToken(auth::Role::kNgoApp, {municipality_}, "red-cross-app",
                         organisation.name());
  }

  // --- Subscriptions. ---

  absl::StatusOr<nv1::Subscription> Subscribe(
      const std::string& token, const nv1::Subscription& subscription) {
    nv1::CreateSubscriptionRequest request;
    request.set_parent(Parent());
    *request.mutable_subscription() = subscription;
    return Call(*notifications_stub_, &NotificationsStub::CreateSubscription,
                token, request);
  }

  // Subscribes once notifications knows the subscriber (NOT_FOUND until
  // it has read the registry's event about it).
  nv1::Subscription MustSubscribe(const std::string& token,
                                  const nv1::Subscription& subscription) {
    absl::StatusOr<nv1::Subscription> created;
    Within(kFollowDeadline, [&] {
      created = Subscribe(token, subscription);
      return created.status().code() != absl::StatusCode::kNotFound;
    });
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : nv1::Subscription();
  }

  static nv1::Subscription ActorSubscription(
      const std::string& subscriber, std::vector<nv1::Topic> topics,
      std::vector<std::string> areas = {}) {
    nv1::Subscription subscription;
    subscription.set_subscriber(subscriber);
    for (nv1::Topic topic : topics) subscription.add_topics(topic);
    for (std::string& area : areas) subscription.add_areas(std::move(area));
    return subscription;
  }

  // --- Inboxes. ---

  absl::StatusOr<nv1::ListNotificationsResponse> ListInbox(
      const std::string& token, const std::string& actor_name) {
    nv1::ListNotificationsRequest request;
    request.set_parent(InboxOf(actor_name));
    return Call(*notifications_stub_, &NotificationsStub::ListNotifications,
                token, request);
  }

  // The inbox once `done` holds for it; the last answer otherwise (the
  // test then fails).
  nv1::ListNotificationsResponse WaitForInbox(
      const std::string& token, const std::string& actor_name,
      const std::function<bool(const nv1::ListNotificationsResponse&)>& done,
      const std::string& what) {
    absl::StatusOr<nv1::ListNotificationsResponse> inbox;
    const bool reached = Within(kDeliveryDeadline, [&] {
      inbox = ListInbox(token, actor_name);
      return inbox.ok() && done(*inbox);
    });
    EXPECT_TRUE(reached) << what << "; last answer: "
                         << (inbox.ok() ? inbox->DebugString()
                                        : inbox.status().ToString());
    return inbox.ok() ? *inbox : nv1::ListNotificationsResponse();
  }

  // The inbox once it holds `count` messages.
  nv1::ListNotificationsResponse WaitForMessages(const std::string& token,
                                                 const std::string& actor_name,
                                                 int count) {
    return WaitForInbox(
        token, actor_name,
        [count](const nv1::ListNotificationsResponse& inbox) {
          return inbox.notifications_size() >= count;
        },
        absl::StrCat(actor_name, " never had ", count, " messages"));
  }

  // Waits until notifications has read the registry's event about the
  // actor (staff get NOT_FOUND for the inbox of an unknown actor). The
  // registry's stream is applied in order, so whatever the registry did
  // before creating the actor is known then too.
  void WaitUntilKnown(const rv1::Actor& actor) {
    EXPECT_TRUE(
        Within(kFollowDeadline,
               [&] { return ListInbox(coordinator_, actor.name()).ok(); }))
        << "notifications never learnt of " << actor.name();
  }

  // --- The catalogue. ---

  // Creates a published civil-society activity in `area` once the
  // catalogue knows the organiser.
  catalogue::v1::Activity MustPublishActivity(const std::string& display_name,
                                              const std::string& area,
                                              const rv1::Actor& organiser) {
    catalogue::v1::CreateActivityRequest create;
    create.set_parent(Parent());
    catalogue::v1::Activity* activity = create.mutable_activity();
    activity->set_kind(catalogue::v1::ACTIVITY_KIND_CIVIL_OFFER);
    activity->set_display_name(display_name);
    activity->set_organiser(organiser.name());
    activity->set_category(catalogue::v1::CATEGORY_COMMUNAL_DINING);
    activity->add_languages("da");
    activity->mutable_place()->set_area(area);
    activity->mutable_schedule()->set_start_time("2025-01-07T18:00");
    activity->mutable_schedule()->mutable_duration()->set_seconds(7200);
    activity->mutable_schedule()->set_rrule("FREQ=WEEKLY;BYDAY=TU");
    activity->mutable_price()->set_kind(catalogue::v1::Price::KIND_FREE);
    activity->set_state(catalogue::v1::ACTIVITY_STATE_PUBLISHED);
    absl::StatusOr<catalogue::v1::Activity> created;
    Within(kFollowDeadline, [&] {
      created = Call(*catalogue_stub_, &CatalogueStub::CreateActivity,
                     coordinator_, create);
      return created.ok();
    });
    EXPECT_TRUE(created.ok()) << display_name << ": " << created.status();
    return created.ok() ? *created : catalogue::v1::Activity();
  }

  // --- Matching. ---

  // Proposes `volunteer` for the request once matching knows them.
  mv1::Match MustPropose(const std::string& request_name,
                         const rv1::Actor& volunteer) {
    mv1::ProposeMatchRequest propose;
    propose.set_volunteer_request(request_name);
    propose.set_volunteer(volunteer.name());
    absl::StatusOr<mv1::Match> proposed;
    Within(kFollowDeadline, [&] {
      proposed =
          Call(*stub_, &MatchingStub::ProposeMatch, coordinator_, propose);
      return proposed.ok();
    });
    EXPECT_TRUE(proposed.ok()) << proposed.status();
    return proposed.ok() ? *proposed : mv1::Match();
  }

  mv1::VolunteerRequest MustCreateRequestOfKind(const std::string& newcomer,
                                                mv1::MatchKind kind) {
    absl::StatusOr<mv1::VolunteerRequest> created;
    Within(kFollowDeadline, [&] {
      created = CreateRequest(coordinator_, newcomer, kind);
      return created.ok();
    });
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : mv1::VolunteerRequest();
  }

  absl::StatusOr<mv1::Match> Accept(const std::string& token,
                                    const std::string& match) {
    mv1::AcceptMatchRequest accept;
    accept.set_name(match);
    return Call(*stub_, &MatchingStub::AcceptMatch, token, accept);
  }

  // --- The SMTP sink, shared by the suite's tests. ---

  static std::vector<SmtpMessage> MailsTo(const std::string& address) {
    std::vector<SmtpMessage> mails;
    for (SmtpMessage& message : smtp_->Messages()) {
      for (const std::string& recipient : message.recipients) {
        if (recipient == address) {
          mails.push_back(std::move(message));
          break;
        }
      }
    }
    return mails;
  }

  static inline std::unique_ptr<SmtpSink> smtp_;
  static inline std::unique_ptr<ServiceProcess> notifications_;

  std::unique_ptr<NotificationsStub> notifications_stub_;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_E2E_NOTIFICATIONS_E2E_FIXTURE_H_
