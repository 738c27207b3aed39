// The notifications commands' options: enum values in short forms, quiet
// hours, inbox names, and requests whose field mask holds exactly the
// options given (a mask with more would overwrite what the user did not
// mention; one with less would silently drop what they did).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/notification_options.h"
#include "tools/broctl/notification_requests.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::notifications::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

Args Parsed(const std::vector<std::string>& argv) {
  auto args = Args::Parse(argv);
  EXPECT_TRUE(args.ok()) << args.status();
  return args.ok() ? *args : *Args::Parse({});
}

std::vector<std::string> MaskOf(const google::protobuf::FieldMask& mask) {
  return {mask.paths().begin(), mask.paths().end()};
}

template <typename T>
std::string ErrorOf(const absl::StatusOr<T>& result) {
  if (result.ok()) return "OK";
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(result.status().message());
}

TEST(NotificationEnumTest, AcceptsShortAndFullForms) {
  EXPECT_EQ(*ParseTopic("activities"), v1::TOPIC_ACTIVITIES);
  EXPECT_EQ(*ParseTopic("TOPIC_ACTIVITIES"), v1::TOPIC_ACTIVITIES);
  EXPECT_EQ(*ParseTopic("newcomer-placed"), v1::TOPIC_NEWCOMER_PLACED);
  EXPECT_EQ(*ParseTopic(" Matches "), v1::TOPIC_MATCHES);
  EXPECT_EQ(*ParseChannel("email", "channels"), v1::CHANNEL_EMAIL);
  EXPECT_EQ(*ParseDigestFrequency("weekly"), v1::DIGEST_FREQUENCY_WEEKLY);
  EXPECT_EQ(*ParseDigestFrequency("none"), v1::DIGEST_FREQUENCY_NONE);
  EXPECT_EQ(*ParseActorKind("volunteer"), registry::v1::ACTOR_KIND_VOLUNTEER);
  EXPECT_EQ(*ParseActorKind("ngo-branch"), registry::v1::ACTOR_KIND_NGO_BRANCH);
}

TEST(NotificationEnumTest, UnknownValuesNameTheOptionAndListTheValues) {
  const std::string topic = ErrorOf(ParseTopic("activitys"));
  EXPECT_THAT(topic, HasSubstr("--topics"));
  EXPECT_THAT(topic, HasSubstr("ACTIVITIES, NEWCOMER_PLACED, MATCHES"));
  // The UNSPECIFIED value is not a choice.
  EXPECT_THAT(ErrorOf(ParseTopic("unspecified")), HasSubstr("--topics"));
  EXPECT_THAT(ErrorOf(ParseChannel("sms", "urgent-channels")),
              HasSubstr("--urgent-channels"));
  EXPECT_THAT(ErrorOf(ParseDigestFrequency("hourly")), HasSubstr("--digest"));
}

TEST(NotificationEnumTest, WeekdaysByNumberOrName) {
  EXPECT_EQ(*ParseWeekday("1"), 1);
  EXPECT_EQ(*ParseWeekday("7"), 7);
  EXPECT_EQ(*ParseWeekday("Friday"), 5);
  EXPECT_EQ(*ParseWeekday("sun"), 7);
  EXPECT_THAT(ErrorOf(ParseWeekday("0")), HasSubstr("--digest-weekday"));
  EXPECT_THAT(ErrorOf(ParseWeekday("8")), HasSubstr("1 (Monday) to 7"));
  // Too short to tell Tuesday from Thursday.
  EXPECT_NE(ErrorOf(ParseWeekday("t")), "OK");
}

