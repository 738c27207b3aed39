// End-to-end: calendars. A calendar feed is fetched over plain HTTP from
// the catalogue's feed port the way calendar programs subscribe to it
// (200 with text/calendar and an ETag, 304 on revalidation, 404 once
// revoked); its contents are read by an independent iCalendar parser
// (python3-icalendar); ExportCalendar over gRPC returns the same events.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/catalogue_e2e_fixture.h"
#include "tests/support/http_get.h"

namespace brobygger::test {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

class CatalogueCalendarE2eTest : public CatalogueE2eTest {
 protected:
  absl::StatusOr<HttpReply> FetchFeed(const std::string& path,
                                      const std::string& if_none_match = "") {
    HttpCall call;
    call.path = path;
    if (!if_none_match.empty()) {
      call.headers.push_back({"If-None-Match", if_none_match});
    }
    return HttpFetch(catalogue_->extra_port(kFeedListenFlag), call);
  }
};

TEST_F(CatalogueCalendarE2eTest, FeedServesPublishedActivitiesUntilRevoked) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  const cv1::Activity cafe = MustCreateActivity(LanguageCafe(red_cross.name()));
  cv1::Activity monthly = LanguageCafe(red_cross.name());
  monthly.set_display_name("Rådgivning om økonomi");
  monthly.set_category(cv1::CATEGORY_COUNSELLING);
  monthly.mutable_schedule()->set_start_time("2025-01-14T10:00");
  monthly.mutable_schedule()->set_rrule("FREQ=MONTHLY;BYDAY=2TU");
  MustCreateActivity(monthly);
  // Drafts are not offered yet, and a query for Kærby leaves out Vejgaard.
  cv1::Activity draft = LanguageCafe(red_cross.name());
  draft.set_display_name("Lektiecafé (kladde)");
  draft.set_state(cv1::ACTIVITY_STATE_DRAFT);
  MustCreateActivity(draft);
  cv1::Activity elsewhere = LanguageCafe(red_cross.name());
  elsewhere.set_display_name("Sprogcafé i Vejgaard");
  elsewhere.mutable_place()->set_area("Vejgaard");
  MustCreateActivity(elsewhere);
  ASSERT_FALSE(HasFailure());

  cv1::CreateCalendarFeedRequest create;
  create.set_parent(Parent(municipality_));
  create.mutable_calendar_feed()->set_display_name("Kærby: tilbud");
  create.mutable_calendar_feed()->mutable_query()->set_area("Kærby");
  auto feed =
      Call(*stub_, &CatalogueStub::CreateCalendarFeed, coordinator_, create);
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_THAT(feed->path(), MatchesRegex(absl::StrCat("/feeds/", municipality_,
                                                      "/[0-9a-f]{32}\\.ics")));
  EXPECT_EQ(feed->url(), absl::StrCat(kFeedBaseUrl, feed->path()));

