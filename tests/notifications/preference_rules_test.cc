// Notification preferences as an actor edits them: what is refused (and
// which field the error names), which defaults apply, and how a masked
// update merges.
#include "services/notifications/preference_rules.h"

#include <set>
#include <string>

#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "services/notifications/email_address.h"

namespace brobygger::notifications {
namespace {

std::set<std::string> Fields(const absl::Status& status) {
  std::set<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    fields.insert(violation.field);
  }
  return fields;
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

v1::NotificationPreferences EmailEveryday() {
  v1::NotificationPreferences prefs;
  prefs.add_channels(v1::CHANNEL_EMAIL);
  prefs.add_urgent_channels(v1::CHANNEL_EMAIL);
  prefs.set_email_address("amina.hassan@example.dk");
  prefs.mutable_quiet_hours()->mutable_start()->set_hours(22);
  prefs.mutable_quiet_hours()->mutable_end()->set_hours(7);
  prefs.mutable_quiet_hours()->mutable_end()->set_minutes(30);
  prefs.set_max_per_hour(20);
  prefs.set_digest_frequency(v1::DIGEST_FREQUENCY_WEEKLY);
  prefs.set_digest_weekday(7);
  prefs.set_digest_hour(18);
  return prefs;
}

TEST(ValidatePreferencesTest, TheDefaultsAndAFullChoiceAreValid) {
  EXPECT_TRUE(ValidatePreferences(v1::NotificationPreferences()).ok());
  EXPECT_TRUE(ValidatePreferences(EmailEveryday()).ok());
}

TEST(ValidatePreferencesTest, EveryOffendingFieldIsNamed) {
  v1::NotificationPreferences prefs = EmailEveryday();
  prefs.add_channels(v1::CHANNEL_EMAIL);
  prefs.add_urgent_channels(v1::CHANNEL_UNSPECIFIED);
  prefs.add_urgent_channels(static_cast<v1::Channel>(42));
  prefs.mutable_quiet_hours()->mutable_start()->set_hours(24);
  prefs.mutable_quiet_hours()->mutable_end()->set_minutes(60);
  prefs.set_max_per_hour(101);
  prefs.set_digest_frequency(static_cast<v1::DigestFrequency>(9));
  prefs.set_digest_weekday(8);
  prefs.set_digest_hour(-1);
  const absl::Status status = ValidatePreferences(prefs);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Fields(status),
      (std::set<std::string>{"notification_preferences.channels[1]",
                             "notification_preferences.urgent_channels[1]",
                             "notification_preferences.urgent_channels[2]",
                             "notification_preferences.quiet_hours.start.hours",
                             "notification_preferences.quiet_hours.end.minutes",
                             "notification_preferences.max_per_hour",
                             "notification_preferences.digest_frequency",
                             "notification_preferences.digest_weekday",
                             "notification_preferences.digest_hour"}));
}

TEST(ValidatePreferencesTest, LimitsAreInclusive) {
  v1::NotificationPreferences prefs = EmailEveryday();
  prefs.set_max_per_hour(100);
  prefs.set_digest_weekday(0);
  prefs.set_digest_hour(23);
  prefs.mutable_quiet_hours()->mutable_start()->set_hours(23);
  prefs.mutable_quiet_hours()->mutable_start()->set_minutes(59);
  EXPECT_TRUE(ValidatePreferences(prefs).ok());
  prefs.set_max_per_hour(-1);
  EXPECT_EQ(Fields(ValidatePreferences(prefs)),
            std::set<std::string>{"notification_preferences.max_per_hour"});
}

TEST(ValidatePreferencesTest, EmailChannelNeedsAnAddressInEitherList) {
  v1::NotificationPreferences urgent_only;
  urgent_only.add_urgent_channels(v1::CHANNEL_EMAIL);
  EXPECT_EQ(Fields(ValidatePreferences(urgent_only)),
            std::set<std::string>{"notification_preferences.email_address"});

  v1::NotificationPreferences normal_only;
  normal_only.add_channels(v1::CHANNEL_EMAIL);
  EXPECT_EQ(Fields(ValidatePreferences(normal_only)),
            std::set<std::string>{"notification_preferences.email_address"});

  // An address without the channel is kept for later.
  v1::NotificationPreferences address_only;
  address_only.set_email_address("volunteer@example.dk");
  EXPECT_TRUE(ValidatePreferences(address_only).ok());
}

TEST(ValidatePreferencesTest, AnImplausibleOrLongAddressIsRefused) {
  v1::NotificationPreferences prefs = EmailEveryday();
  for (const std::string& address :
       {std::string("amina"), std::string("amina@localhost"),
        std::string("Amina <amina@example.dk>"),
        std::string("amina@example.dk\r\nBcc: all@example.dk"),
        std::string(250, 'a') + "@example.dk"}) {
    prefs.set_email_address(address);
    const absl::Status status = ValidatePreferences(prefs);
    EXPECT_EQ(Fields(status),
              std::set<std::string>{"notification_preferences.email_address"})
        << address;
  }
}

// E-mail address syntax itself: email_address_test.cc.

TEST(EffectivePreferencesTest, SpellsOutTheDefaults) {
  const v1::NotificationPreferences effective =
      EffectivePreferences(v1::NotificationPreferences());
  EXPECT_TRUE(effective.channels().empty());
  EXPECT_TRUE(effective.urgent_channels().empty());
  EXPECT_EQ(effective.quiet_hours().start().hours(), 21);
  EXPECT_EQ(effective.quiet_hours().start().minutes(), 0);
  EXPECT_EQ(effective.quiet_hours().end().hours(), 8);
  EXPECT_EQ(effective.quiet_hours().end().minutes(), 0);
  EXPECT_EQ(effective.max_per_hour(), 10);
  EXPECT_EQ(effective.digest_frequency(), v1::DIGEST_FREQUENCY_NONE);
  EXPECT_EQ(effective.digest_weekday(), 1);
  EXPECT_EQ(effective.digest_hour(), 0);
}

TEST(EffectivePreferencesTest, KeepsWhatTheActorChose) {
  const v1::NotificationPreferences chosen = EmailEveryday();
  const v1::NotificationPreferences effective = EffectivePreferences(chosen);
  EXPECT_EQ(effective.SerializeAsString(), chosen.SerializeAsString());

  // Equal start and end are "no quiet hours", not "the default".
  v1::NotificationPreferences none;
  none.mutable_quiet_hours();
  EXPECT_EQ(EffectivePreferences(none).quiet_hours().start().hours(), 0);
  EXPECT_EQ(EffectivePreferences(none).quiet_hours().end().hours(), 0);
}

TEST(ApplyPreferencesUpdateTest, ChangesOnlyTheMaskedFields) {
  v1::NotificationPreferences current = EmailEveryday();
  current.set_name("municipalities/aalborg/inboxes/12/preferences");
  current.set_etag("\"3\"");
  v1::NotificationPreferences patch;
  patch.set_digest_frequency(v1::DIGEST_FREQUENCY_DAILY);
  patch.set_digest_hour(7);
  patch.set_max_per_hour(50);  // not in the mask
  auto updated = ApplyPreferencesUpdate(
      current, patch, Mask({"digest_frequency", "digest_hour"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->digest_frequency(), v1::DIGEST_FREQUENCY_DAILY);
  EXPECT_EQ(updated->digest_hour(), 7);
  EXPECT_EQ(updated->max_per_hour(), 20);
  EXPECT_EQ(updated->email_address(), "amina.hassan@example.dk");
  EXPECT_EQ(updated->name(), current.name());
  EXPECT_EQ(updated->etag(), current.etag());
}

TEST(ApplyPreferencesUpdateTest, ListsAndQuietHoursAreReplacedNotMerged) {
  const v1::NotificationPreferences current = EmailEveryday();
  v1::NotificationPreferences patch;
  patch.mutable_quiet_hours()->mutable_start()->set_hours(23);
  auto updated =
      ApplyPreferencesUpdate(current, patch, Mask({"channels", "quiet_hours"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->channels().empty());
  EXPECT_EQ(updated->urgent_channels_size(), 1);
  EXPECT_EQ(updated->quiet_hours().start().hours(), 23);
  EXPECT_EQ(updated->quiet_hours().end().hours(), 0);
  EXPECT_EQ(updated->quiet_hours().end().minutes(), 0);

  // quiet_hours masked but unset in the patch: back to the defaults.
  auto reset = ApplyPreferencesUpdate(current, v1::NotificationPreferences(),
                                      Mask({"quiet_hours"}));
  ASSERT_TRUE(reset.ok()) << reset.status();
  EXPECT_FALSE(reset->has_quiet_hours());
  EXPECT_EQ(EffectivePreferences(*reset).quiet_hours().start().hours(), 21);
}

TEST(ApplyPreferencesUpdateTest, StarReplacesEverythingButOutputOnlyFields) {
  v1::NotificationPreferences current = EmailEveryday();
  current.set_name("municipalities/aalborg/inboxes/12/preferences");
  v1::NotificationPreferences patch;
  patch.set_name("municipalities/aalborg/inboxes/99/preferences");
  patch.set_max_per_hour(5);
  auto updated = ApplyPreferencesUpdate(current, patch, Mask({"*"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->name(), current.name());
  EXPECT_EQ(updated->max_per_hour(), 5);
  EXPECT_TRUE(updated->channels().empty());
  EXPECT_TRUE(updated->email_address().empty());
  EXPECT_FALSE(updated->has_quiet_hours());
  EXPECT_EQ(updated->digest_frequency(), v1::DIGEST_FREQUENCY_UNSPECIFIED);
}

TEST(ApplyPreferencesUpdateTest, BadMasksNameUpdateMask) {
  const v1::NotificationPreferences current = EmailEveryday();
  for (const auto& mask :
       {Mask({}), Mask({"colour"}), Mask({"name"}), Mask({"etag"}),
        Mask({"quiet_hours.start"}), Mask({"*", "channels"})}) {
    auto updated = ApplyPreferencesUpdate(current, current, mask);
    ASSERT_FALSE(updated.ok()) << mask.DebugString();
    EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(Fields(updated.status()), std::set<std::string>{"update_mask"})
        << mask.DebugString() << updated.status();
  }
}

TEST(ApplyPreferencesUpdateTest, TheMergedResultIsValidated) {
  // Choosing e-mail is fine when the stored preferences have an address...
  v1::NotificationPreferences with_address;
  with_address.set_email_address("jens@example.dk");
  v1::NotificationPreferences patch;
  patch.add_channels(v1::CHANNEL_EMAIL);
  EXPECT_TRUE(
      ApplyPreferencesUpdate(with_address, patch, Mask({"channels"})).ok());
  // ...and refused when nobody gave one.
  auto refused = ApplyPreferencesUpdate(v1::NotificationPreferences(), patch,
                                        Mask({"channels"}));
  EXPECT_EQ(Fields(refused.status()),
            std::set<std::string>{"notification_preferences.email_address"});
  // Removing the address while e-mail stays chosen is refused too.
  auto removed = ApplyPreferencesUpdate(
      EmailEveryday(), v1::NotificationPreferences(), Mask({"email_address"}));
  EXPECT_EQ(Fields(removed.status()),
            std::set<std::string>{"notification_preferences.email_address"});
}

}  // namespace
}  // namespace brobygger::notifications