TEST(QuietHoursTest, ReadsSpansAcrossMidnightAndShortForms) {
  auto night = ParseQuietHours("21:00-08:00");
  ASSERT_TRUE(night.ok()) << night.status();
  ASSERT_TRUE(night->has_value());
  EXPECT_EQ((*night)->start().hours(), 21);
  EXPECT_EQ((*night)->start().minutes(), 0);
  EXPECT_EQ((*night)->end().hours(), 8);
  auto short_form = ParseQuietHours(" 22:30 - 7 ");
  ASSERT_TRUE(short_form.ok()) << short_form.status();
  EXPECT_EQ((*short_form)->start().hours(), 22);
  EXPECT_EQ((*short_form)->start().minutes(), 30);
  EXPECT_EQ((*short_form)->end().hours(), 7);
  EXPECT_EQ((*short_form)->end().minutes(), 0);
}

TEST(QuietHoursTest, NoneIsEqualTimesAndDefaultIsUnset) {
  auto none = ParseQuietHours("none");
  ASSERT_TRUE(none.ok());
  ASSERT_TRUE(none->has_value());
  EXPECT_TRUE((*none)->has_start());
  EXPECT_TRUE((*none)->has_end());
  EXPECT_EQ((*none)->start().hours(), (*none)->end().hours());
  EXPECT_EQ((*none)->start().minutes(), (*none)->end().minutes());
  auto fallback = ParseQuietHours("Default");
  ASSERT_TRUE(fallback.ok());
  EXPECT_FALSE(fallback->has_value());
}

TEST(QuietHoursTest, RefusesWhatIsNotTwoTimesOfDay) {
  for (const char* bad :
       {"", "21:00", "24:00-08:00", "21:60-08:00", "21:0-08:00", "9pm-8am",
        "21:00-08:00-09:00", "-1:00-08:00", "021:00-08:00", "21:00:00-08:00"}) {
    EXPECT_THAT(ErrorOf(ParseQuietHours(bad)), HasSubstr("--quiet-hours"))
        << bad;
  }
}

TEST(InboxNameTest, AcceptsInboxActorOrIdWithParent) {
  const Args none = Parsed({});
  EXPECT_EQ(*InboxName(none, "municipalities/aalborg/inboxes/12"),
            "municipalities/aalborg/inboxes/12");
  EXPECT_EQ(*InboxName(none, "municipalities/aalborg/actors/12"),
            "municipalities/aalborg/inboxes/12");
  EXPECT_EQ(*InboxName(none, "municipalities/aalborg/inboxes/12/preferences"),
            "municipalities/aalborg/inboxes/12");
  EXPECT_EQ(*InboxName(Parsed({"--parent", "aalborg"}), "12"),
            "municipalities/aalborg/inboxes/12");
  EXPECT_EQ(*InboxName(Parsed({"--parent", "municipalities/aalborg"}), "12"),
            "municipalities/aalborg/inboxes/12");
}

TEST(InboxNameTest, RefusesOtherNamesAndBareIdsWithoutParent) {
  const Args none = Parsed({});
  EXPECT_THAT(ErrorOf(InboxName(none, "12")), HasSubstr("--parent"));
  for (const char* bad :
       {"", "municipalities/aalborg/webhooks/3", "aalborg/12",
        "municipalities/aalborg/inboxes/", "municipalities//inboxes/3",
        "municipalities/aalborg/inboxes/12/notifications/1-0"}) {
    EXPECT_THAT(ErrorOf(InboxName(none, bad)), HasSubstr("is not an inbox"))
        << bad;
  }
}

TEST(PreferencesUpdateTest, MaskHoldsExactlyTheOptionsGiven) {
  auto request = PreferencesUpdateFrom(
      Parsed({"--email", "mette@aalborg.dk", "--channels", "email",
              "--quiet-hours", "22:00-07:00", "--etag", "e1"}),
      "municipalities/aalborg/inboxes/12");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(MaskOf(request->update_mask()),
              UnorderedElementsAre("email_address", "channels", "quiet_hours"));
  const v1::NotificationPreferences& preferences =
      request->notification_preferences();
  EXPECT_EQ(preferences.name(),
            "municipalities/aalborg/inboxes/12/preferences");
  EXPECT_EQ(preferences.etag(), "e1");
  EXPECT_EQ(preferences.email_address(), "mette@aalborg.dk");
  EXPECT_THAT(preferences.channels(), ElementsAre(v1::CHANNEL_EMAIL));
  EXPECT_EQ(preferences.quiet_hours().start().hours(), 22);
  EXPECT_EQ(preferences.quiet_hours().end().hours(), 7);
  // Not mentioned, so not in the mask, so left as they are.
  EXPECT_THAT(preferences.urgent_channels(), IsEmpty());
  EXPECT_EQ(preferences.digest_frequency(), v1::DIGEST_FREQUENCY_UNSPECIFIED);
}

