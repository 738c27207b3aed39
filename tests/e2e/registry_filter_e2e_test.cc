// End-to-end: ListActors filters (kind, area with æ/ø/å, language and
// mother tongue, competence, availability at a local time, free text on the
// name) and pagination that stays stable while actors are being added.
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/registry_e2e_fixture.h"

namespace brobygger::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

rv1::WeeklyWindow Window(rv1::DayOfWeek day, int start_hour, int end_hour) {
  rv1::WeeklyWindow window;
  window.set_day(day);
  window.mutable_start_time()->set_hours(start_hour);
  window.mutable_end_time()->set_hours(end_hour);
  return window;
}

// Five actors of aalborg that the filters tell apart.
class RegistryFilterE2eTest : public RegistryE2eTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(RegistryE2eTest::SetUp());

    rv1::Actor amira = Volunteer("Amira Haddad", {"Kærby"});
    AddLanguage(&amira, "ar", /*mother_tongue=*/true);
    AddLanguage(&amira, "da", false);
    amira.add_competences("bank");
    amira.add_competences("homework");
    *amira.add_availability() = Window(rv1::DAY_OF_WEEK_TUESDAY, 17, 20);
    MustCreate(amira);

    rv1::Actor lars = Volunteer("Lars Østergaard", {"Vejgaard"});
    AddLanguage(&lars, "da", true);
    AddLanguage(&lars, "ar", false);
    lars.add_competences("cv");
    *lars.add_availability() = Window(rv1::DAY_OF_WEEK_WEDNESDAY, 10, 12);
    MustCreate(lars);

    rv1::Actor senait = Volunteer("Senait Tesfay", {"Nørresundby"});
    AddLanguage(&senait, "ti", true);
    senait.add_competences("Bank");
    *senait.add_availability() = Window(rv1::DAY_OF_WEEK_TUESDAY, 9, 11);
    MustCreate(senait);

    rv1::Actor red_cross = Organisation(rv1::ACTOR_KIND_NGO_BRANCH,
                                        "Røde Kors Aalborg", {"Aalborg C"});
    AddLanguage(&red_cross, "da", true);
    MustCreate(red_cross);

    MustCreate(Organisation(rv1::ACTOR_KIND_VOLUNTEER_GROUP,
                            "Frivilliggruppen i Kærby", {"Kærby"}));
    ASSERT_FALSE(HasFailure());
  }

  // The display names ListActors returns for `filter`, as the coordinator.
  std::vector<std::string> Find(const std::string& filter) {
    absl::StatusOr<std::vector<std::string>> names =
        ListNames(coordinator_, "aalborg", filter);
    EXPECT_TRUE(names.ok()) << "filter " << filter << ": " << names.status();
    return names.ok() ? *names : std::vector<std::string>{"<error>"};
  }
};

TEST_F(RegistryFilterE2eTest, Kind) {
  EXPECT_THAT(Find("kind = VOLUNTEER"),
              ElementsAre("Amira Haddad", "Lars Østergaard", "Senait Tesfay"));
  EXPECT_THAT(Find("kind = NGO_BRANCH"), ElementsAre("Røde Kors Aalborg"));
  EXPECT_THAT(Find("kind = ACTOR_KIND_VOLUNTEER_GROUP"),
              ElementsAre("Frivilliggruppen i Kærby"));
  EXPECT_THAT(Find("kind = BUSINESS"), IsEmpty());
  EXPECT_EQ(Find("").size(), 5u);
}

TEST_F(RegistryFilterE2eTest, AreaIgnoresCaseAndDanishLetters) {
  const auto in_kaerby =
      UnorderedElementsAre("Amira Haddad", "Frivilliggruppen i Kærby");
  EXPECT_THAT(Find("area = \"Kærby\""), in_kaerby);
  EXPECT_THAT(Find("area = \"Kaerby\""), in_kaerby);
  EXPECT_THAT(Find("area = \"KÆRBY\""), in_kaerby);
  EXPECT_THAT(Find("area = kaerby"), in_kaerby);
  EXPECT_THAT(Find("area = \"Noerresundby\""), ElementsAre("Senait Tesfay"));
  EXPECT_THAT(Find("area = \"Aalborg C\""), ElementsAre("Røde Kors Aalborg"));
  EXPECT_THAT(Find("area = Hals"), IsEmpty());
}

