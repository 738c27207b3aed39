// End-to-end: an activity's whole life through the real binaries. The
// organiser is registered in the registry, the catalogue learns it from
// the registry's events, and the activity is created, read, found,
// expanded into dated occurrences, updated with field mask and etag, and
// deleted.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/catalogue_e2e_fixture.h"

namespace brobygger::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

class CatalogueCrudE2eTest : public CatalogueE2eTest {};

std::vector<std::string> LocalStarts(
    const cv1::ListOccurrencesResponse& response) {
  std::vector<std::string> starts;
  for (const cv1::Occurrence& occurrence : response.occurrences()) {
    starts.push_back(occurrence.local_start_time());
  }
  return starts;
}

TEST_F(CatalogueCrudE2eTest, ActivityLifecycleWithARegistryOrganiser) {
  // Created in the registry a moment before the activity: the catalogue
  // must wait for the registry's event instead of refusing the organiser.
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());

  absl::StatusOr<cv1::Activity> created =
      CreateActivity(coordinator_, LanguageCafe(red_cross.name()),
                     "7a4f2c1e-3b5d-4e6f-8a9b-0c1d2e3f4a5b");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_THAT(created->name(),
              StartsWith(absl::StrCat(Parent(municipality_), "/activities/")));
  EXPECT_EQ(created->organiser_display_name(), "Røde Kors Kærby");
  EXPECT_EQ(created->state(), cv1::ACTIVITY_STATE_PUBLISHED);
  EXPECT_EQ(created->schedule().time_zone(), "Europe/Copenhagen");
  EXPECT_FALSE(created->etag().empty());
  EXPECT_TRUE(created->has_create_time());

  // A retry with the same request id creates nothing new.
  absl::StatusOr<cv1::Activity> retried =
      CreateActivity(coordinator_, LanguageCafe(red_cross.name()),
                     "7a4f2c1e-3b5d-4e6f-8a9b-0c1d2e3f4a5b");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->name(), created->name());

  // Everyone acting in the municipality reads a published activity.
  for (const std::string& token : {coordinator_, caseworker_, volunteer_}) {
    absl::StatusOr<cv1::Activity> got = GetActivity(token, created->name());
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->display_name(), "Sprogcafé i Kærby");
    EXPECT_EQ(got->organiser(), red_cross.name());
    EXPECT_EQ(got->organiser_display_name(), "Røde Kors Kærby");
    EXPECT_EQ(got->schedule().rrule(), "FREQ=WEEKLY;BYDAY=TU");
    EXPECT_EQ(got->etag(), created->etag());
  }

  // Found by area (ignoring accents), category and words of the text, with
  // its next occurrence: a Tuesday at 17:00 local time, in the future.
  cv1::ActivityQuery query;
  query.set_area("kaerby");
  query.add_categories(cv1::CATEGORY_LANGUAGE_CAFE);
  query.set_text("SPROGCAFE kaffe");
  absl::StatusOr<cv1::SearchActivitiesResponse> found =
      Search(volunteer_, query);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->results_size(), 1);
  EXPECT_EQ(found->total_size(), 1);
  const cv1::SearchResult& hit = found->results(0);
  EXPECT_EQ(hit.activity().name(), created->name());
  ASSERT_TRUE(hit.has_next_occurrence());
  EXPECT_EQ(hit.next_occurrence().activity(), created->name());
  EXPECT_THAT(hit.next_occurrence().local_start_time(), EndsWith("T17:00:00"));
  const absl::Time next =
      absl::FromUnixSeconds(hit.next_occurrence().start_time().seconds());
  EXPECT_GT(next + absl::Hours(2), absl::Now());
  EXPECT_LE(next, absl::Now() + absl::Hours(24 * 7));
  absl::TimeZone copenhagen;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &copenhagen));
  EXPECT_EQ(absl::GetWeekday(absl::ToCivilDay(next, copenhagen)),
            absl::Weekday::tuesday);

  // Other areas, categories and words find nothing.
  cv1::ActivityQuery elsewhere;
  elsewhere.set_area("Vejgaard");
  EXPECT_THAT(FoundNames(elsewhere), IsEmpty());
  cv1::ActivityQuery dinners;
  dinners.add_categories(cv1::CATEGORY_COMMUNAL_DINING);
  EXPECT_THAT(FoundNames(dinners), IsEmpty());
  cv1::ActivityQuery football;
  football.set_text("fodbold");
  EXPECT_THAT(FoundNames(football), IsEmpty());

  // The dated occurrences of four weeks in January 2030 (Tuesdays; the
  // window ends before the fifth).
  cv1::ListOccurrencesRequest occurrences;
  occurrences.set_parent(Parent(municipality_));
  occurrences.set_activity(created->name());
  *occurrences.mutable_start_time() = Rfc3339("2030-01-01T00:00:00Z");
  *occurrences.mutable_end_time() = Rfc3339("2030-01-29T00:00:00Z");
  auto listed =
      Call(*stub_, &CatalogueStub::ListOccurrences, volunteer_, occurrences);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(LocalStarts(*listed),
              ElementsAre("2030-01-01T17:00:00", "2030-01-08T17:00:00",
                          "2030-01-15T17:00:00", "2030-01-22T17:00:00"));
  ASSERT_GT(listed->occurrences_size(), 0);
  // 17:00 in Copenhagen winter time is 16:00 UTC, and it lasts two hours.
  EXPECT_EQ(listed->occurrences(0).start_time().seconds(),
            Rfc3339("2030-01-01T16:00:00Z").seconds());
  EXPECT_EQ(listed->occurrences(0).end_time().seconds(),
            Rfc3339("2030-01-01T18:00:00Z").seconds());
  EXPECT_EQ(listed->occurrences(0).area(), "Kærby");

  // The patch changes two fields, the mask names one: only that changes.
  cv1::UpdateActivityRequest update;
  update.mutable_activity()->set_name(created->name());
  update.mutable_activity()->set_etag(created->etag());
  update.mutable_activity()->set_description("Nu også med lektiehjælp.");
  update.mutable_activity()->set_display_name("overwritten?");
  update.mutable_update_mask()->add_paths("description");
  auto updated =
      Call(*stub_, &CatalogueStub::UpdateActivity, coordinator_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->description(), "Nu også med lektiehjælp.");
  EXPECT_EQ(updated->display_name(), "Sprogcafé i Kærby");
  EXPECT_EQ(updated->organiser_display_name(), "Røde Kors Kærby");
  EXPECT_NE(updated->etag(), created->etag());

  // A second writer still holding the first etag is refused, and changes
  // nothing.
  update.mutable_activity()->set_description("Lukket.");
  auto stale =
      Call(*stub_, &CatalogueStub::UpdateActivity, coordinator_, update);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted)
      << stale.status();
  auto reread = GetActivity(coordinator_, created->name());
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(reread->description(), "Nu også med lektiehjælp.");
  EXPECT_EQ(reread->etag(), updated->etag());

  // The update is what searches find.
  cv1::ActivityQuery homework;
  homework.set_text("lektiehjaelp");
  EXPECT_THAT(FoundNames(homework), ElementsAre(created->name()));

  // Deleting with a stale etag is refused too; with none it works.
  cv1::DeleteActivityRequest remove;
  remove.set_name(created->name());
  remove.set_etag(created->etag());
  EXPECT_EQ(Call(*stub_, &CatalogueStub::DeleteActivity, coordinator_, remove)
                .status()
                .code(),
            absl::StatusCode::kAborted);
  remove.set_etag(updated->etag());
  auto removed =
      Call(*stub_, &CatalogueStub::DeleteActivity, coordinator_, remove);
  ASSERT_TRUE(removed.ok()) << removed.status();
  auto gone = GetActivity(coordinator_, created->name());
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kNotFound) << gone.status();
  EXPECT_THAT(FoundNames(query), Not(Contains(created->name())));
}