TEST(PreferencesUpdateTest, EveryOptionMapsToItsField) {
  auto request = PreferencesUpdateFrom(
      Parsed({"--email-address", "a@b.dk", "--channels", "email",
              "--urgent-channels", "CHANNEL_EMAIL", "--quiet-hours", "none",
              "--max-per-hour", "5", "--digest-frequency", "weekly",
              "--digest-weekday", "friday", "--digest-hour", "0"}),
      "municipalities/aalborg/inboxes/12");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(
      MaskOf(request->update_mask()),
      UnorderedElementsAre("email_address", "channels", "urgent_channels",
                           "quiet_hours", "max_per_hour", "digest_frequency",
                           "digest_weekday", "digest_hour"));
  const v1::NotificationPreferences& preferences =
      request->notification_preferences();
  EXPECT_THAT(preferences.urgent_channels(), ElementsAre(v1::CHANNEL_EMAIL));
  EXPECT_EQ(preferences.max_per_hour(), 5);
  EXPECT_EQ(preferences.digest_frequency(), v1::DIGEST_FREQUENCY_WEEKLY);
  EXPECT_EQ(preferences.digest_weekday(), 5);
  // Hour 0 is midnight, a value: in the mask although it is the default.
  EXPECT_EQ(preferences.digest_hour(), 0);
}

TEST(PreferencesUpdateTest, NoneAndEmptyClear) {
  auto request = PreferencesUpdateFrom(
      Parsed({"--channels", "none", "--urgent-channels=", "--email", "",
              "--quiet-hours", "default"}),
      "municipalities/aalborg/inboxes/12");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(MaskOf(request->update_mask()),
              UnorderedElementsAre("channels", "urgent_channels",
                                   "email_address", "quiet_hours"));
  const v1::NotificationPreferences& preferences =
      request->notification_preferences();
  EXPECT_THAT(preferences.channels(), IsEmpty());
  EXPECT_THAT(preferences.urgent_channels(), IsEmpty());
  EXPECT_EQ(preferences.email_address(), "");
  // In the mask but unset: back to the service's defaults.
  EXPECT_FALSE(preferences.has_quiet_hours());
}

TEST(PreferencesUpdateTest, BadValuesNameTheirOption) {
  const std::string inbox = "municipalities/aalborg/inboxes/12";
  EXPECT_THAT(ErrorOf(PreferencesUpdateFrom(Parsed({}), inbox)),
              HasSubstr("nothing to change"));
  EXPECT_THAT(
      ErrorOf(PreferencesUpdateFrom(Parsed({"--max-per-hour", "101"}), inbox)),
      HasSubstr("--max-per-hour"));
  EXPECT_THAT(
      ErrorOf(PreferencesUpdateFrom(Parsed({"--digest-hour", "24"}), inbox)),
      HasSubstr("--digest-hour"));
  EXPECT_THAT(ErrorOf(PreferencesUpdateFrom(Parsed({"--channels", "email,sms"}),
                                            inbox)),
              HasSubstr("--channels"));
  EXPECT_THAT(
      ErrorOf(PreferencesUpdateFrom(
          Parsed({"--email", "a@b.dk", "--email-address", "c@d.dk"}), inbox)),
      HasSubstr("not both"));
}

