// Search and occurrence lists against a real redis-server: every filter
// (with case- and accent-insensitive text), time windows, ordering by the
// next occurrence, what never shows, stable pagination while the catalogue
// changes, bad input, and the index of another replica following the
// stream, also after the stream was trimmed.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "services/catalogue/search_index.h"
#include "tests/catalogue/catalogue_fixture.h"

namespace brobygger::catalogue {
namespace {

absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         absl::UTCTimeZone());
}

google::protobuf::FieldMask Paths(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

v1::ActivityQuery Window(absl::Time start, absl::Time end) {
  v1::ActivityQuery query;
  *query.mutable_window_start_time() = store::ToTimestamp(start);
  *query.mutable_window_end_time() = store::ToTimestamp(end);
  return query;
}

class SearchTest : public CatalogueFixture {
 protected:
  void SetUp() override {
    CatalogueFixture::SetUp();
    RegisterOrganiser("7", "Røde Kors Aalborg");
    RegisterOrganiser("8", "Dansk Flygtningehjælp");
  }

  absl::StatusOr<SearchPage> SearchPageOf(const v1::ActivityQuery& query,
                                          int page_size = 0,
                                          const std::string& token = "") {
    return catalogue().index().Search(Volunteer(), "aalborg", query, page_size,
                                      token);
  }

  // Display names of every result, in order, all pages.
  std::vector<std::string> Found(const v1::ActivityQuery& query,
                                 SearchIndex* index = nullptr) {
    if (index == nullptr) index = &catalogue().index();
    std::vector<std::string> names;
    std::string token;
    do {
      auto page = index->Search(Volunteer(), "aalborg", query, 3, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const v1::SearchResult& result : page->results) {
        names.push_back(result.activity().display_name());
      }
      token = page->next_page_token;
    } while (!token.empty());
    return names;
  }
  std::set<std::string> FoundSet(const v1::ActivityQuery& query) {
    const std::vector<std::string> found = Found(query);
    return std::set<std::string>(found.begin(), found.end());
  }

  v1::Activity Create(v1::Activity activity) {
    return CreateActivity(activity);
  }
  v1::Activity Named(const std::string& display_name) {
    return NewActivity("7", display_name);
  }
  v1::Activity Scheduled(const std::string& display_name,
                         const std::string& start, const std::string& rrule,
                         int duration_hours = 2) {
    v1::Activity activity = Named(display_name);
    activity.mutable_schedule()->set_start_time(start);
    activity.mutable_schedule()->set_rrule(rrule);
    activity.mutable_schedule()->mutable_duration()->set_seconds(
        duration_hours * 3600);
    return activity;
  }
};

TEST_F(SearchTest, AreaCategoryAndTextIgnoreCaseAndAccents) {
  v1::Activity cafe = Named("Language café");
  cafe.mutable_place()->set_area("Kærby");
  Create(cafe);
  v1::Activity families = Named("CAFE for families");
  families.mutable_place()->set_area("KAERBY");
  families.set_description("Meet your neighbours in Kærby.");
  Create(families);
  v1::Activity homework = Named("Homework help");
  homework.set_category(v1::CATEGORY_HOMEWORK_HELP);
  homework.mutable_place()->set_area("Nørresundby");
  homework.set_description("Bring your school books");
  Create(homework);

  v1::ActivityQuery query;
  query.set_area("kaerby");
  EXPECT_EQ(FoundSet(query),
            (std::set<std::string>{"Language café", "CAFE for families"}));
  query.set_area("Kærby");
  EXPECT_EQ(FoundSet(query).size(), 2u);
  query.set_area("noerresundby");
  EXPECT_EQ(FoundSet(query), std::set<std::string>{"Homework help"});

  query.Clear();
  query.add_categories(v1::CATEGORY_HOMEWORK_HELP);
  EXPECT_EQ(FoundSet(query), std::set<std::string>{"Homework help"});
  query.add_categories(v1::CATEGORY_LANGUAGE_CAFE);
  EXPECT_EQ(FoundSet(query).size(), 3u);

  query.Clear();
  for (const char* text : {"café", "CAFE", "Cafe"}) {
    query.set_text(text);
    EXPECT_EQ(FoundSet(query),
              (std::set<std::string>{"Language café", "CAFE for families"}))
        << text;
  }
  query.set_text("kaerby");  // in a description
  EXPECT_EQ(FoundSet(query), std::set<std::string>{"CAFE for families"});
  query.set_text("SCHOOL homework");  // every word, anywhere
  EXPECT_EQ(FoundSet(query), std::set<std::string>{"Homework help"});
  query.set_text("homework dinner");
  EXPECT_TRUE(FoundSet(query).empty());
}

TEST_F(SearchTest, TargetGroupsAndChildAges) {
  const auto with_group = [&](const std::string& name,
                              v1::TargetGroup::Kind kind, int min_age = 0,
                              int max_age = 0) {
    v1::Activity activity = Named(name);
    v1::TargetGroup* group = activity.add_target_groups();
    group->set_kind(kind);
    group->set_min_age(min_age);
    group->set_max_age(max_age);
    Create(activity);
  };
  with_group("Football 6-12", v1::TargetGroup::KIND_CHILDREN, 6, 12);
  with_group("Family day", v1::TargetGroup::KIND_FAMILIES);
  with_group("Youth club", v1::TargetGroup::KIND_YOUTH);
  with_group("Women's swimming", v1::TargetGroup::KIND_WOMEN);
  Create(Named("For everyone"));

  v1::ActivityQuery query;
  query.set_target_group(v1::TargetGroup::KIND_CHILDREN);
  const std::set<std::string> children_6_to_12 = {"Football 6-12", "Family day",
                                                  "For everyone"};
  const std::set<std::string> other_children = {"Family day", "For everyone"};
  EXPECT_EQ(FoundSet(query), children_6_to_12);
  for (const auto& [age, expected] :
       std::vector<std::pair<int, std::set<std::string>>>{
           {5, other_children},
           {6, children_6_to_12},
           {12, children_6_to_12},
           {13, other_children}}) {
    query.set_child_age(age);
    EXPECT_EQ(FoundSet(query), expected) << "age " << age;
  }
  // An age alone means a child.
  query.clear_target_group();
  query.set_child_age(8);
  EXPECT_EQ(FoundSet(query), children_6_to_12);

  query.Clear();
  query.set_target_group(v1::TargetGroup::KIND_WOMEN);
  EXPECT_EQ(FoundSet(query),
            (std::set<std::string>{"Women's swimming", "For everyone"}));

  query.set_target_group(v1::TargetGroup::KIND_CHILDREN);
  query.set_child_age(18);
  auto refused = SearchPageOf(query);
  EXPECT_TRUE(FieldNamed(refused.status(), "query.child_age"))
      << refused.status();
}

TEST_F(SearchTest, LanguageAndPrice) {
  v1::Activity arabic = Named("Arabic and Danish café");
  arabic.add_languages("ar");
  Create(arabic);
  v1::Activity low_cost = Named("Dinner for 15 kroner");
  low_cost.mutable_price()->set_kind(v1::Price::KIND_LOW_COST);
  low_cost.mutable_price()->set_amount_ore(1500);
  Create(low_cost);
  v1::Activity paid = Named("Cooking course");
  paid.mutable_price()->set_kind(v1::Price::KIND_PAID);
  paid.mutable_price()->set_amount_ore(50000);
  Create(paid);

  v1::ActivityQuery query;
  query.set_language("ar");
  EXPECT_EQ(FoundSet(query), std::set<std::string>{"Arabic and Danish café"});
  query.set_language("AR");
  EXPECT_EQ(FoundSet(query), std::set<std::string>{"Arabic and Danish café"});
  query.set_language("uk");
  EXPECT_TRUE(FoundSet(query).empty());

  query.Clear();
  query.set_free_only(true);
  EXPECT_EQ(FoundSet(query), std::set<std::string>{"Arabic and Danish café"});
  query.Clear();
  query.set_max_price_ore(2000);
  EXPECT_EQ(FoundSet(query), (std::set<std::string>{"Arabic and Danish café",
                                                    "Dinner for 15 kroner"}));
  query.set_max_price_ore(1499);
  EXPECT_EQ(FoundSet(query), std::set<std::string>{"Arabic and Danish café"});
}

TEST_F(SearchTest, WindowNeedsAnOccurrenceInsideIt) {
  // Weekly on Tuesdays 18:00-20:00 local from 2027-01-05.
  Create(Named("Tuesday café"));
  // Wednesday 10:00 to Saturday 10:00: a summer camp, once.
  Create(Scheduled("Camp", "2027-03-10T10:00", "", 72));
  Create(Scheduled("June party", "2027-06-01T10:00", ""));

  // Thursday 2027-03-11: only the camp, which began the day before.
  v1::ActivityQuery thursday = Window(Utc(2027, 3, 11), Utc(2027, 3, 11, 12));
  auto page = SearchPageOf(thursday);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->results.size(), 1u);
  EXPECT_EQ(page->results[0].activity().display_name(), "Camp");
  EXPECT_EQ(page->results[0].next_occurrence().local_start_time(),
            "2027-03-10T10:00:00");
  EXPECT_EQ(page->total_size, 1);

  // Tuesday 2027-03-09 (CET): the café at 17:00 UTC.
  EXPECT_EQ(FoundSet(Window(Utc(2027, 3, 9), Utc(2027, 3, 10))),
            std::set<std::string>{"Tuesday café"});
  // It ended by 19:00 UTC.
  EXPECT_TRUE(FoundSet(Window(Utc(2027, 3, 9, 19), Utc(2027, 3, 10))).empty());
  // A window ending at its start does not hold it.
  EXPECT_TRUE(
      FoundSet(Window(Utc(2027, 3, 9, 12), Utc(2027, 3, 9, 17))).empty());
  EXPECT_EQ(FoundSet(Window(Utc(2027, 5, 1), Utc(2027, 7, 1))),
            (std::set<std::string>{"Tuesday café", "June party"}));
}

