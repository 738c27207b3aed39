// Calendar feeds against a real redis-server: unguessable paths, the
// iCalendar served for them (only the published activities the saved query
// selects), ETags that change exactly when the body does, revocation, who
// may make feeds, and paths that lead nowhere.
#include "services/catalogue/calendar_feeds.h"

#include <cctype>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "tests/catalogue/catalogue_fixture.h"

namespace brobygger::catalogue {
namespace {

google::protobuf::FieldMask Paths(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

int Count(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// iCalendar folds lines longer than 75 octets; unfold before searching.
std::string Unfolded(const std::string& ics) {
  return absl::StrReplaceAll(ics, {{"\r\n ", ""}});
}

class CalendarFeedsTest : public CatalogueFixture {
 protected:
  void SetUp() override {
    CatalogueFixture::SetUp();
    RegisterOrganiser("7", "Røde Kors Aalborg");
  }

  CalendarFeeds& feeds() { return catalogue().feeds(); }

  static v1::CalendarFeed CafesFeed() {
    v1::CalendarFeed feed;
    feed.set_display_name("Aalborg: language cafés");
    feed.mutable_query()->add_categories(v1::CATEGORY_LANGUAGE_CAFE);
    return feed;
  }

  v1::CalendarFeed MakeFeed(const auth::Principal& principal = Coordinator()) {
    auto feed = feeds().Create(principal, "aalborg", CafesFeed(), "");
    EXPECT_TRUE(feed.ok()) << feed.status();
    return feed.ok() ? *feed : v1::CalendarFeed();
  }

  v1::Activity Update(v1::Activity activity,
                      std::initializer_list<const char*> paths) {
    auto updated = catalogue().activities().Update(Coordinator(), "aalborg",
                                                   activity, Paths(paths));
    EXPECT_TRUE(updated.ok()) << updated.status();
    return updated.ok() ? *updated : v1::Activity();
  }
};

TEST_F(CalendarFeedsTest, CreateGivesAnUnguessablePathAndItsUrl) {
  const v1::CalendarFeed feed = MakeFeed();
  EXPECT_TRUE(
      absl::StartsWith(feed.name(), "municipalities/aalborg/calendarFeeds/"));
  EXPECT_EQ(feed.display_name(), "Aalborg: language cafés");
  EXPECT_TRUE(std::regex_match(feed.path(),
                               std::regex("/feeds/aalborg/[0-9a-f]{32}\\.ics")))
      << feed.path();
  EXPECT_EQ(feed.url(), "https://kalender.example.dk" + feed.path());
  EXPECT_TRUE(feed.has_create_time());
  EXPECT_NE(MakeFeed().path(), feed.path());

  auto read = feeds().Get(Caseworker(), "aalborg", store::IdOf(feed.name()));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->path(), feed.path());
  EXPECT_EQ(read->url(), feed.url());
  EXPECT_EQ(read->query().SerializeAsString(),
            feed.query().SerializeAsString());

  // A retried create is the same feed.
  auto first = feeds().Create(Coordinator(), "aalborg", CafesFeed(), "f-1");
  auto again = feeds().Create(Coordinator(), "aalborg", CafesFeed(), "f-1");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(again->name(), first->name());
  EXPECT_EQ(again->path(), first->path());
  auto listed = feeds().List(Coordinator(), "aalborg", 0, "");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->feeds.size(), 3u);
}

TEST_F(CalendarFeedsTest, WhoMayMakeFeedsAndWhatIsRefused) {
  MakeFeed(Caseworker());
  MakeFeed(NgoApp("municipalities/aalborg/actors/7"));
  EXPECT_EQ(
      feeds().Create(Volunteer(), "aalborg", CafesFeed(), "").status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(feeds().List(Volunteer(), "aalborg", 0, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(feeds()
                .Create(Coordinator("kolding"), "aalborg", CafesFeed(), "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  v1::CalendarFeed unnamed = CafesFeed();
  unnamed.clear_display_name();
  auto refused = feeds().Create(Coordinator(), "aalborg", unnamed, "");
  EXPECT_TRUE(FieldNamed(refused.status(), "calendar_feed.display_name"))
      << refused.status();
  v1::CalendarFeed bad_query = CafesFeed();
  bad_query.mutable_query()->set_child_age(30);
  refused = feeds().Create(Coordinator(), "aalborg", bad_query, "");
  EXPECT_TRUE(FieldNamed(refused.status(), "calendar_feed.query.child_age"))
      << refused.status();
}

TEST_F(CalendarFeedsTest, ServesThePublishedActivitiesTheQuerySelects) {
  const v1::Activity cafe = CreateActivity(NewActivity("7", "Language café"));
  v1::Activity draft = NewActivity("7", "Draft café");
  draft.set_state(v1::ACTIVITY_STATE_DRAFT);
  const v1::Activity draft_created = CreateActivity(draft);
  v1::Activity homework = NewActivity("7", "Homework help");
  homework.set_category(v1::CATEGORY_HOMEWORK_HELP);
  CreateActivity(homework);
  v1::Activity ended = CreateActivity(NewActivity("7", "Old café"));
  ended.set_state(v1::ACTIVITY_STATE_ENDED);
  Update(ended, {"state"});

  const v1::CalendarFeed feed = MakeFeed();
  auto served = feeds().Serve(feed.path());
  ASSERT_TRUE(served.ok()) << served.status();
  const std::string body = Unfolded(served->body);
  EXPECT_TRUE(absl::StartsWith(body, "BEGIN:VCALENDAR\r\n")) << body;
  EXPECT_EQ(Count(body, "BEGIN:VEVENT"), 1) << body;
  EXPECT_TRUE(absl::StrContains(body, "SUMMARY:Language café")) << body;
  EXPECT_TRUE(absl::StrContains(body, "RRULE:FREQ=WEEKLY")) << body;
  EXPECT_FALSE(absl::StrContains(body, "Homework")) << body;
  EXPECT_FALSE(absl::StrContains(body, "Draft")) << body;
  EXPECT_FALSE(absl::StrContains(body, "Old café")) << body;
  EXPECT_TRUE(absl::StartsWith(served->etag, "\"")) << served->etag;

  // The same body, the same etag: calendar programs poll cheaply.
  auto again = feeds().Serve(feed.path());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->body, served->body);
  EXPECT_EQ(again->etag, served->etag);

  // A changed activity is a new body and a new etag.
  v1::Activity changed = cafe;
  changed.set_display_name("Danish café");
  Update(changed, {"display_name"});
  auto after_change = feeds().Serve(feed.path());
  ASSERT_TRUE(after_change.ok());
  EXPECT_NE(after_change->etag, served->etag);
  EXPECT_TRUE(
      absl::StrContains(Unfolded(after_change->body), "SUMMARY:Danish café"));

  // The draft, published, joins the feed.
  v1::Activity publish = draft_created;
  publish.set_state(v1::ACTIVITY_STATE_PUBLISHED);
  Update(publish, {"state"});
  auto with_two = feeds().Serve(feed.path());
  ASSERT_TRUE(with_two.ok());
  EXPECT_EQ(Count(with_two->body, "BEGIN:VEVENT"), 2);
}

TEST_F(CalendarFeedsTest, ADeletedFeedIsGone) {
  CreateActivity(NewActivity("7"));
  const v1::CalendarFeed feed = MakeFeed();
  const v1::CalendarFeed other = MakeFeed();
  ASSERT_TRUE(feeds().Serve(feed.path()).ok());
  ASSERT_TRUE(
      feeds().Delete(Coordinator(), "aalborg", store::IdOf(feed.name())).ok());
  EXPECT_EQ(feeds().Serve(feed.path()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(feeds()
                .Get(Coordinator(), "aalborg", store::IdOf(feed.name()))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  auto listed = feeds().List(Coordinator(), "aalborg", 0, "");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->feeds.size(), 1u);
  EXPECT_EQ(listed->feeds[0].name(), other.name());
  EXPECT_TRUE(feeds().Serve(other.path()).ok());
}

TEST_F(CalendarFeedsTest, PathsThatAreNotFeedsAreNotFound) {
  const v1::CalendarFeed feed = MakeFeed();
  const std::string secret =
      feed.path().substr(std::string("/feeds/aalborg/").size(), 32);
  std::string upper = secret;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  const std::vector<std::string> paths = {
      "",
      "/",
      "/feeds",
      "/feeds/aalborg/",
      "/feeds/aalborg/" + secret,
      "/feeds/aalborg/" + secret + ".ical",
      "/feeds/aalborg/" + secret.substr(1) + ".ics",
      "/feeds/aalborg/" + upper + ".ics",
      "/feeds/kolding/" + secret + ".ics",
      "/feeds/Aalborg/" + secret + ".ics",
      "/feeds/aalborg/" + secret + ".ics/extra",
      "/feeds/aalborg/../aalborg/" + secret + ".ics",
      "feeds/aalborg/" + secret + ".ics",
      "//feeds/aalborg/" + secret + ".ics",
      "/feeds/aalborg/" + std::string(32, '0') + ".ics",
      "/calendars/aalborg/" + secret + ".ics",
  };
  for (const std::string& path : paths) {
    EXPECT_EQ(feeds().Serve(path).status().code(), absl::StatusCode::kNotFound)
        << path;
  }
  EXPECT_TRUE(feeds().Serve(feed.path()).ok());
}

}  // namespace
}  // namespace brobygger::catalogue