TEST(SubscriptionOptionsTest, BuildsTheSubscriptionWithNamesFromIds) {
  auto subscription = SubscriptionFrom(
      Parsed({"--subscriber", "42", "--topics", "activities,forums", "--areas",
              "Vester Hassing, Hals", "--categories",
              "language-cafe,CATEGORY_COMMUNAL_DINING", "--forums",
              "3,municipalities/aalborg/forums/4"}),
      "aalborg");
  ASSERT_TRUE(subscription.ok()) << subscription.status();
  EXPECT_EQ(subscription->subscriber(), "municipalities/aalborg/actors/42");
  EXPECT_THAT(subscription->topics(),
              ElementsAre(v1::TOPIC_ACTIVITIES, v1::TOPIC_FORUMS));
  EXPECT_THAT(subscription->areas(), ElementsAre("Vester Hassing", "Hals"));
  EXPECT_THAT(subscription->categories(),
              ElementsAre(catalogue::v1::CATEGORY_LANGUAGE_CAFE,
                          catalogue::v1::CATEGORY_COMMUNAL_DINING));
  EXPECT_THAT(subscription->forums(),
              ElementsAre("municipalities/aalborg/forums/3",
                          "municipalities/aalborg/forums/4"));

  auto webhook = SubscriptionFrom(
      Parsed({"--webhook", "7", "--topics", "TOPIC_BROADCASTS"}), "aalborg");
  ASSERT_TRUE(webhook.ok()) << webhook.status();
  EXPECT_EQ(webhook->webhook(), "municipalities/aalborg/webhooks/7");
}

TEST(SubscriptionOptionsTest, NeedsOneTargetAndTopics) {
  EXPECT_THAT(ErrorOf(SubscriptionFrom(Parsed({"--topics", "matches"}), "a")),
              HasSubstr("exactly one of --subscriber"));
  EXPECT_THAT(ErrorOf(SubscriptionFrom(Parsed({"--subscriber", "1", "--webhook",
                                               "2", "--topics", "matches"}),
                                       "a")),
              HasSubstr("exactly one of --subscriber"));
  EXPECT_THAT(ErrorOf(SubscriptionFrom(Parsed({"--subscriber", "1"}), "a")),
              HasSubstr("--topics"));
  EXPECT_THAT(ErrorOf(SubscriptionFrom(
                  Parsed({"--subscriber", "1", "--topics", ","}), "a")),
              HasSubstr("--topics"));
  EXPECT_THAT(ErrorOf(SubscriptionFrom(
                  Parsed({"--subscriber", "1", "--topics", "activities",
                          "--categories", "knitting"}),
                  "a")),
              HasSubstr("--categories"));
}

TEST(SubscriptionOptionsTest, UpdateMaskHoldsTheListsGiven) {
  const std::string name = "municipalities/aalborg/subscriptions/5";
  auto request = SubscriptionUpdateFrom(
      Parsed({"--areas", "none", "--forums", "9", "--etag", "e2"}), name);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(MaskOf(request->update_mask()),
              UnorderedElementsAre("areas", "forums"));
  EXPECT_EQ(request->subscription().name(), name);
  EXPECT_EQ(request->subscription().etag(), "e2");
  EXPECT_THAT(request->subscription().areas(), IsEmpty());
  EXPECT_THAT(request->subscription().forums(),
              ElementsAre("municipalities/aalborg/forums/9"));
  EXPECT_THAT(ErrorOf(SubscriptionUpdateFrom(Parsed({}), name)),
              HasSubstr("nothing to change"));
}