TEST_F(CatalogueCrudE2eTest, DraftsAreHiddenFromVolunteersAndSearches) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  cv1::Activity draft = LanguageCafe(red_cross.name());
  draft.set_state(cv1::ACTIVITY_STATE_DRAFT);
  const cv1::Activity created = MustCreateActivity(draft);
  ASSERT_FALSE(created.name().empty());

  EXPECT_TRUE(GetActivity(caseworker_, created.name()).ok());
  auto as_volunteer = GetActivity(volunteer_, created.name());
  EXPECT_EQ(as_volunteer.status().code(), absl::StatusCode::kNotFound)
      << as_volunteer.status();
  EXPECT_THAT(FoundNames(cv1::ActivityQuery()), IsEmpty());

  // Publishing makes it visible to both.
  cv1::UpdateActivityRequest publish;
  publish.mutable_activity()->set_name(created.name());
  publish.mutable_activity()->set_state(cv1::ACTIVITY_STATE_PUBLISHED);
  publish.mutable_update_mask()->add_paths("state");
  auto published =
      Call(*stub_, &CatalogueStub::UpdateActivity, coordinator_, publish);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_TRUE(GetActivity(volunteer_, created.name()).ok());
  EXPECT_THAT(FoundNames(cv1::ActivityQuery()), ElementsAre(created.name()));
}