TEST_F(SearchTest, OrderedByNextOccurrence) {
  Create(Scheduled("Monthly on the 20th", "2027-01-20T18:00",
                   "FREQ=MONTHLY;BYMONTHDAY=20"));
  Create(Scheduled("Thursdays", "2027-01-07T18:00", "FREQ=WEEKLY"));
  Create(Scheduled("Tuesdays", "2027-01-05T18:00", "FREQ=WEEKLY"));

  // From Monday 2030-01-07: Tuesday the 8th, Thursday the 10th, the 20th.
  auto page = SearchPageOf(Window(Utc(2030, 1, 7), Utc(2030, 2, 7)));
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->results.size(), 3u);
  EXPECT_EQ(page->results[0].activity().display_name(), "Tuesdays");
  EXPECT_EQ(page->results[0].next_occurrence().local_start_time(),
            "2030-01-08T18:00:00");
  EXPECT_EQ(page->results[1].activity().display_name(), "Thursdays");
  EXPECT_EQ(page->results[1].next_occurrence().local_start_time(),
            "2030-01-10T18:00:00");
  EXPECT_EQ(page->results[2].activity().display_name(), "Monthly on the 20th");
  EXPECT_EQ(page->results[2].next_occurrence().local_start_time(),
            "2030-01-20T18:00:00");

  // From Friday the 11th the monthly one is still on the 20th, the weekly
  // ones next week.
  page = SearchPageOf(Window(Utc(2030, 1, 11), Utc(2030, 2, 7)));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->results.size(), 3u);
  EXPECT_EQ(page->results[0].activity().display_name(), "Tuesdays");
  EXPECT_EQ(page->results[1].activity().display_name(), "Thursdays");
  EXPECT_EQ(page->results[2].activity().display_name(), "Monthly on the 20th");
  page = SearchPageOf(Window(Utc(2030, 1, 16), Utc(2030, 2, 7)));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->results.size(), 3u);
  EXPECT_EQ(page->results[0].activity().display_name(), "Thursdays");
  EXPECT_EQ(page->results[1].activity().display_name(), "Monthly on the 20th");
  EXPECT_EQ(page->results[2].activity().display_name(), "Tuesdays");

  // Without a window, from now: in order of the next occurrence.
  page = SearchPageOf(v1::ActivityQuery());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->results.size(), 3u);
  for (size_t i = 1; i < page->results.size(); ++i) {
    EXPECT_LE(
        store::FromTimestamp(
            page->results[i - 1].next_occurrence().start_time()),
        store::FromTimestamp(page->results[i].next_occurrence().start_time()));
  }
  EXPECT_GT(store::FromTimestamp(page->results[0].next_occurrence().end_time()),
            absl::Now());
}

