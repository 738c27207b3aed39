// A matching first deployed after the registry's stream was trimmed still
// knows the registry's volunteers and newcomers: it lists them through the
// registry's API (with its service token) before following the stream.
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_pool.h"
#include "gtest/gtest.h"
#include "tests/e2e/matching_e2e_fixture.h"

namespace brobygger::test {
namespace {

class MatchingSnapshotTest : public MatchingE2eTest {};

TEST_F(MatchingSnapshotTest, StartsFromTheRegistrysActorsWhenItsEventsAreGone) {
  const rv1::Actor organisation = MustCreateActor(
      Organisation(rv1::ACTOR_KIND_NGO_BRANCH, "Røde Kors", {"Vamdrup"}));
  const rv1::Actor volunteer =
      MustCreateCorpsVolunteer("Senait", organisation.name());
  const rv1::Actor newcomer = MustCreateNewcomer("Yonas");
  // The registry's retention has removed every event of the municipality.
  redis::RedisPool pool(redis_->options());
  auto trimmed =
      pool.Run({"XTRIM", absl::StrCat("registry:{", municipality_, "}:events"),
                "MAXLEN", "0"});
  ASSERT_TRUE(trimmed.ok()) << trimmed.status();

  // Matching without a registry token learns actors from events only.
  absl::SleepFor(absl::Seconds(1));
  auto without = CreateRequest(coordinator_, newcomer.name());
  EXPECT_EQ(without.status().code(), absl::StatusCode::kFailedPrecondition)
      << "the suite's matching cannot know a newcomer whose events are gone";

  // A matching with a service token lists the registry's actors.
  const std::string token_file = absl::StrCat(
      ::testing::TempDir(), "/matching-registry-token-", municipality_);
  std::ofstream(token_file)
      << MintTestToken(auth::Role::kCoordinator, {municipality_},
                       "matching-service")
      << "\n";
  ServiceProcess::Options options = MatchingOptions();
  options.extra_args.push_back(
      absl::StrCat("--registry_address=", registry_->address()));
  options.extra_args.push_back(
      absl::StrCat("--registry_token_file=", token_file));
  auto second = ServiceProcess::Start(options);
  ASSERT_TRUE(second.ok()) << second.status();
  auto stub = (*second)->NewStub<mv1::MatchingService>();

  mv1::CreateVolunteerRequestRequest create;
  create.set_parent(Parent());
  create.mutable_volunteer_request()->set_newcomer(newcomer.name());
  create.mutable_volunteer_request()->set_kind(mv1::MATCH_KIND_RECEPTION_BUDDY);
  auto created =
      Call(*stub, &MatchingStub::CreateVolunteerRequest, coordinator_, create);
  ASSERT_TRUE(created.ok()) << created.status() << "\n" << (*second)->LogTail();
  mv1::SuggestMatchesRequest suggest;
  suggest.set_volunteer_request(created->name());
  auto suggested =
      Call(*stub, &MatchingStub::SuggestMatches, coordinator_, suggest);
  ASSERT_TRUE(suggested.ok()) << suggested.status();
  ASSERT_GE(suggested->suggestions_size(), 1);
  EXPECT_EQ(suggested->suggestions(0).volunteer(), volunteer.name());
}

}  // namespace
}  // namespace brobygger::test