TEST_F(CatalogueCrudE2eTest, SearchPagesInOrderOfTheNextOccurrence) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  // Monday, Wednesday and Friday cafés, created out of order.
  std::vector<std::string> names;
  for (const auto& [day, start] : {std::make_pair("FR", "2025-01-10T17:00"),
                                   std::make_pair("MO", "2025-01-06T17:00"),
                                   std::make_pair("WE", "2025-01-08T17:00")}) {
    cv1::Activity activity = LanguageCafe(red_cross.name());
    activity.set_display_name(absl::StrCat("Sprogcafé ", day));
    activity.mutable_schedule()->set_start_time(start);
    activity.mutable_schedule()->set_rrule(
        absl::StrCat("FREQ=WEEKLY;BYDAY=", day));
    names.push_back(MustCreateActivity(activity).name());
  }
  ASSERT_FALSE(HasFailure());

  // A window starting on a Tuesday: Wednesday comes first, then Friday,
  // then the next Monday.
  cv1::ActivityQuery query;
  *query.mutable_window_start_time() = Rfc3339("2030-01-01T00:00:00Z");
  *query.mutable_window_end_time() = Rfc3339("2030-02-01T00:00:00Z");
  std::vector<std::string> seen;
  std::vector<std::string> starts;
  cv1::SearchActivitiesRequest request;
  request.set_parent(Parent(municipality_));
  *request.mutable_query() = query;
  request.set_page_size(1);
  for (int page = 0; page < 10; ++page) {
    auto response =
        Call(*stub_, &CatalogueStub::SearchActivities, volunteer_, request);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->total_size(), 3);
    ASSERT_LE(response->results_size(), 1);
    for (const cv1::SearchResult& result : response->results()) {
      seen.push_back(result.activity().name());
      starts.push_back(result.next_occurrence().local_start_time());
    }
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  EXPECT_THAT(seen, ElementsAre(names[2], names[0], names[1]));
  EXPECT_THAT(starts, ElementsAre("2030-01-02T17:00:00", "2030-01-04T17:00:00",
                                  "2030-01-07T17:00:00"));

  // A token belongs to its query.
  request.mutable_query()->set_area("Vejgaard");
  auto mismatched =
      Call(*stub_, &CatalogueStub::SearchActivities, volunteer_, request);
  EXPECT_EQ(mismatched.status().code(), absl::StatusCode::kInvalidArgument)
      << mismatched.status();
  EXPECT_THAT(ViolatedFields(mismatched.status()), ElementsAre("page_token"));
}

TEST_F(CatalogueCrudE2eTest, CancelledOccurrenceIsMarkedAndSkipped) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  const cv1::Activity cafe = MustCreateActivity(LanguageCafe(red_cross.name()));
  ASSERT_FALSE(cafe.name().empty());

  cv1::CancelOccurrenceRequest cancel;
  cancel.set_name(cafe.name());
  cancel.set_start_time("2030-01-08T17:00:00");
  cancel.set_reason("Salen er lukket for reparation");
  cancel.set_etag(cafe.etag());
  auto cancelled =
      Call(*stub_, &CatalogueStub::CancelOccurrence, coordinator_, cancel);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  ASSERT_EQ(cancelled->cancelled_occurrences_size(), 1);
  EXPECT_EQ(cancelled->cancelled_occurrences(0).start_time(),
            "2030-01-08T17:00:00");

  cv1::ListOccurrencesRequest list;
  list.set_parent(Parent(municipality_));
  list.set_activity(cafe.name());
  *list.mutable_start_time() = Rfc3339("2030-01-01T00:00:00Z");
  *list.mutable_end_time() = Rfc3339("2030-01-22T00:00:00Z");
  auto active = Call(*stub_, &CatalogueStub::ListOccurrences, volunteer_, list);
  ASSERT_TRUE(active.ok()) << active.status();
  EXPECT_THAT(LocalStarts(*active),
              ElementsAre("2030-01-01T17:00:00", "2030-01-15T17:00:00"));
  list.set_show_cancelled(true);
  auto all = Call(*stub_, &CatalogueStub::ListOccurrences, volunteer_, list);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->occurrences_size(), 3);
  EXPECT_TRUE(all->occurrences(1).cancelled());
  EXPECT_EQ(all->occurrences(1).cancel_reason(),
            "Salen er lukket for reparation");

  // There is no occurrence on a Wednesday to cancel.
  cancel.set_start_time("2030-01-09T17:00:00");
  cancel.clear_etag();
  auto wrong =
      Call(*stub_, &CatalogueStub::CancelOccurrence, coordinator_, cancel);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument)
      << wrong.status();
  EXPECT_THAT(ViolatedFields(wrong.status()), ElementsAre("start_time"));
}

}  // namespace
}  // namespace brobygger::test