TEST_F(SearchTest, DraftsEndedAndPastActivitiesAreNeverFound) {
  Create(Named("Published"));
  v1::Activity draft = Named("Draft");
  draft.set_state(v1::ACTIVITY_STATE_DRAFT);
  Create(draft);
  v1::Activity paused = Named("Paused");
  paused.set_state(v1::ACTIVITY_STATE_PAUSED);
  Create(paused);
  v1::Activity ended = Create(Named("Ended"));
  ended.set_state(v1::ACTIVITY_STATE_ENDED);
  ASSERT_TRUE(catalogue()
                  .activities()
                  .Update(Coordinator(), "aalborg", ended, Paths({"state"}))
                  .ok());
  Create(Scheduled("Last year's party", "2025-06-01T10:00", ""));

  // Paused activities are shown (their calendar says they pause).
  EXPECT_EQ(FoundSet(v1::ActivityQuery()),
            (std::set<std::string>{"Published", "Paused"}));
  // Not even to those who may see drafts.
  auto coordinator = catalogue().index().Search(Coordinator(), "aalborg",
                                                v1::ActivityQuery(), 0, "");
  ASSERT_TRUE(coordinator.ok());
  EXPECT_EQ(coordinator->total_size, 2);
  // Nor in a window where they would take place.
  EXPECT_EQ(FoundSet(Window(Utc(2027, 1, 1), Utc(2027, 2, 1))),
            (std::set<std::string>{"Published", "Paused"}));
  // A window in the past finds what took place then.
  EXPECT_EQ(FoundSet(Window(Utc(2025, 5, 1), Utc(2025, 7, 1))),
            std::set<std::string>{"Last year's party"});
}

