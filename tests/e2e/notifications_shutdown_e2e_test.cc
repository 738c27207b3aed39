// A graceful shutdown of the notification service as a watching app sees
// it: on SIGTERM the open watch ends at once with UNAVAILABLE (so the app
// reconnects to another replica) instead of hanging until the drain
// deadline, and after the restart the app resumes with its cursor and gets
// what happened while the service was down.
#include <future>
#include <string>

#include "gtest/gtest.h"
#include "tests/e2e/notifications_e2e_fixture.h"

namespace brobygger::test {
namespace {

class NotificationsShutdownE2eTest : public NotificationsE2eTest {};

TEST_F(NotificationsShutdownE2eTest,
       WatchEndsUnavailableOnSigtermAndResumesAfterTheRestart) {
  const rv1::Actor club = MustCreateActor(Organisation(
      rv1::ACTOR_KIND_SOCIAL_ASSOCIATION, "Vamdrup Madklub", {"Vamdrup"}));
  const rv1::Actor senait = MustCreateActor(Volunteer("Senait", {"Vamdrup"}));
  const std::string token = TokenOf(senait);
  MustSubscribe(token,
                ActorSubscription(senait.name(), {nv1::TOPIC_ACTIVITIES}));

  std::string cursor;
  {
    InboxWatch watch(*notifications_stub_, token, InboxOf(senait.name()));
    const catalogue::v1::Activity before =
        MustPublishActivity("Sprogcafé", "Vamdrup", club);
    std::optional<nv1::Notification> live =
        watch.NextNotification(kDeliveryDeadline);
    ASSERT_TRUE(live.has_value()) << "the activity never came live";
    EXPECT_EQ(live->resource(), before.name());
    cursor = watch.cursor();

    // Terminate() waits for the exit, so it runs beside the watch.
    std::future<absl::StatusOr<int>> terminated =
        std::async(std::launch::async, [] {
          return notifications_->Terminate(2 * kNotificationsDrainTimeout);
        });
    // Well before the drain deadline (kNotificationsDrainTimeout).
    const std::optional<grpc::Status> end = watch.End(kDeliveryDeadline);
    ASSERT_TRUE(end.has_value())
        << "the watch stayed open after SIGTERM, holding up the drain";
    EXPECT_EQ(end->error_code(), grpc::StatusCode::UNAVAILABLE)
        << end->error_message();
    const absl::StatusOr<int> exit_code = terminated.get();
    ASSERT_TRUE(exit_code.ok()) << exit_code.status();
    EXPECT_EQ(*exit_code, 0);
  }

  // While it is down, the catalogue goes on.
  const catalogue::v1::Activity meanwhile =
      MustPublishActivity("Lektiecafé", "Vamdrup", club);
  const absl::Status restarted = notifications_->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;

  InboxWatch resumed(*notifications_stub_, token, InboxOf(senait.name()),
                     cursor);
  std::optional<nv1::Notification> next =
      resumed.NextNotification(kDeliveryDeadline);
  ASSERT_TRUE(next.has_value()) << "nothing after the restart";
  EXPECT_EQ(next->resource(), meanwhile.name());
}

}  // namespace
}  // namespace brobygger::test
