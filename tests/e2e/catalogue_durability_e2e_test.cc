// End-to-end: what a crash or a restart of the catalogue does. An
// acknowledged activity survives `kill -9` and is found again by searches
// (whose index lives in memory and is rebuilt); registry changes made
// while the catalogue was down are applied once it is back; SIGTERM drains
// and exits 0.
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/catalogue_e2e_fixture.h"
#include "tests/support/http_get.h"

namespace brobygger::test {
namespace {

using ::testing::ElementsAre;

class CatalogueDurabilityE2eTest : public CatalogueE2eTest {
 protected:
  void TearDown() override {
    CatalogueE2eTest::TearDown();
    // Leave the catalogue running for the next test, even after a failure
    // halfway through a crash scenario.
    if (catalogue_ != nullptr && !catalogue_->running()) {
      EXPECT_TRUE(catalogue_->Restart().ok());
    }
  }
};

TEST_F(CatalogueDurabilityE2eTest, AcknowledgedActivitySurvivesKill9) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  const std::string request_id = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e";
  absl::StatusOr<cv1::Activity> created =
      CreateActivity(coordinator_, LanguageCafe(red_cross.name()), request_id);
  ASSERT_TRUE(created.ok()) << created.status();
  // Searched once before the crash, so the index was built in memory.
  cv1::ActivityQuery query;
  query.set_text("sprogcafe");
  ASSERT_THAT(FoundNames(query), ElementsAre(created->name()));

  const pid_t before = catalogue_->pid();
  ASSERT_TRUE(catalogue_->Kill9().ok());
  ASSERT_TRUE(catalogue_->Restart().ok());  // waits until SERVING
  EXPECT_NE(catalogue_->pid(), before);

  absl::StatusOr<cv1::Activity> got = GetActivity(volunteer_, created->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->display_name(), "Sprogcafé i Kærby");
  EXPECT_EQ(got->organiser_display_name(), "Røde Kors Kærby");
  EXPECT_EQ(got->etag(), created->etag());
  EXPECT_THAT(FoundNames(query), ElementsAre(created->name()));
  // The idempotency record survived too: the retry does not create again.
  absl::StatusOr<cv1::Activity> retried =
      CreateActivity(coordinator_, LanguageCafe(red_cross.name()), request_id);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->name(), created->name());
  EXPECT_THAT(FoundNames(query), ElementsAre(created->name()));
}

TEST_F(CatalogueDurabilityE2eTest, RegistryChangesWhileDownAreAppliedAfter) {
  const rv1::Actor red_cross = MustCreateOrganiser("Røde Kors Kærby");
  ASSERT_FALSE(red_cross.name().empty());
  const cv1::Activity cafe = MustCreateActivity(LanguageCafe(red_cross.name()));
  ASSERT_FALSE(cafe.name().empty());

  ASSERT_TRUE(catalogue_->Kill9().ok());
  ASSERT_TRUE(RenameActor(red_cross, "Røde Kors, Aalborg Øst").ok());
  ASSERT_TRUE(catalogue_->Restart().ok());

  const cv1::Activity seen =
      AwaitActivity(cafe.name(), [](const cv1::Activity& a) {
        return a.organiser_display_name() == "Røde Kors, Aalborg Øst";
      });
  EXPECT_EQ(seen.organiser_display_name(), "Røde Kors, Aalborg Øst")
      << "a rename made while the catalogue was down was not applied within "
      << kFollowTimeout << " of its restart";
}

TEST_F(CatalogueDurabilityE2eTest, SigtermDrainsAndExitsZero) {
  // A second catalogue of its own, so the suite's keeps running.
  auto second = ServiceProcess::Start(CatalogueOptions());
  ASSERT_TRUE(second.ok()) << second.status();
  auto stub = (*second)->NewStub<cv1::CatalogueService>();
  cv1::SearchActivitiesRequest request;
  request.set_parent(Parent(municipality_));
  auto searched =
      Call(*stub, &CatalogueStub::SearchActivities, volunteer_, request);
  ASSERT_TRUE(searched.ok()) << searched.status();

  const absl::Time start = absl::Now();
  // Generous wait; the assertion on the elapsed time below is the check.
  absl::StatusOr<int> exit_code = (*second)->Terminate(absl::Seconds(30));
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << "log tail:\n" << (*second)->LogTail();
  // The drain is bounded by the drain timeout; stopping the metrics and
  // feed HTTP servers and the registry follower adds a few seconds at most.
  EXPECT_LE(took, kDrainTimeout + absl::Seconds(4))
      << "SIGTERM took " << took << " with --drain_timeout=" << kDrainTimeout;
  EXPECT_FALSE((*second)->running());

  // It stopped listening, on gRPC and on the feed port.
  auto after =
      Call(*stub, &CatalogueStub::SearchActivities, volunteer_, request);
  EXPECT_EQ(after.status().code(), absl::StatusCode::kUnavailable)
      << after.status();
  auto feed =
      HttpFetch((*second)->extra_port(kFeedListenFlag), HttpGetCall("/feeds/"));
  EXPECT_EQ(feed.status().code(), absl::StatusCode::kUnavailable)
      << "the feed port still answers after SIGTERM";
}

}  // namespace
}  // namespace brobygger::test