TEST_F(RegistryFilterE2eTest, LanguageAndMotherTongue) {
  EXPECT_THAT(Find("language = ar"),
              ElementsAre("Amira Haddad", "Lars Østergaard"));
  EXPECT_THAT(Find("mother_tongue = ar"), ElementsAre("Amira Haddad"));
  EXPECT_THAT(Find("mother_tongue = da"),
              ElementsAre("Lars Østergaard", "Røde Kors Aalborg"));
  EXPECT_THAT(Find("language = ti"), ElementsAre("Senait Tesfay"));
  EXPECT_THAT(Find("language = so"), IsEmpty());
}

TEST_F(RegistryFilterE2eTest, CompetenceAndConjunctions) {
  // Tags are stored lowercased: "Bank" was given for Senait.
  EXPECT_THAT(Find("competence = bank"),
              ElementsAre("Amira Haddad", "Senait Tesfay"));
  EXPECT_THAT(Find("competence = BANK"),
              ElementsAre("Amira Haddad", "Senait Tesfay"));
  EXPECT_THAT(Find("kind = VOLUNTEER AND competence = bank AND area = Kaerby"),
              ElementsAre("Amira Haddad"));
  EXPECT_THAT(Find("competence = bank AND mother_tongue = da"), IsEmpty());
}

TEST_F(RegistryFilterE2eTest, AvailableAtALocalTime) {
  // Tuesday 25 November 2025; Copenhagen is at +01:00 in winter.
  EXPECT_THAT(Find("available_at = \"2025-11-25T18:00:00+01:00\""),
              ElementsAre("Amira Haddad"));
  EXPECT_THAT(Find("available_at = \"2025-11-25T21:00:00+01:00\""), IsEmpty());
  // The same instants written in UTC.
  EXPECT_THAT(Find("available_at = \"2025-11-25T17:00:00Z\""),
              ElementsAre("Amira Haddad"));
  EXPECT_THAT(Find("available_at = \"2025-11-25T20:00:00Z\""), IsEmpty());
  // Tuesday 16 June 2026, summer time (+02:00): 16:30Z is 18:30 local.
  EXPECT_THAT(Find("available_at = \"2026-06-16T16:30:00Z\""),
              ElementsAre("Amira Haddad"));
  EXPECT_THAT(Find("available_at = \"2026-06-16T19:30:00Z\""), IsEmpty());
  // Tuesday morning: Senait, not Amira.
  EXPECT_THAT(Find("available_at = \"2025-11-25T10:00:00+01:00\""),
              ElementsAre("Senait Tesfay"));
  // A Wednesday 18:00 finds nobody (Lars is there 10-12).
  EXPECT_THAT(Find("available_at = \"2025-11-26T18:00:00+01:00\""), IsEmpty());
}

TEST_F(RegistryFilterE2eTest, FreeTextNameIgnoresCaseAndAccents) {
  EXPECT_THAT(Find("name = amira"), ElementsAre("Amira Haddad"));
  EXPECT_THAT(Find("name: \"HADDAD\""), ElementsAre("Amira Haddad"));
  EXPECT_THAT(Find("name = \"østergaard\""), ElementsAre("Lars Østergaard"));
  EXPECT_THAT(Find("name = \"Oestergaard lars\""),
              ElementsAre("Lars Østergaard"));
  EXPECT_THAT(Find("name = \"RØDE kors\""), ElementsAre("Røde Kors Aalborg"));
  EXPECT_THAT(Find("name = kaerby"), ElementsAre("Frivilliggruppen i Kærby"));
  // Every word must occur.
  EXPECT_THAT(Find("name = \"lars amira\""), IsEmpty());
}