TEST_F(SearchTest, PagesStayStableWhileActivitiesAreAdded) {
  const std::vector<std::pair<std::string, std::string>> existing = {
      {"Mon", "2027-01-04T10:00"}, {"Tue", "2027-01-05T10:00"},
      {"Wed", "2027-01-06T10:00"}, {"Thu", "2027-01-07T10:00"},
      {"Fri", "2027-01-08T10:00"}, {"Sat", "2027-01-09T10:00"},
      {"Sun", "2027-01-10T10:00"}};
  for (const auto& [name, start] : existing) {
    Create(Scheduled(name, start, "FREQ=WEEKLY"));
  }
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    auto page = SearchPageOf(v1::ActivityQuery(), 2, token);
    ASSERT_TRUE(page.ok()) << page.status();
    if (pages == 0) {
      EXPECT_EQ(page->total_size, 7);
    }
    EXPECT_LE(page->results.size(), 2u);
    for (const v1::SearchResult& result : page->results) {
      seen.push_back(result.activity().display_name());
    }
    token = page->next_page_token;
    // New activities between pages, daily ones (sorting first) and
    // weekly ones at another hour.
    Create(Scheduled(absl::StrCat("New daily ", pages), "2027-01-04T07:00",
                     "FREQ=DAILY"));
    Create(Scheduled(absl::StrCat("New weekly ", pages), "2027-01-06T23:00",
                     "FREQ=WEEKLY"));
    ASSERT_LT(++pages, 20);
  } while (!token.empty());

  const std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a result was shown twice";
  for (const auto& [name, start] : existing) {
    EXPECT_TRUE(unique.contains(name)) << name << " was skipped";
  }
}