TEST(BroadcastOptionsTest, BuildsAScheduledRepeatedBroadcast) {
  auto broadcast = BroadcastFrom(
      Parsed({"--volunteers-in-area", "Hals", "--title", "Sprogcafé", "--body",
              "Vi mangler frivillige", "--urgent", "--start",
              "2026-12-01T09:00:00Z", "--repeat-count", "4",
              "--repeat-interval-days", "7"}),
      "aalborg");
  ASSERT_TRUE(broadcast.ok()) << broadcast.status();
  EXPECT_EQ(broadcast->audience().volunteers_in_area(), "Hals");
  EXPECT_EQ(broadcast->title(), "Sprogcafé");
  EXPECT_EQ(broadcast->urgency(), v1::URGENCY_URGENT);
  EXPECT_EQ(broadcast->start_time().seconds(), 1796115600);
  EXPECT_EQ(broadcast->repeat_count(), 4);
  EXPECT_EQ(broadcast->repeat_interval_days(), 7);

  auto forum = BroadcastFrom(
      Parsed({"--forum", "3", "--title", "T", "--body", "B"}), "aalborg");
  ASSERT_TRUE(forum.ok()) << forum.status();
  EXPECT_EQ(forum->audience().forum(), "municipalities/aalborg/forums/3");
  EXPECT_EQ(forum->urgency(), v1::URGENCY_UNSPECIFIED);
  EXPECT_FALSE(forum->has_start_time());

  // An empty area is the whole municipality, still an audience.
  auto everyone = BroadcastFrom(
      Parsed({"--volunteers-in-area=", "--title", "T", "--body", "B"}), "a");
  ASSERT_TRUE(everyone.ok()) << everyone.status();
  EXPECT_EQ(everyone->audience().target_case(),
            v1::Audience::kVolunteersInArea);

  auto kind = BroadcastFrom(
      Parsed({"--actor-kind", "volunteer", "--title", "T", "--body", "B"}),
      "a");
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_EQ(kind->audience().actor_kind(), registry::v1::ACTOR_KIND_VOLUNTEER);
}

TEST(BroadcastOptionsTest, NeedsExactlyOneAudienceAndAnInterval) {
  EXPECT_THAT(
      ErrorOf(BroadcastFrom(Parsed({"--title", "T", "--body", "B"}), "a")),
      HasSubstr("exactly one audience"));
  EXPECT_THAT(
      ErrorOf(BroadcastFrom(Parsed({"--forum", "1", "--actor-kind", "ngo",
                                    "--title", "T", "--body", "B"}),
                            "a")),
      HasSubstr("exactly one audience"));
  EXPECT_THAT(
      ErrorOf(BroadcastFrom(Parsed({"--forum", "1", "--title", "T", "--body",
                                    "B", "--repeat-count", "3"}),
                            "a")),
      HasSubstr("--repeat-interval-days"));
  EXPECT_THAT(
      ErrorOf(BroadcastFrom(
          Parsed({"--forum", "1", "--title", "T", "--body", "B",
                  "--repeat-count", "53", "--repeat-interval-days", "7"}),
          "a")),
      HasSubstr("--repeat-count"));
  EXPECT_THAT(
      ErrorOf(BroadcastFrom(Parsed({"--forum", "1", "--body", "B"}), "a")),
      HasSubstr("--title"));
}

TEST(NotificationCommandTableTest, CommandsCallTheNotificationService) {
  std::vector<Command> commands = NotificationCommands();
  for (auto group :
       {NotificationWebhookCommands, NotificationBroadcastCommands}) {
    for (Command& command : group()) commands.push_back(std::move(command));
  }
  std::vector<std::string> names;
  for (const Command& command : commands) {
    names.emplace_back(command.name);
    EXPECT_EQ(command.default_address, kDefaultNotificationsAddress)
        << command.name;
  }
  for (const char* expected :
       {"notifications subscribe", "notifications subscriptions list",
        "notifications inbox list", "notifications inbox read",
        "notifications watch", "notifications preferences set",
        "notifications webhooks create", "notifications webhooks pause",
        "notifications webhooks rotate-secret", "notifications broadcast",
        "notifications broadcasts cancel", "notifications concerns raise",
        "notifications concerns resolve",
        "notifications dead-letters replay"}) {
    EXPECT_THAT(names, ::testing::Contains(expected));
  }
}

}  // namespace
}  // namespace brobygger::broctl