  // Subscribed without a token, as calendar programs do.
  absl::StatusOr<HttpReply> first = FetchFeed(feed->path());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->status, 200) << first->status_line << "\n" << first->body;
  ASSERT_TRUE(first->Header("Content-Type").has_value());
  EXPECT_THAT(*first->Header("Content-Type"), StartsWith("text/calendar"));
  const std::optional<std::string> etag = first->Header("ETag");
  ASSERT_TRUE(etag.has_value()) << "the feed has no ETag";
  EXPECT_THAT(*etag, MatchesRegex("(W/)?\".+\""));

  // What an independent parser reads: the two published Kærby activities
  // with their rules, and nothing else.
  absl::StatusOr<std::vector<std::string>> events =
      ReadICalendarWithPython(first->body);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(*events, UnorderedElementsAre(
                           "Sprogcafé i Kærby|FREQ=WEEKLY;BYDAY=TU|"
                           "2025-01-07T17:00:00+01:00",
                           "Rådgivning om økonomi|FREQ=MONTHLY;BYDAY=2TU|"
                           "2025-01-14T10:00:00+01:00"));
  EXPECT_THAT(first->body, HasSubstr("X-WR-CALNAME:Kærby: tilbud"));

  // Revalidation with the ETag: nothing changed, nothing sent.
  absl::StatusOr<HttpReply> second = FetchFeed(feed->path(), *etag);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->status, 304) << second->status_line;
  EXPECT_TRUE(second->body.empty()) << second->body;

  // A change to an activity in the feed changes the feed and its ETag.
  cv1::UpdateActivityRequest rename;
  rename.mutable_activity()->set_name(cafe.name());
  rename.mutable_activity()->set_display_name("Sprogcafé og lektiehjælp");
  rename.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(
      Call(*stub_, &CatalogueStub::UpdateActivity, coordinator_, rename).ok());
  absl::StatusOr<HttpReply> changed = FetchFeed(feed->path(), *etag);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->status, 200) << changed->status_line;
  EXPECT_NE(changed->Header("ETag").value_or(""), *etag);
  EXPECT_THAT(changed->body, HasSubstr("Sprogcafé og lektiehjælp"));

  // Revoked: the URL is dead from now on.
  cv1::DeleteCalendarFeedRequest remove;
  remove.set_name(feed->name());
  auto removed =
      Call(*stub_, &CatalogueStub::DeleteCalendarFeed, coordinator_, remove);
  ASSERT_TRUE(removed.ok()) << removed.status();
  absl::StatusOr<HttpReply> revoked = FetchFeed(feed->path());
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->status, 404) << revoked->status_line;
}

TEST_F(CatalogueCalendarE2eTest, ExportCalendarHasTheFeedsEvents) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  MustCreateActivity(LanguageCafe(red_cross.name()));
  cv1::Activity once = LanguageCafe(red_cross.name());
  once.set_display_name("Borgermøde om boliger");
  once.set_category(cv1::CATEGORY_HOUSING);
  once.mutable_schedule()->set_start_time("2027-03-04T19:00");
  once.mutable_schedule()->clear_rrule();
  MustCreateActivity(once);
  ASSERT_FALSE(HasFailure());

  cv1::ActivityQuery query;
  query.set_area("Kærby");
  cv1::CreateCalendarFeedRequest create;
  create.set_parent(Parent(municipality_));
  create.mutable_calendar_feed()->set_display_name("Kærby");
  *create.mutable_calendar_feed()->mutable_query() = query;
  auto feed =
      Call(*stub_, &CatalogueStub::CreateCalendarFeed, caseworker_, create);
  ASSERT_TRUE(feed.ok()) << feed.status();
  absl::StatusOr<HttpReply> fetched = FetchFeed(feed->path());
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  ASSERT_EQ(fetched->status, 200) << fetched->status_line;

  cv1::ExportCalendarRequest export_calendar;
  export_calendar.set_parent(Parent(municipality_));
  *export_calendar.mutable_query() = query;
  auto exported =
      Call(*stub_, &CatalogueStub::ExportCalendar, volunteer_, export_calendar);
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_THAT(exported->content_type(), StartsWith("text/calendar"));
  EXPECT_EQ(exported->event_count(), 2);

  absl::StatusOr<std::vector<std::string>> from_feed =
      ReadICalendarWithPython(fetched->body);
  ASSERT_TRUE(from_feed.ok()) << from_feed.status();
  absl::StatusOr<std::vector<std::string>> from_export =
      ReadICalendarWithPython(exported->data());
  ASSERT_TRUE(from_export.ok()) << from_export.status();
  EXPECT_THAT(*from_export,
              UnorderedElementsAre(
                  "Sprogcafé i Kærby|FREQ=WEEKLY;BYDAY=TU|"
                  "2025-01-07T17:00:00+01:00",
                  "Borgermøde om boliger|-|2027-03-04T19:00:00+01:00"));
  EXPECT_EQ(*from_export, *from_feed);
}

}  // namespace
}  // namespace brobygger::test