TEST_F(SearchTest, AMunicipalityWithoutActivitiesFindsNothing) {
  Create(Named("Language café"));
  auto page = catalogue().index().Search(Coordinator("kolding"), "kolding",
                                         v1::ActivityQuery(), 0, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->results.empty());
  EXPECT_EQ(page->total_size, 0);
}

TEST_F(SearchTest, BadQueriesAndPagesAreRefusedByField) {
  for (int i = 0; i < 3; ++i) Create(Named(absl::StrCat("Café ", i)));
  auto ten_years = SearchPageOf(Window(Utc(2027, 1, 1), Utc(2037, 1, 1)));
  EXPECT_EQ(ten_years.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(FieldNamed(ten_years.status(), "query.window_end_time"))
      << ten_years.status();
  auto backwards = SearchPageOf(Window(Utc(2027, 2, 1), Utc(2027, 1, 1)));
  EXPECT_TRUE(FieldNamed(backwards.status(), "query.window_end_time"))
      << backwards.status();
  v1::ActivityQuery half_window;
  *half_window.mutable_window_start_time() =
      store::ToTimestamp(Utc(2027, 1, 1));
  EXPECT_TRUE(
      FieldNamed(SearchPageOf(half_window).status(), "query.window_end_time"));

  auto huge_page = SearchPageOf(v1::ActivityQuery(), 1000000);
  EXPECT_EQ(huge_page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(FieldNamed(huge_page.status(), "page_size"))
      << huge_page.status();

  v1::ActivityQuery cafes;
  cafes.set_text("café");
  auto first = SearchPageOf(cafes, 1);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token.empty());
  v1::ActivityQuery other = cafes;
  other.set_area("Kærby");
  auto reused = SearchPageOf(other, 1, first->next_page_token);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(FieldNamed(reused.status(), "page_token")) << reused.status();
  auto garbage = SearchPageOf(cafes, 1, "not-a-token");
  EXPECT_TRUE(FieldNamed(garbage.status(), "page_token")) << garbage.status();
  // The right query continues.
  auto second = SearchPageOf(cafes, 1, first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->results.size(), 1u);
  EXPECT_NE(second->results[0].activity().name(),
            first->results[0].activity().name());
}

TEST_F(SearchTest, AnotherReplicaSeesWritesAtOnce) {
  const v1::Activity cafe = Create(Named("Language café"));
  Catalogue replica(*pool_, TestCatalogueOptions());
  EXPECT_EQ(Found(v1::ActivityQuery(), &replica.index()),
            std::vector<std::string>{"Language café"});

  // Written through this replica, read through the other one.
  Create(Named("Homework help"));
  v1::Activity renamed = cafe;
  renamed.set_display_name("Danish café");
  ASSERT_TRUE(
      catalogue()
          .activities()
          .Update(Coordinator(), "aalborg", renamed, Paths({"display_name"}))
          .ok());
  EXPECT_EQ(Found(v1::ActivityQuery(), &replica.index()),
            (std::vector<std::string>{"Danish café", "Homework help"}));

  // And the other way round.
  auto written = replica.activities().Create(Coordinator(), "aalborg",
                                             Named("Dinner"), "");
  ASSERT_TRUE(written.ok());
  ASSERT_TRUE(
      catalogue()
          .activities()
          .Delete(Coordinator(), "aalborg", store::IdOf(cafe.name()), "")
          .ok());
  EXPECT_EQ(FoundSet(v1::ActivityQuery()),
            (std::set<std::string>{"Homework help", "Dinner"}));
  EXPECT_EQ(Found(v1::ActivityQuery(), &replica.index()).size(), 2u);
}

TEST_F(SearchTest, ATrimmedStreamMakesTheIndexReload) {
  const v1::Activity cafe = Create(Named("Language café"));
  const v1::Activity dinner = Create(Named("Dinner"));
  Catalogue replica(*pool_, TestCatalogueOptions());
  ASSERT_EQ(Found(v1::ActivityQuery(), &replica.index()).size(), 2u);

  // Changes the replica has not read yet, then the stream is trimmed away.
  Create(Named("Homework help"));
  v1::Activity renamed = cafe;
  renamed.set_display_name("Danish café");
  ASSERT_TRUE(
      catalogue()
          .activities()
          .Update(Coordinator(), "aalborg", renamed, Paths({"display_name"}))
          .ok());
  ASSERT_TRUE(
      catalogue()
          .activities()
          .Delete(Coordinator(), "aalborg", store::IdOf(dinner.name()), "")
          .ok());
  ASSERT_TRUE(
      pool_->Run({"XTRIM", "catalogue:{aalborg}:events", "MAXLEN", "0"}).ok());
  const std::set<std::string> expected = {"Danish café", "Homework help"};
  const std::vector<std::string> after_trim =
      Found(v1::ActivityQuery(), &replica.index());
  EXPECT_EQ(std::set<std::string>(after_trim.begin(), after_trim.end()),
            expected);

  // Again, with a new change after the trim.
  Catalogue late(*pool_, TestCatalogueOptions());
  ASSERT_EQ(Found(v1::ActivityQuery(), &late.index()).size(), 2u);
  v1::Activity again = Named("Sewing club");
  Create(again);
  ASSERT_TRUE(
      pool_->Run({"XTRIM", "catalogue:{aalborg}:events", "MAXLEN", "0"}).ok());
  Create(Named("Chess club"));
  const std::vector<std::string> found =
      Found(v1::ActivityQuery(), &late.index());
  EXPECT_EQ(std::set<std::string>(found.begin(), found.end()),
            (std::set<std::string>{"Danish café", "Homework help",
                                   "Sewing club", "Chess club"}));
}

TEST_F(SearchTest, CancelledOccurrencesAreSkipped) {
  const v1::Activity cafe = Create(Named("Tuesday café"));
  ASSERT_TRUE(catalogue()
                  .activities()
                  .CancelOccurrence(Coordinator(), "aalborg",
                                    store::IdOf(cafe.name()),
                                    "2040-01-03T18:00", "Holiday", "")
                  .ok());
  auto page = SearchPageOf(Window(Utc(2040, 1, 2), Utc(2040, 2, 2)));
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->results.size(), 1u);
  EXPECT_EQ(page->results[0].next_occurrence().local_start_time(),
            "2040-01-10T18:00:00");
  // A window holding only the cancelled occurrence finds nothing.
  EXPECT_TRUE(FoundSet(Window(Utc(2040, 1, 3), Utc(2040, 1, 4))).empty());
}

