// Whether an e-mail goes out now, later, in a digest or not at all, for
// the situations a recipient lives through.
#include "services/notifications/delivery_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/preference_rules.h"
#include "tests/notifications/time_test_util.h"

namespace brobygger::notifications {
namespace {

using testing::Dk;
using ::testing::HasSubstr;

constexpr v1::Channel kEmail = v1::CHANNEL_EMAIL;

// E-mail for everything, default quiet hours (21-08), 10 an hour, no
// digest.
v1::NotificationPreferences EmailPerson() {
  v1::NotificationPreferences prefs;
  prefs.add_channels(kEmail);
  prefs.add_urgent_channels(kEmail);
  prefs.set_email_address("amina@example.dk");
  return EffectivePreferences(prefs);
}

// A Wednesday afternoon and the night after it.
const absl::Time kAfternoon = Dk(2026, 6, 10, 14, 0);
const absl::Time kNight = Dk(2026, 6, 10, 23, 30);

TEST(DeliveryPolicyTest, NoEmailForAnActorWhoDidNotChooseIt) {
  const v1::NotificationPreferences defaults =
      EffectivePreferences(v1::NotificationPreferences());
  for (v1::Urgency urgency : {v1::URGENCY_NORMAL, v1::URGENCY_URGENT}) {
    EXPECT_FALSE(NeedsRateLimit(defaults, kEmail, urgency, kAfternoon));
    const DeliveryDecision decision =
        DecideDelivery(defaults, kEmail, urgency, kAfternoon, true);
    EXPECT_EQ(decision.kind, DeliveryDecision::kSkip);
    EXPECT_THAT(decision.reason, HasSubstr("not chosen"));
  }
}

TEST(DeliveryPolicyTest, EachUrgencyHasItsOwnChannelList) {
  v1::NotificationPreferences urgent_only = EmailPerson();
  urgent_only.clear_channels();
  EXPECT_EQ(
      DecideDelivery(urgent_only, kEmail, v1::URGENCY_NORMAL, kAfternoon, true)
          .kind,
      DeliveryDecision::kSkip);
  EXPECT_EQ(
      DecideDelivery(urgent_only, kEmail, v1::URGENCY_URGENT, kAfternoon, true)
          .kind,
      DeliveryDecision::kSendAt);

  v1::NotificationPreferences normal_only = EmailPerson();
  normal_only.clear_urgent_channels();
  EXPECT_EQ(
      DecideDelivery(normal_only, kEmail, v1::URGENCY_URGENT, kAfternoon, true)
          .kind,
      DeliveryDecision::kSkip);
}

TEST(DeliveryPolicyTest, UrgentGoesAtOnceAtNightInADigestAndOverTheLimit) {
  v1::NotificationPreferences prefs = EmailPerson();
  prefs.set_digest_frequency(v1::DIGEST_FREQUENCY_WEEKLY);
  EXPECT_FALSE(NeedsRateLimit(prefs, kEmail, v1::URGENCY_URGENT, kNight));
  const DeliveryDecision decision =
      DecideDelivery(prefs, kEmail, v1::URGENCY_URGENT, kNight, false);
  EXPECT_EQ(decision.kind, DeliveryDecision::kSendAt);
  EXPECT_EQ(decision.send_at, kNight);
}

TEST(DeliveryPolicyTest, ADigestSubscriberGetsNonUrgentMessagesInTheDigest) {
  v1::NotificationPreferences prefs = EmailPerson();
  prefs.set_digest_frequency(v1::DIGEST_FREQUENCY_DAILY);
  prefs.set_digest_hour(17);
  // The digest decides, day or night, without using up the hour's limit.
  EXPECT_FALSE(NeedsRateLimit(prefs, kEmail, v1::URGENCY_NORMAL, kAfternoon));
  const DeliveryDecision decision =
      DecideDelivery(prefs, kEmail, v1::URGENCY_NORMAL, kAfternoon, true);
  EXPECT_EQ(decision.kind, DeliveryDecision::kDigest);
  EXPECT_EQ(decision.send_at, Dk(2026, 6, 10, 17, 0));
  EXPECT_THAT(decision.reason, HasSubstr("2026-06-10 17:00"));

  const DeliveryDecision at_night =
      DecideDelivery(prefs, kEmail, v1::URGENCY_NORMAL, kNight, true);
  EXPECT_EQ(at_night.kind, DeliveryDecision::kDigest);
  EXPECT_EQ(at_night.send_at, Dk(2026, 6, 11, 17, 0));
}

TEST(DeliveryPolicyTest, QuietHoursDeferToTheirEnd) {
  const v1::NotificationPreferences prefs = EmailPerson();
  EXPECT_FALSE(NeedsRateLimit(prefs, kEmail, v1::URGENCY_NORMAL, kNight));
  const DeliveryDecision decision =
      DecideDelivery(prefs, kEmail, v1::URGENCY_NORMAL, kNight, true);
  EXPECT_EQ(decision.kind, DeliveryDecision::kSendAt);
  EXPECT_EQ(decision.send_at, Dk(2026, 6, 11, 8, 0));
  EXPECT_THAT(decision.reason, HasSubstr("quiet hours until 2026-06-11 08:00"));
}

TEST(DeliveryPolicyTest, ByDayTheRateLimitDecides) {
  const v1::NotificationPreferences prefs = EmailPerson();
  EXPECT_TRUE(NeedsRateLimit(prefs, kEmail, v1::URGENCY_NORMAL, kAfternoon));
  const DeliveryDecision allowed =
      DecideDelivery(prefs, kEmail, v1::URGENCY_NORMAL, kAfternoon, true);
  EXPECT_EQ(allowed.kind, DeliveryDecision::kSendAt);
  EXPECT_EQ(allowed.send_at, kAfternoon);

  // Over the limit with no digest chosen: the daily digest, whose default
  // hour (00:00) lies in quiet hours, so 08:00 the next morning.
  const DeliveryDecision held =
      DecideDelivery(prefs, kEmail, v1::URGENCY_NORMAL, kAfternoon, false);
  EXPECT_EQ(held.kind, DeliveryDecision::kDigest);
  EXPECT_EQ(held.send_at, Dk(2026, 6, 11, 8, 0));
  EXPECT_THAT(held.reason, HasSubstr("more than 10 messages this hour"));
}

TEST(DeliveryPolicyTest, UnspecifiedUrgencyIsNormal) {
  const v1::NotificationPreferences prefs = EmailPerson();
  EXPECT_TRUE(
      NeedsRateLimit(prefs, kEmail, v1::URGENCY_UNSPECIFIED, kAfternoon));
  EXPECT_EQ(DecideDelivery(prefs, kEmail, v1::URGENCY_UNSPECIFIED, kNight, true)
                .send_at,
            Dk(2026, 6, 11, 8, 0));
}

TEST(DeliveryPolicyTest, WithoutQuietHoursNightIsLikeDay) {
  v1::NotificationPreferences prefs = EmailPerson();
  prefs.mutable_quiet_hours()->Clear();  // equal start and end
  EXPECT_TRUE(NeedsRateLimit(prefs, kEmail, v1::URGENCY_NORMAL, kNight));
  EXPECT_EQ(
      DecideDelivery(prefs, kEmail, v1::URGENCY_NORMAL, kNight, true).send_at,
      kNight);
}

}  // namespace
}  // namespace brobygger::notifications
