// Notifications leaving the service, end to end: an NGO's system receives
// a match proposal for one of its volunteers as a signed webhook POST
// (retried with the same delivery id until it is acknowledged), and a
// volunteer who chose e-mail for urgent messages receives the proposal as
// an e-mail through the relay. Real registry, matching and notifications
// binaries; an HttpReceiver and an SmtpSink stand in for the outside.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/matching/v1/events.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/notifications/webhook_signature.h"
#include "tests/e2e/notifications_e2e_fixture.h"
#include "tests/support/http_receiver.h"

namespace brobygger::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class NotificationsDeliveryE2eTest : public NotificationsE2eTest {
 protected:
  // The Red Cross, its volunteer Senait (who speaks Tigrinya) and a
  // newcomer, Yonas Tesfay, waiting for a reception buddy.
  void SetUp() override {
    NotificationsE2eTest::SetUp();
    if (HasFatalFailure()) return;
    red_cross_ = MustCreateActor(Organisation(
        rv1::ACTOR_KIND_NGO_BRANCH, "Røde Kors Kolding", {"Vamdrup"}));
    senait_ = MustCreateCorpsVolunteer("Senait", red_cross_.name());
    newcomer_ = MustCreateNewcomer("Yonas");
    request_ = MustCreateRequest(newcomer_.name());
    ASSERT_FALSE(request_.name().empty());
  }

  // The Red Cross's app registers `receiver` and subscribes it to matches.
  // Returns the endpoint as created, with its secret.
  nv1::WebhookEndpoint MustRegisterWebhook(const HttpReceiver& receiver) {
    const std::string app = AppTokenOf(red_cross_);
    nv1::CreateWebhookEndpointRequest create;
    create.set_parent(Parent());
    create.mutable_webhook_endpoint()->set_owner(red_cross_.name());
    create.mutable_webhook_endpoint()->set_display_name("Røde Kors app");
    create.mutable_webhook_endpoint()->set_url(receiver.Url("/brobygger"));
    absl::StatusOr<nv1::WebhookEndpoint> endpoint;
    Within(kFollowDeadline, [&] {
      endpoint = Call(*notifications_stub_,
                      &NotificationsStub::CreateWebhookEndpoint, app, create);
      return endpoint.status().code() != absl::StatusCode::kNotFound;
    });
    EXPECT_TRUE(endpoint.ok()) << endpoint.status();
    if (!endpoint.ok()) return nv1::WebhookEndpoint();
    EXPECT_FALSE(endpoint->secret().empty());
    nv1::Subscription subscription;
    subscription.set_webhook(endpoint->name());
    subscription.add_topics(nv1::TOPIC_MATCHES);
    auto subscribed = Subscribe(app, subscription);
    EXPECT_TRUE(subscribed.ok()) << subscribed.status();
    return *endpoint;
  }

  // Checks what a receiver checks, and that the body is the event about
  // `match` without the newcomer's name. Returns the event.
  events::v1::Event ExpectSignedEventAbout(const ReceivedRequest& request,
                                           const std::string& secret,
                                           const std::string& match) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/brobygger");
    EXPECT_THAT(request.Header("Content-Type"), HasSubstr("application/json"));
    EXPECT_FALSE(request.Header("Brobygger-Delivery").empty());
    const absl::Status signature = notifications::VerifyWebhookSignature(
        secret, request.Header("Brobygger-Signature"), request.body,
        absl::Now());
    EXPECT_TRUE(signature.ok()) << signature;
    EXPECT_FALSE(notifications::VerifyWebhookSignature(
                     secret, request.Header("Brobygger-Signature"),
                     absl::StrCat(request.body, " "), absl::Now())
                     .ok())
        << "the signature does not cover the body";

    events::v1::Event event;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        request.body, &event, options);
    EXPECT_TRUE(parsed.ok()) << parsed.ToString() << "\n" << request.body;
    EXPECT_EQ(event.municipality(), municipality_);
    EXPECT_EQ(event.resource(), match);
    EXPECT_EQ(request.Header("Brobygger-Event-Type"), event.type());
    // A match event names no newcomer: the app learns who it is through
    // the registry once the volunteer accepted.
    EXPECT_THAT(request.body, Not(HasSubstr("Yonas")));
    EXPECT_THAT(request.body, Not(HasSubstr("Tesfay")));
    return event;
  }

  rv1::Actor red_cross_;
  rv1::Actor senait_;
  rv1::Actor newcomer_;
  mv1::VolunteerRequest request_;
};

TEST_F(NotificationsDeliveryE2eTest,
       NgoSystemReceivesEachMatchEventOnceAsASignedWebhook) {
  HttpReceiver receiver;
  const nv1::WebhookEndpoint endpoint = MustRegisterWebhook(receiver);
  ASSERT_FALSE(endpoint.name().empty());

  const mv1::Match proposed = MustPropose(request_.name(), senait_);
  ASSERT_TRUE(receiver.WaitForRequests(1, kDeliveryDeadline))
      << "no POST arrived";
  const ReceivedRequest first = receiver.Requests()[0];
  const events::v1::Event event =
      ExpectSignedEventAbout(first, endpoint.secret(), proposed.name());
  mv1::MatchProposed payload;
  ASSERT_TRUE(event.payload().UnpackTo(&payload)) << first.body;
  EXPECT_EQ(payload.match().name(), proposed.name());
  EXPECT_EQ(payload.match().volunteer(), senait_.name());
  EXPECT_EQ(payload.match().organisation(), red_cross_.name());

  // Senait accepts: the next POST is that answer, a delivery of its own,
  // and the proposal was not sent twice before it.
  ASSERT_TRUE(Accept(TokenOf(senait_), proposed.name()).ok());
  ASSERT_TRUE(receiver.WaitForRequests(2, kDeliveryDeadline))
      << "the acceptance never arrived";
  const std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 2u);
  const events::v1::Event accepted =
      ExpectSignedEventAbout(requests[1], endpoint.secret(), proposed.name());
  EXPECT_EQ(accepted.type(), "brobygger.matching.v1.MatchAccepted");
  EXPECT_NE(requests[1].Header("Brobygger-Delivery"),
            first.Header("Brobygger-Delivery"));
}