TEST_F(SearchTest, OccurrencePagesCoverLongOccurrencesAndTies) {
  // Daily, three days each: occurrences overlap each other.
  const v1::Activity camp =
      Create(Scheduled("Camp", "2027-07-01T10:00", "FREQ=DAILY;COUNT=10", 72));
  Create(Scheduled("Morning walk", "2027-07-01T10:00", "FREQ=DAILY;COUNT=10"));
  const auto all_pages = [&](const std::string& activity_id) {
    std::vector<std::string> seen;
    std::string token;
    for (int pages = 0; pages < 50; ++pages) {
      auto page = catalogue().index().ListOccurrences(
          Volunteer(), "aalborg", activity_id, v1::ActivityQuery(),
          Utc(2027, 7, 4), Utc(2027, 7, 8), 1, token, false);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const v1::Occurrence& occurrence : page->occurrences) {
        seen.push_back(occurrence.display_name() + " " +
                       occurrence.local_start_time());
      }
      token = page->next_page_token;
      if (token.empty()) break;
    }
    return seen;
  };
  // 07-01 .. 07-07 overlap [07-04 00:00Z, 07-08 00:00Z) (07-01 10:00 local
  // runs until 07-04 08:00Z).
  EXPECT_EQ(all_pages(store::IdOf(camp.name())),
            (std::vector<std::string>{
                "Camp 2027-07-01T10:00:00", "Camp 2027-07-02T10:00:00",
                "Camp 2027-07-03T10:00:00", "Camp 2027-07-04T10:00:00",
                "Camp 2027-07-05T10:00:00", "Camp 2027-07-06T10:00:00",
                "Camp 2027-07-07T10:00:00"}));
  // Both activities: the walks 07-04 .. 07-07 interleave, ties by id.
  const std::vector<std::string> both = all_pages("");
  ASSERT_EQ(both.size(), 11u);
  EXPECT_EQ(both[0], "Camp 2027-07-01T10:00:00");
  EXPECT_EQ(both[3], "Camp 2027-07-04T10:00:00");
  EXPECT_EQ(both[4], "Morning walk 2027-07-04T10:00:00");
  EXPECT_EQ(both[9], "Camp 2027-07-07T10:00:00");
  EXPECT_EQ(both[10], "Morning walk 2027-07-07T10:00:00");
}