// Stable pagination: while another client keeps adding actors, paging
// through the list returns every actor that existed at the start exactly
// once, and never returns an actor twice.
TEST_F(RegistryFilterE2eTest, PaginationIsStableWhileActorsAreAdded) {
  constexpr int kInitial = 120;
  constexpr int kPageSize = 25;
  constexpr int kMaxInserts = 60;
  std::vector<std::string> initial;
  for (int i = 0; i < kInitial; ++i) {
    const std::string name = absl::StrFormat("Forening %03d", i);
    rv1::Actor created =
        MustCreate(Organisation(rv1::ACTOR_KIND_SOCIAL_ASSOCIATION, name));
    ASSERT_FALSE(created.name().empty());
    initial.push_back(created.name());
  }

  // The inserter adds one actor each time the pager asks for it, so inserts
  // are interleaved with every page deterministically.
  absl::Mutex mu;
  int requested = 0;  // guarded by mu
  int inserted = 0;   // guarded by mu
  bool stop = false;  // guarded by mu
  std::vector<std::string> insert_errors;
  std::thread inserter([&] {
    auto stub = service_->NewStub<rv1::RegistryService>();
    for (int i = 0; i < kMaxInserts; ++i) {
      {
        absl::MutexLock lock(&mu);
        auto wanted = [&] { return stop || requested > inserted; };
        if (!mu.AwaitWithTimeout(absl::Condition(&wanted), absl::Seconds(30)) ||
            stop) {
          return;
        }
      }
      rv1::CreateActorRequest request;
      request.set_parent("municipalities/aalborg");
      *request.mutable_actor() = Organisation(
          rv1::ACTOR_KIND_SOCIAL_ASSOCIATION, absl::StrCat("Ny forening ", i));
      auto created =
          Call(*stub, &RegistryStub::CreateActor, coordinator_, request);
      absl::MutexLock lock(&mu);
      if (!created.ok()) insert_errors.push_back(created.status().ToString());
      ++inserted;
    }
  });
  auto insert_one_and_wait = [&] {
    absl::MutexLock lock(&mu);
    ++requested;
    auto done = [&] { return inserted >= requested; };
    return mu.AwaitWithTimeout(absl::Condition(&done), kCallTimeout);
  };

  std::vector<std::string> seen;
  std::string page_token;
  int pages = 0;
  bool complete = false;
  while (pages < 50) {
    if (!insert_one_and_wait()) {
      ADD_FAILURE() << "the inserter did not insert within " << kCallTimeout;
      break;
    }
    auto page = ListActors(coordinator_, "aalborg", "", kPageSize, page_token);
    if (!page.ok()) {
      ADD_FAILURE() << "page " << pages << ": " << page.status();
      break;
    }
    ++pages;
    EXPECT_LE(page->actors_size(), kPageSize);
    for (const rv1::Actor& actor : page->actors()) seen.push_back(actor.name());
    page_token = page->next_page_token();
    if (page_token.empty()) {
      complete = true;
      break;
    }
  }
  {
    absl::MutexLock lock(&mu);
    stop = true;
  }
  inserter.join();

  EXPECT_TRUE(complete) << "paging did not end after " << pages << " pages";
  EXPECT_GE(pages, kInitial / kPageSize);
  EXPECT_THAT(insert_errors, IsEmpty());
  std::map<std::string, int> count;
  for (const std::string& name : seen) ++count[name];
  for (const std::string& name : initial) {
    EXPECT_EQ(count[name], 1)
        << name << " was returned " << count[name] << " times";
  }
  for (const auto& [name, times] : count) {
    EXPECT_EQ(times, 1) << name << " was returned " << times << " times";
  }
  // Oldest first: ids only grow.
  int64_t previous = 0;
  for (const std::string& name : seen) {
    int64_t id = 0;
    ASSERT_TRUE(absl::SimpleAtoi(name.substr(name.rfind('/') + 1), &id))
        << name;
    EXPECT_GT(id, previous) << name << " is out of order";
    previous = id;
  }
}

}  // namespace
}  // namespace brobygger::test