TEST_F(NotificationsDeliveryE2eTest,
       FailingReceiverGetsTheSameDeliveryAgainUntilItAcknowledges) {
  HttpReceiver receiver;
  receiver.RespondWith({500, 503});  // then 200
  const nv1::WebhookEndpoint endpoint = MustRegisterWebhook(receiver);
  ASSERT_FALSE(endpoint.name().empty());

  const mv1::Match proposed = MustPropose(request_.name(), senait_);
  // Retries wait up to 1 s and then up to 2 s (full jitter).
  ASSERT_TRUE(receiver.WaitForRequests(3, kDeliveryDeadline))
      << "only " << receiver.RequestCount() << " attempts arrived";
  const std::vector<ReceivedRequest> attempts = receiver.Requests();
  ASSERT_EQ(attempts.size(), 3u);
  const std::string delivery = attempts[0].Header("Brobygger-Delivery");
  for (const ReceivedRequest& attempt : attempts) {
    EXPECT_EQ(attempt.Header("Brobygger-Delivery"), delivery);
    EXPECT_EQ(attempt.body, attempts[0].body);
    ExpectSignedEventAbout(attempt, endpoint.secret(), proposed.name());
  }

  // The third was acknowledged: the owner sees the success, the circuit
  // stayed closed, and the next delivery is a new one.
  nv1::GetWebhookEndpointRequest get;
  get.set_name(endpoint.name());
  absl::StatusOr<nv1::WebhookEndpoint> seen;
  EXPECT_TRUE(Within(kDeliveryDeadline, [&] {
    seen = Call(*notifications_stub_, &NotificationsStub::GetWebhookEndpoint,
                AppTokenOf(red_cross_), get);
    return seen.ok() && seen->has_last_success_time();
  })) << (seen.ok() ? seen->DebugString() : seen.status().ToString());
  EXPECT_EQ(seen->circuit_state(), nv1::WebhookEndpoint::CIRCUIT_STATE_CLOSED);
  EXPECT_TRUE(seen->secret().empty()) << "the secret is shown only once";

  ASSERT_TRUE(Accept(TokenOf(senait_), proposed.name()).ok());
  ASSERT_TRUE(receiver.WaitForRequests(4, kDeliveryDeadline));
  const std::vector<ReceivedRequest> requests = receiver.Requests();
  ASSERT_EQ(requests.size(), 4u) << "the acknowledged delivery came again";
  EXPECT_NE(requests[3].Header("Brobygger-Delivery"), delivery);
}

TEST_F(NotificationsDeliveryE2eTest,
       VolunteerWhoChoseEmailGetsAnUrgentProposalByEmail) {
  const std::string token = TokenOf(senait_);
  const std::string address =
      absl::StrCat("senait.", municipality_, "@example.dk");
  MustSubscribe(token, ActorSubscription(senait_.name(), {nv1::TOPIC_MATCHES}));
  nv1::UpdateNotificationPreferencesRequest update;
  nv1::NotificationPreferences* preferences =
      update.mutable_notification_preferences();
  preferences->set_name(absl::StrCat(InboxOf(senait_.name()), "/preferences"));
  preferences->add_channels(nv1::CHANNEL_EMAIL);
  preferences->add_urgent_channels(nv1::CHANNEL_EMAIL);
  preferences->set_email_address(address);
  // Equal start and end: no quiet hours.
  preferences->mutable_quiet_hours()->mutable_start()->set_hours(12);
  preferences->mutable_quiet_hours()->mutable_end()->set_hours(12);
  for (const char* path :
       {"channels", "urgent_channels", "email_address", "quiet_hours"}) {
    update.mutable_update_mask()->add_paths(path);
  }
  auto updated =
      Call(*notifications_stub_,
           &NotificationsStub::UpdateNotificationPreferences, token, update);
  ASSERT_TRUE(updated.ok()) << updated.status();

  const mv1::Match proposed = MustPropose(request_.name(), senait_);
  const nv1::ListNotificationsResponse inbox =
      WaitForMessages(token, senait_.name(), 1);
  ASSERT_EQ(inbox.notifications_size(), 1);
  const nv1::Notification& message = inbox.notifications(0);
  EXPECT_EQ(message.urgency(), nv1::URGENCY_URGENT);
  EXPECT_EQ(message.resource(), proposed.name());

  EXPECT_TRUE(
      Within(kDeliveryDeadline, [&] { return !MailsTo(address).empty(); }))
      << "no e-mail to " << address;
  const std::vector<SmtpMessage> mails = MailsTo(address);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].recipients, std::vector<std::string>{address});
  EXPECT_EQ(mails[0].envelope_from, "brobygger@kolding.dk");
  EXPECT_EQ(MailHeader(mails[0], "Subject"), message.title());
  EXPECT_THAT(mails[0].data, Not(HasSubstr("Yonas")));
}

}  // namespace
}  // namespace brobygger::test