TEST_F(SearchTest, OccurrencesKeepLocalTimeAcrossDaylightSaving) {
  const v1::Activity cafe = Create(Named("Tuesday café"));
  const std::string id = store::IdOf(cafe.name());
  // Summer time begins on Sunday 2027-03-28.
  auto page = catalogue().index().ListOccurrences(
      Volunteer(), "aalborg", id, v1::ActivityQuery(), Utc(2027, 3, 20),
      Utc(2027, 4, 4), 0, "", false);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->occurrences.size(), 2u);
  const v1::Occurrence& winter = page->occurrences[0];
  const v1::Occurrence& summer = page->occurrences[1];
  EXPECT_EQ(winter.local_start_time(), "2027-03-23T18:00:00");
  EXPECT_EQ(store::FromTimestamp(winter.start_time()), Utc(2027, 3, 23, 17));
  EXPECT_EQ(store::FromTimestamp(winter.end_time()), Utc(2027, 3, 23, 19));
  EXPECT_EQ(summer.local_start_time(), "2027-03-30T18:00:00");
  EXPECT_EQ(store::FromTimestamp(summer.start_time()), Utc(2027, 3, 30, 16));
  EXPECT_EQ(summer.activity(), cafe.name());
  EXPECT_EQ(summer.area(), "Kærby");

  // Paged one by one.
  auto first = catalogue().index().ListOccurrences(
      Volunteer(), "aalborg", id, v1::ActivityQuery(), Utc(2027, 3, 20),
      Utc(2027, 4, 4), 1, "", false);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->occurrences.size(), 1u);
  ASSERT_FALSE(first->next_page_token.empty());
  auto second = catalogue().index().ListOccurrences(
      Volunteer(), "aalborg", id, v1::ActivityQuery(), Utc(2027, 3, 20),
      Utc(2027, 4, 4), 1, first->next_page_token, false);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->occurrences.size(), 1u);
  EXPECT_EQ(second->occurrences[0].local_start_time(), "2027-03-30T18:00:00");
  EXPECT_TRUE(second->next_page_token.empty());

  auto too_long = catalogue().index().ListOccurrences(
      Volunteer(), "aalborg", id, v1::ActivityQuery(), Utc(2027, 1, 1),
      Utc(2028, 3, 1), 0, "", false);
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(FieldNamed(too_long.status(), "end_time")) << too_long.status();

  // Drafts only for those who may see them.
  v1::Activity draft = Named("Draft");
  draft.set_state(v1::ACTIVITY_STATE_DRAFT);
  const std::string draft_id = store::IdOf(Create(draft).name());
  EXPECT_EQ(catalogue()
                .index()
                .ListOccurrences(Volunteer(), "aalborg", draft_id,
                                 v1::ActivityQuery(), Utc(2027, 3, 20),
                                 Utc(2027, 4, 4), 0, "", false)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(catalogue()
                  .index()
                  .ListOccurrences(Coordinator(), "aalborg", draft_id,
                                   v1::ActivityQuery(), Utc(2027, 3, 20),
                                   Utc(2027, 4, 4), 0, "", false)
                  .ok());
}

}  // namespace
}  // namespace brobygger::catalogue
